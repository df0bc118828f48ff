"""The figures on volunteering's front page for staff: what waits for them, in their places."""

import datetime

from django.db.models import Exists, OuterRef, Sum
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Household
from tongxin.volunteering.models import (
    Claim,
    ClaimState,
    Enrolment,
    HouseholdLink,
    ServiceRecord,
    Session,
    Status,
    Task,
    TaskState,
)
from tongxin.volunteering.selectors import registration


def figures(user, permission: str) -> dict:
    """Counts over the places ``user`` holds ``permission`` in; one statement each, whatever
    the number of members, tasks or households."""
    def within(field):
        return access.path_filter(user, permission, field)

    today = timezone.localdate()
    month = today.replace(day=1)
    now = timezone.now()
    enrolments = Enrolment.objects.filter(registration.enrolment_scope(user, permission))
    households = Household.objects.filter(within("place_path"), closed_on__isnull=True)
    linked = HouseholdLink.objects.filter(household=OuterRef("pk"), valid_to__isnull=True)
    minutes = ServiceRecord.objects.filter(within("community_path"), served_on__gte=month).aggregate(
        total=Sum("minutes"))["total"] or 0
    return {
        "pending": enrolments.filter(status=Status.PENDING).count(),
        "approved": enrolments.filter(status=Status.APPROVED).count(),
        "open_tasks": Task.objects.filter(within("place_path"), state=TaskState.OPEN).count(),
        "to_confirm": Claim.objects.filter(within("task__place_path"), state=ClaimState.DONE).count(),
        "sessions_this_week": Session.objects.filter(
            within("activity__community_path"), cancelled=False, starts_at__gte=now,
            starts_at__lt=now + datetime.timedelta(days=7)).count(),
        "hours_this_month": round(minutes / 60, 1),
        "unlinked_households": households.exclude(Exists(linked)).count(),
    }
