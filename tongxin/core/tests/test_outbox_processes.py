"""The outbox and the scheduler with real worker processes on PostgreSQL (the CI's PostgreSQL leg)."""

import datetime
import signal

import pytest
from django.db import transaction
from django.utils import timezone

from tongxin.core import outbox, place_notices
from tongxin.core.models import OutboxMessage, OutboxStatus, PlaceNotice, WebhookSubscriber
from tongxin.core.testing import WebhookReceiver, run_cli, start_worker, two_grids, wait_for, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]


def test_a_killed_worker_and_a_failing_receiver_lose_and_repeat_no_notice(tmp_path):
    receiver = WebhookReceiver("fault-secret", fail_first=2, hold_at=300, hold_seconds=5)
    env = worker_env(TONGXIN_OUTBOX_LEASE_SECONDS="3", TONGXIN_OUTBOX_SWEEP_SECONDS="1",
                     TONGXIN_OUTBOX_RETRY_SECONDS="1")
    workers = []
    try:
        WebhookSubscriber.objects.create(name="城市平台", url=receiver.url, secret="fault-secret")
        with transaction.atomic():
            for n in range(1000):
                outbox.notify("place_notice", f"fault:{n}", subject=f"通知 {n}")
        ids = {str(d) for d in OutboxMessage.objects.values_list("delivery_id", flat=True)}
        assert len(ids) == 1000
        run_cli(env, "schedule")
        log = (tmp_path / "worker-1.log").open("w")
        workers.append(start_worker(env, interval=0.1, log=log))
        assert receiver.holding.wait(60)  # notice 300 arrived; its sender waits for the answer …
        workers[0].send_signal(signal.SIGKILL)  # … and dies in the middle of a batch, before recording it
        workers[0].wait()
        killed_at = len(receiver.accepted)
        assert killed_at < 1000
        workers.append(start_worker(env, interval=0.1, log=(tmp_path / "worker-2.log").open("w")))
        assert wait_for(lambda: len(receiver.accepted) == 1000, 120), (len(receiver.accepted), killed_at)
        assert set(receiver.accepted) == ids  # every notice reached the receiver, each id once
        assert receiver.bad_signatures == 0
        assert receiver.repeats >= 1  # notice 300 came again after the lease ran out, and was dropped
        assert wait_for(lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.DELIVERED).exists(), 30)
        assert OutboxMessage.objects.filter(attempts__gt=1).count() >= 2  # the two refused deliveries came again
    finally:
        for worker in workers:
            worker.kill()
            worker.wait()
        receiver.close()


def test_a_task_scheduled_ahead_runs_on_a_worker_and_one_for_a_changed_object_does_nothing(tmp_path):
    world = two_grids(households_per_entrance=1)
    staff = world.users["staff"]
    soon = timezone.now() + datetime.timedelta(seconds=3)
    later = soon + datetime.timedelta(hours=1)
    due = place_notices.create(staff, world.places["b1"], title="明早停水", body="8:00–12:00", publish_at=soon,
                               expires_at=later)
    moved = place_notices.create(staff, world.places["b2"], title="改期的会", body="…", publish_at=soon,
                                 expires_at=later)
    place_notices.reschedule(staff, moved, publish_at=later, expires_at=later + datetime.timedelta(days=1))
    worker = start_worker(worker_env(), interval=0.2, log=(tmp_path / "worker.log").open("w"))
    try:
        assert not PlaceNotice.objects.get(pk=due.pk).published_at  # not before its time
        assert wait_for(lambda: PlaceNotice.objects.get(pk=due.pk).published_at is not None, 30)
        published = PlaceNotice.objects.get(pk=due.pk).published_at
        assert published >= soon
        from django_tasks_db.models import DBTaskResult

        tasks = DBTaskResult.objects.filter(task_path="tongxin.core.tasks.publish_place_notice")
        assert wait_for(lambda: tasks.filter(status="SUCCESSFUL").count() == 2, 30)  # both ran …
        assert PlaceNotice.objects.get(pk=moved.pk).published_at is None  # … the stale one did nothing
        assert sorted(t.return_value for t in tasks.filter(status="SUCCESSFUL")) == [False, True]
    finally:
        worker.kill()
        worker.wait()
