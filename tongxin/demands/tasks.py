"""Demands' background tasks: what follows a report (``services.take_in``) and a check at each
deadline (``services.check_overdue``). Services import this module, so it imports them late."""

from django.tasks import task


@task
def check_deadline(demand_id: int, which: str, due: str) -> bool:
    from tongxin.demands.services import check_overdue

    return check_overdue(demand_id, which, due)


@task
def intake() -> int:
    """Take in every report waiting (``services.ask_for_intake`` enqueues it)."""
    from tongxin.demands.services import take_in_waiting

    return take_in_waiting()
