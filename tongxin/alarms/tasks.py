"""The alarms' background task: the escalation check at an alarm's deadline (``services.alarms``)."""

from django.tasks import task


@task
def escalate_alarm(alarm_id: int, level: int) -> bool:
    from tongxin.alarms.services.alarms import escalate

    return escalate(alarm_id, level)
