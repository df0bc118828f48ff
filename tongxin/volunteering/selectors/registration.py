"""Who is registered where: the signed-in member's own enrolments."""

from tongxin.volunteering.models import Enrolment, Status


def enrolments_of(user):
    """The user's approved enrolments (a member may serve in more than one community)."""
    if not user.is_authenticated or user.person_id is None:
        return Enrolment.objects.none()
    return Enrolment.objects.filter(person_id=user.person_id, status=Status.APPROVED).select_related("community")
