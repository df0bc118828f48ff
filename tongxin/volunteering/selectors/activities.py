"""Reading activities: what a manager runs (scoped by ``volunteering.manage`` at the
community), what a member or resident may take part in (their approved enrolments, and the
community they live in), and a session's roster."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Person, Place, PlaceKind
from tongxin.core.tree import ancestor_paths
from tongxin.volunteering.apps import MANAGE
from tongxin.volunteering.models import Activity, Attendance, Session, SignUp, SignUpState
from tongxin.volunteering.selectors.registration import enrolments_of

#: How far ahead a member's list of sessions looks.
UPCOMING_DAYS = 45


def manages(user, activity: Activity) -> bool:
    return access.can_see_path(user, MANAGE, activity.community_path)


def managed_activities(user):
    return (Activity.objects.filter(access.path_filter(user, MANAGE, "community_path"))
            .select_related("community", "team", "post").order_by("cancelled", "-first_date", "pk"))


def managed_communities(user):
    return Place.objects.filter(access.path_filter(user, MANAGE), kind=PlaceKind.COMMUNITY).order_by("path")


def home_community(user) -> Place | None:
    """The community a signed-in resident lives in (their person's home), if any."""
    if not user.is_authenticated or user.person_id is None:
        return None
    home = Person.objects.filter(pk=user.person_id).values_list("home_path", flat=True).first()
    if not home:
        return None
    return Place.objects.filter(path__in=ancestor_paths(home), kind=PlaceKind.COMMUNITY).first()


def taking_part(user) -> dict[str, object]:
    """Community path → the user's approved enrolment there (or None: a resident living there)."""
    cached = getattr(user, "_volunteering_taking_part", None)
    if cached is not None:
        return cached
    found: dict[str, object] = {}
    home = home_community(user)
    if home is not None:
        found[home.path] = None
    for enrolment in enrolments_of(user):
        found[enrolment.community_path] = enrolment
    user._volunteering_taking_part = found
    return found


def can_take_part(user, activity: Activity) -> bool:
    return activity.community_path in taking_part(user)


def enrolment_for(user, activity: Activity):
    return taking_part(user).get(activity.community_path)


def can_see_activity(user, activity: Activity) -> bool:
    return manages(user, activity) or can_take_part(user, activity)


def upcoming_sessions(user, *, days: int = UPCOMING_DAYS):
    """The coming sessions of the communities the user takes part in, soonest first."""
    paths = list(taking_part(user))
    if not paths:
        return Session.objects.none()
    now = timezone.now()
    return (Session.objects.filter(activity__community_path__in=paths, activity__cancelled=False, cancelled=False,
                                   ends_at__gt=now, date__lte=timezone.localdate() + datetime.timedelta(days=days))
            .select_related("activity", "activity__community", "activity__team").order_by("starts_at", "pk"))


def my_sign_ups(user, session_ids) -> dict[int, SignUp]:
    """Session id → the user's live sign-up there."""
    if not user.is_authenticated or user.person_id is None:
        return {}
    rows = SignUp.objects.filter(session_id__in=list(session_ids), person_id=user.person_id).exclude(
        state=SignUpState.CANCELLED)
    return {row.session_id: row for row in rows}


def waiting_positions(session_ids, person_id) -> dict[int, int]:
    """Session id → the person's place on the waiting list (1 = next)."""
    positions: dict[int, int] = {}
    rows = (SignUp.objects.filter(session_id__in=list(session_ids), state=SignUpState.WAITING)
            .order_by("session_id", "signed_at", "pk").values_list("session_id", "person_id"))
    counter: dict[int, int] = {}
    for session_id, pid in rows:
        counter[session_id] = counter.get(session_id, 0) + 1
        if pid == person_id:
            positions[session_id] = counter[session_id]
    return positions


def sessions_of(activity: Activity, *, past_days: int = 31):
    since = timezone.localdate() - datetime.timedelta(days=past_days)
    return Session.objects.filter(activity=activity, date__gte=since).order_by("starts_at")


def roster(session: Session) -> list[dict]:
    """Who signed up and who came, one row per person, in a fixed number of statements."""
    sign_ups = (SignUp.objects.filter(session=session).exclude(state=SignUpState.CANCELLED)
                .select_related("person").order_by("state", "signed_at", "pk"))
    attendances = {a.person_id: a for a in Attendance.objects.filter(session=session).select_related("person")}
    rows = []
    for sign_up in sign_ups:
        came = attendances.pop(sign_up.person_id, None)
        rows.append({"person": sign_up.person, "sign_up": sign_up, "attendance": came})
    for attendance in sorted(attendances.values(), key=lambda a: a.checked_in_at):
        rows.append({"person": attendance.person, "sign_up": None, "attendance": attendance})
    return rows


def session_for_manager(user, pk: int) -> Session | None:
    session = Session.objects.select_related("activity", "activity__community").filter(pk=pk).first()
    if session is None or not manages(user, session.activity):
        return None
    return session


def attendance_for_manager(user, pk: int) -> Attendance | None:
    attendance = (Attendance.objects.select_related("session__activity").filter(pk=pk).first())
    if attendance is None or not manages(user, attendance.session.activity):
        return None
    return attendance


