"""Demands' background tasks: a check at each deadline (``services.check_overdue``)."""

from django.tasks import task


@task
def check_deadline(demand_id: int, which: str, due: str) -> bool:
    from tongxin.demands.services import check_overdue

    return check_overdue(demand_id, which, due)
