"""The core's background tasks (``manage.py db_worker`` runs them; ``make run`` starts one worker)."""

from django.tasks import task


@task
def deliver_outbox() -> int:
    from tongxin.core.delivery import deliver_due

    return deliver_due()


@task
def run_recurring(code: str, slot: str) -> bool:
    from tongxin.core.schedule import run

    return run(code, slot)


@task
def publish_place_notice(notice_id: int, version: int) -> bool:
    from tongxin.core.place_notices import publish_due

    return publish_due(notice_id, version)
