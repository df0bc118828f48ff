"""Writing the service ledger (``models.ledger``): one row when a piece of service is done
and counted, never edited by hand; a correction (an attendance adjusted) rewrites the row
of that attendance. The work unit and team are those of the enrolment when served."""

from django.db import transaction

from tongxin.volunteering.models import Attendance, Claim, ServiceRecord, ServiceSource


def _counted_minutes(attendance: Attendance) -> int | None:
    if attendance.adjusted_minutes is not None:
        return attendance.adjusted_minutes
    return attendance.minutes


@transaction.atomic
def record_attendance(attendance: Attendance) -> ServiceRecord | None:
    """The ledger row of a checked-out (or adjusted) attendance; kept in step with it."""
    minutes = _counted_minutes(attendance)
    if minutes is None:
        return None
    session = attendance.session
    activity = session.activity
    enrolment = attendance.enrolment
    record, _created = ServiceRecord.objects.update_or_create(attendance=attendance, defaults={
        "person_id": attendance.person_id, "enrolment": enrolment,
        "unit_id": enrolment.unit_id if enrolment else None, "team_id": activity.team_id,
        "community_id": activity.community_id, "community_path": activity.community_path,
        "source": ServiceSource.ACTIVITY, "title": activity.title, "served_on": session.date, "minutes": minutes,
    })
    return record


@transaction.atomic
def record_claim(claim: Claim) -> ServiceRecord:
    """The ledger row of a confirmed claim: the task's credited hours."""
    task, enrolment = claim.task, claim.enrolment
    record, _created = ServiceRecord.objects.get_or_create(claim=claim, defaults={
        "person_id": enrolment.person_id, "enrolment": enrolment, "unit_id": enrolment.unit_id,
        "community_id": enrolment.community_id, "community_path": enrolment.community_path,
        "source": ServiceSource.TASK, "title": task.title,
        "served_on": (claim.confirmed_at or claim.completed_at).date(), "minutes": int(task.hours_credit * 60),
    })
    return record
