"""Recurring work without cron: a task that claims its time slot, queues the next one, then works.

Each recurring job (``core.registry.Recurring``, declared in a manifest) runs as the task
``run_recurring(code, slot)``. The run first inserts ``RecurringRun(code, slot)`` (a
unique key) and queues the run for the next slot, in one transaction: a second worker
holding the same task finds the key taken and stops, and a worker that dies while working
has already queued the next run, so the chain never breaks. ``ensure_schedules`` (run
after every ``migrate`` and by ``tongxin schedule``) starts chains that are missing.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.core.models import RecurringRun
from tongxin.core.registry import Recurring, recurring_jobs


def next_slot(job: Recurring, after: datetime.datetime) -> datetime.datetime:
    """The first slot strictly after ``after``: a multiple of ``every`` seconds since the epoch, or the
    next ``daily_at`` in the project's time zone."""
    if job.every:
        epoch = int(after.timestamp())
        return datetime.datetime.fromtimestamp((epoch // job.every + 1) * job.every, tz=datetime.UTC)
    local = timezone.localtime(after)
    hour, minute = (int(part) for part in job.daily_at.split(":"))
    candidate = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    if candidate <= local:
        candidate += datetime.timedelta(days=1)
    return candidate


def _queue(code: str, slot: datetime.datetime) -> None:
    from tongxin.core.tasks import run_recurring

    run_recurring.using(run_after=slot).enqueue(code, slot.isoformat())


def run(code: str, slot_text: str) -> bool:
    """Run ``code`` for ``slot`` unless another worker already has; False when it had."""
    jobs = {job.code: job for job in recurring_jobs()}
    job = jobs.get(code)
    if job is None:
        return False  # a job since removed: its chain ends here
    slot = datetime.datetime.fromisoformat(slot_text)
    try:
        with transaction.atomic():
            RecurringRun.objects.create(key=code, slot=slot)
            _queue(code, next_slot(job, max(slot, timezone.now())))
    except IntegrityError:
        return False
    job.resolve()()
    return True


def ensure_schedules() -> list[str]:
    """Queue the next run of every recurring job that has none queued; returns the codes started."""
    from django_tasks_db.models import DBTaskResult

    started = []
    queued = DBTaskResult.objects.filter(task_path="tongxin.core.tasks.run_recurring", status="READY")
    for job in recurring_jobs():
        if not queued.filter(args_kwargs__args__0=job.code).exists():
            _queue(job.code, next_slot(job, timezone.now()))
            started.append(job.code)
    return started


def prune() -> None:
    """Daily: forget finished task results after 14 days (failed ones after 90) and old slot keys."""
    import datetime as dt

    from django.core.management import call_command

    call_command("prune_db_task_results", min_age_days=14, failed_min_age_days=90, verbosity=0)
    RecurringRun.objects.filter(slot__lt=timezone.now() - dt.timedelta(days=14)).delete()
