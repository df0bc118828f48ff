"""The fan-out of a notice to every household runs in the workers, not in the request."""

from django.tasks import task


@task
def fan_out_notice(notice_id: int) -> int:
    from tongxin.emergencies.services import fan_out

    return fan_out(notice_id)
