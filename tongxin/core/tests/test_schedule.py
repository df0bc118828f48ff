import datetime
import zoneinfo

import pytest
from django_tasks_db.models import DBTaskResult

from tongxin.core import schedule
from tongxin.core.models import RecurringRun
from tongxin.core.registry import Recurring, recurring_jobs

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")
UTC = datetime.UTC


@pytest.mark.parametrize(
    ("job", "after", "expected"),
    [
        (Recurring("a", "x", every=30), datetime.datetime(2026, 11, 25, 8, 0, 0, tzinfo=UTC),
         datetime.datetime(2026, 11, 25, 8, 0, 30, tzinfo=UTC)),
        (Recurring("a", "x", every=30), datetime.datetime(2026, 11, 25, 8, 0, 29, 999, tzinfo=UTC),
         datetime.datetime(2026, 11, 25, 8, 0, 30, tzinfo=UTC)),
        (Recurring("a", "x", every=3600), datetime.datetime(2026, 11, 25, 8, 59, 59, tzinfo=UTC),
         datetime.datetime(2026, 11, 25, 9, 0, 0, tzinfo=UTC)),
        # Daily jobs keep Beijing time, whatever the server's clock zone.
        (Recurring("d", "x", daily_at="07:30"), datetime.datetime(2026, 11, 25, 7, 0, tzinfo=SHANGHAI),
         datetime.datetime(2026, 11, 25, 7, 30, tzinfo=SHANGHAI)),
        (Recurring("d", "x", daily_at="07:30"), datetime.datetime(2026, 11, 25, 7, 30, tzinfo=SHANGHAI),
         datetime.datetime(2026, 11, 26, 7, 30, tzinfo=SHANGHAI)),
        (Recurring("d", "x", daily_at="07:30"), datetime.datetime(2026, 11, 24, 23, 50, tzinfo=UTC),
         datetime.datetime(2026, 11, 26, 7, 30, tzinfo=SHANGHAI)),  # 07:50 in Beijing: tomorrow's 07:30
    ],
)
def test_the_next_slot(job, after, expected):
    assert schedule.next_slot(job, after) == expected


@pytest.mark.django_db
def test_a_slot_runs_once_however_many_workers_hold_its_task(monkeypatch):
    ran = []
    monkeypatch.setattr("tongxin.core.delivery.sweep", lambda: ran.append(1))
    slot = "2026-11-25T08:00:30+00:00"
    assert schedule.run("outbox-sweep", slot) is True
    assert schedule.run("outbox-sweep", slot) is False  # a second worker with the same task
    assert ran == [1] and RecurringRun.objects.filter(key="outbox-sweep").count() == 1
    queued = DBTaskResult.objects.filter(task_path="tongxin.core.tasks.run_recurring", status="READY")
    assert queued.filter(args_kwargs__args__0="outbox-sweep").exists()  # the chain goes on


@pytest.mark.django_db
def test_schedules_are_started_once(monkeypatch):
    DBTaskResult.objects.all().delete()  # what migrate queued
    declared = sorted(job.code for job in recurring_jobs())  # the core's and every mechanism's
    assert {"outbox-sweep", "prune", "staff-digest"} <= set(declared)
    assert sorted(schedule.ensure_schedules()) == declared
    assert schedule.ensure_schedules() == []


@pytest.mark.django_db
def test_a_removed_job_ends_its_chain():
    assert schedule.run("no-longer-declared", "2026-11-25T08:00:00+00:00") is False


@pytest.mark.django_db
def test_pruning_keeps_recent_slots():
    from django.utils import timezone

    old = RecurringRun.objects.create(key="outbox-sweep", slot=timezone.now() - datetime.timedelta(days=20))
    new = RecurringRun.objects.create(key="outbox-sweep", slot=timezone.now())
    schedule.prune()
    assert list(RecurringRun.objects.values_list("pk", flat=True)) == [new.pk] and old.pk != new.pk
