"""Reads: which meetings a user sees, series and meeting lists (keyset pages), a meeting's
page, action-item lists, and the public decisions page.

A meeting is seen by holders of ``meetings.view`` at its place, by the current members of
its participating organisations, and by the people invited to it.
"""

from __future__ import annotations

import datetime

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils import timezone

from tongxin.core import access
from tongxin.meetings import rules
from tongxin.meetings.apps import VIEW
from tongxin.meetings.models import (
    ActionItem,
    Decision,
    Invitation,
    Meeting,
    MeetingSeries,
    MeetingState,
)
from tongxin.meetings.services.actions import can_close, member_org_ids
from tongxin.meetings.services.meetings import can_manage

PAGE = 30


def _orgs(user) -> list[int]:
    cached = getattr(user, "_meetings_orgs", None)
    if cached is None:
        cached = member_org_ids(user.person_id) if user.is_authenticated else []
        user._meetings_orgs = cached
    return cached


def meeting_q(user, prefix: str = "") -> Q:
    """Meetings the user may see (``prefix`` for a relation: ``"meeting__"``)."""
    condition = access.path_filter(user, VIEW, f"{prefix}place_path")
    if access.ranges(user, VIEW) == access.ALL or not user.is_authenticated or not user.person_id:
        return condition
    through = Meeting.organisations.through.objects.filter(organisation_id__in=_orgs(user)).values("meeting_id")
    invited = Invitation.objects.filter(person_id=user.person_id).values("meeting_id")
    key = f"{prefix}pk" if prefix else "pk"
    return condition | Q(**{f"{key}__in": through}) | Q(**{f"{key}__in": invited})


def series_q(user) -> Q:
    condition = access.path_filter(user, VIEW, "place_path")
    if access.ranges(user, VIEW) == access.ALL or not user.is_authenticated or not user.person_id:
        return condition
    through = MeetingSeries.organisations.through.objects.filter(organisation_id__in=_orgs(user))
    invited = MeetingSeries.invitees.through.objects.filter(person_id=user.person_id)
    return (condition | Q(pk__in=through.values("meetingseries_id"))
            | Q(pk__in=invited.values("meetingseries_id")))


def can_see_any(user) -> bool:
    return user.is_authenticated and (access.has_permission(user, VIEW) or bool(_orgs(user))
                                      or Invitation.objects.filter(person_id=user.person_id).exists())


def _after_id(after: str) -> int | None:
    return int(after) if after and after.isdigit() else None


def series_page(user, after: str = "") -> tuple[list[MeetingSeries], int | None]:
    rows = MeetingSeries.objects.filter(series_q(user)).select_related("place").order_by("pk")
    if (start := _after_id(after)) is not None:
        rows = rows.filter(pk__gt=start)
    found = list(rows[:PAGE + 1])
    return found[:PAGE], (found[PAGE - 1].pk if len(found) > PAGE else None)


def meetings_page(user, *, series: MeetingSeries | None = None, after: str = "", upcoming: bool = False
                  ) -> tuple[list[Meeting], str]:
    """Meetings newest first (``upcoming``: scheduled ones soonest first); a keyset page on
    ``starts_at:pk``."""
    rows = Meeting.objects.filter(meeting_q(user)).select_related("place")
    if series is not None:
        rows = rows.filter(series=series)
    if upcoming:
        rows = rows.filter(state=MeetingState.SCHEDULED, starts_at__gte=timezone.now()).order_by("starts_at", "pk")
    else:
        rows = rows.order_by("-starts_at", "-pk")
    if after and "|" in after:
        moment, _sep, pk = after.partition("|")
        try:
            moment = datetime.datetime.fromisoformat(moment)
            if upcoming:
                rows = rows.filter(Q(starts_at__gt=moment) | Q(starts_at=moment, pk__gt=int(pk)))
            else:
                rows = rows.filter(Q(starts_at__lt=moment) | Q(starts_at=moment, pk__lt=int(pk)))
        except ValueError:
            pass
    found = list(rows[:PAGE + 1])
    cursor = f"{found[PAGE - 1].starts_at.isoformat()}|{found[PAGE - 1].pk}" if len(found) > PAGE else ""
    return found[:PAGE], cursor


def series_for(user, pk) -> MeetingSeries:
    series = (MeetingSeries.objects.filter(series_q(user), pk=pk).select_related("place", "convener").first()
              if str(pk).isdigit() else None)
    if series is None:
        raise Http404("no such series here")
    return series


def meeting_for(user, pk) -> Meeting:
    meeting = (Meeting.objects.filter(meeting_q(user), pk=pk).select_related("place", "series", "convener").first()
               if str(pk).isdigit() else None)
    if meeting is None:
        raise Http404("no such meeting here")
    return meeting


def _actions_with_owner():
    return ActionItem.objects.select_related("owner_person", "owner_organisation")


def detail(user, meeting: Meeting) -> dict:
    """Everything the meeting's page shows, in a fixed number of queries."""
    actions = _actions_with_owner().order_by("deadline", "pk")
    decisions = list(meeting.decisions.prefetch_related(Prefetch("actions", queryset=actions)))
    org_ids = _orgs(user)
    follow_up = []
    if meeting.series_id:  # 跟踪落实: what the series' earlier meetings left open
        follow_up = list(_actions_with_owner().filter(series_id=meeting.series_id, status=rules.OPEN,
                                                      meeting__starts_at__lt=meeting.starts_at)
                         .select_related("meeting").order_by("deadline", "pk"))
    today = timezone.localdate()
    for action in [a for d in decisions for a in d.actions.all()] + follow_up:
        action.overdue = rules.is_overdue(action.status, action.deadline, today)
        action.closable = can_close(user, action, org_ids)
    invitations = list(meeting.invitations.select_related("person").order_by("person__name", "pk"))
    return {
        "meeting": meeting,
        "organisations": list(meeting.organisations.order_by("kind", "name")),
        "invitations": invitations,
        "present": sum(i.attendance == "present" for i in invitations),
        "agenda": list(meeting.agenda.all()),
        "files": list(meeting.files.all()),
        "decisions": decisions,
        "follow_up": follow_up,
        "manager": can_manage(user, meeting.place_path),
    }


def _owner_label(action: ActionItem) -> str:
    return action.owner_person.name if action.owner_person_id else action.owner_organisation.name


def overdue_page(user, *, place=None, after: str = "", today: datetime.date | None = None
                 ) -> tuple[list[ActionItem], str]:
    """Open items past their deadline in meetings the user sees, the longest overdue first;
    ``place`` narrows to a place's subtree (逾期事项 per place)."""
    today = today or timezone.localdate()
    rows = (_actions_with_owner().filter(meeting_q(user, "meeting__"), status=rules.OPEN, deadline__lt=today)
            .select_related("meeting__place"))
    if place is not None:
        rows = rows.filter(place_path__gte=place.path, place_path__lt=place.path_end)
    if after and ":" in after:
        day, _sep, pk = after.partition(":")
        try:
            day = datetime.date.fromisoformat(day)
            rows = rows.filter(Q(deadline__gt=day) | Q(deadline=day, pk__gt=int(pk)))
        except ValueError:
            pass
    found = list(rows.order_by("deadline", "pk")[:PAGE + 1])
    for action in found:
        action.late = (today - action.deadline).days
    cursor = f"{found[PAGE - 1].deadline.isoformat()}:{found[PAGE - 1].pk}" if len(found) > PAGE else ""
    return found[:PAGE], cursor


def my_actions(user, *, after: str = "", closed: bool = False) -> tuple[list[ActionItem], int | None]:
    """Items the user owns, as a person or through an organisation they belong to (by id)."""
    if not user.is_authenticated or not user.person_id:
        return [], None
    owned = Q(owner_person_id=user.person_id) | Q(owner_organisation_id__in=_orgs(user))
    rows = _actions_with_owner().filter(owned).select_related("meeting").order_by("pk")
    rows = rows.exclude(status=rules.OPEN) if closed else rows.filter(status=rules.OPEN)
    if (start := _after_id(after)) is not None:
        rows = rows.filter(pk__gt=start)
    found = list(rows[:PAGE + 1])
    today = timezone.localdate()
    for action in found:
        action.overdue = rules.is_overdue(action.status, action.deadline, today)
    return found[:PAGE], (found[PAGE - 1].pk if len(found) > PAGE else None)


def action_for(user, pk) -> ActionItem:
    """An action item the user owns or may see through its meeting, else 404."""
    if not str(pk).isdigit():
        raise Http404
    owned = Q(meeting_q(user, "meeting__"))
    if user.person_id:
        owned |= Q(owner_person_id=user.person_id) | Q(owner_organisation_id__in=_orgs(user))
    action = _actions_with_owner().filter(owned, pk=pk).select_related("meeting", "decision").first()
    if action is None:
        raise Http404("no such action item here")
    return action


def public(token: str) -> tuple[Meeting, list[Decision]]:
    """A published meeting's decisions and the state of their action items: no attendance, no
    owners' names (a person's name stays off a public page)."""
    meeting = (Meeting.objects.filter(public_token=token, published_at__isnull=False).select_related("place").first()
               if token else None)
    if meeting is None:
        raise Http404("not published")
    decisions = list(meeting.decisions.prefetch_related(
        Prefetch("actions", queryset=ActionItem.objects.only("pk", "decision_id", "title", "deadline", "status")
                 .order_by("deadline", "pk"))))
    return meeting, decisions


owner_label = _owner_label
