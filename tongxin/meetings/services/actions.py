"""Action items (会议决定的落实): adding them to a decision, closing them, overdue notices.

An item's owner is a person (one of the meeting's invited people) or an organisation (one of
its participants). The owner — the person, or any current member of the organisation — and
holders of ``meetings.manage`` at the meeting's place close it: done with a note, or dropped
with a reason (``rules.close_refusal``). The daily :func:`notify_overdue` tells the owner and
the meeting's convener once per overdue episode (``overdue_notified_on``), like care's
overdue visits; the outbox's event key makes a rerun on the same day send nothing new.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tongxin.core import outbox
from tongxin.core.errors import RefusedError
from tongxin.core.models import OrganisationMember, User
from tongxin.meetings import rules
from tongxin.meetings.models import ActionItem, ActionStatus, Decision, Invitation
from tongxin.meetings.services.meetings import can_manage

OVERDUE_BATCH = 2000
OVERDUE_URL = "/meetings/overdue/"
MINE_URL = "/meetings/my-actions/"
REFUSALS = {
    "not_open": ("这项事项已经办结或撤销", "This action item is already closed"),
    "status_invalid": ("请选择办结或撤销", "Choose done or dropped"),
    "note_missing": ("请写明办理结果或撤销原因", "Please say what was done, or why it is dropped"),
}


def member_org_ids(person_id) -> list[int]:
    if not person_id:
        return []
    on = timezone.localdate()
    return list(OrganisationMember.objects.filter(person_id=person_id, valid_from__lte=on)
                .exclude(valid_to__lte=on).values_list("organisation_id", flat=True))


def is_owner(user, action: ActionItem, org_ids: list[int] | None = None) -> bool:
    if not user.is_authenticated or not user.person_id:
        return False
    if action.owner_person_id:
        return action.owner_person_id == user.person_id
    return action.owner_organisation_id in (org_ids if org_ids is not None else member_org_ids(user.person_id))


def can_close(user, action: ActionItem, org_ids: list[int] | None = None) -> bool:
    return action.status == ActionStatus.OPEN and (is_owner(user, action, org_ids)
                                                   or can_manage(user, action.place_path))


def _owner_users(actions: list[ActionItem]) -> dict[int, list[User]]:
    """Action id -> the active users who own it (the person, or the organisation's members); one
    query for memberships, one for users."""
    on = timezone.localdate()
    org_ids = {a.owner_organisation_id for a in actions if a.owner_organisation_id}
    members: dict[int, set[int]] = {}
    for org_id, person_id in (OrganisationMember.objects.filter(organisation_id__in=org_ids, valid_from__lte=on)
                              .exclude(valid_to__lte=on).values_list("organisation_id", "person_id")):
        members.setdefault(org_id, set()).add(person_id)
    people = {a.owner_person_id for a in actions if a.owner_person_id} | {p for s in members.values() for p in s}
    users = {u.person_id: u for u in User.objects.filter(person_id__in=people, is_active=True)}
    found = {}
    for action in actions:
        persons = {action.owner_person_id} if action.owner_person_id else members.get(action.owner_organisation_id,
                                                                                      set())
        found[action.pk] = [users[p] for p in sorted(persons) if p in users]
    return found


def add(user, decision: Decision, *, title: str, deadline: datetime.date, owner_person_id=None,
        owner_organisation_id=None) -> ActionItem:
    """An action item for a decision; in the caller's transaction (``meetings.add_decision``) or its own."""
    with transaction.atomic():
        meeting = decision.meeting
        if not can_manage(user, meeting.place_path):
            raise RefusedError("not_allowed", "您不负责这个地方的会议", "You do not hold meetings for this place")
        title = (title or "").strip()
        if len(title) < 2:
            raise RefusedError("action_missing", "请写明要办的事项", "Please say what is to be done")
        if bool(owner_person_id) == bool(owner_organisation_id):
            raise RefusedError("owner_missing", "请选择一位责任人或一个责任单位",
                               "Choose one owner: a person or an organisation")
        if owner_person_id and not Invitation.objects.filter(meeting=meeting, person_id=owner_person_id).exists():
            raise RefusedError("owner_invalid", "责任人须是参会人员", "The owner must be one of the invited people")
        if owner_organisation_id and not meeting.organisations.filter(pk=owner_organisation_id).exists():
            raise RefusedError("owner_invalid", "责任单位须是参会单位",
                               "The owner must be a participating organisation")
        if deadline is None:
            raise RefusedError("deadline_missing", "请填写完成期限", "Please give a deadline")
        if deadline < timezone.localdate(meeting.starts_at):
            raise RefusedError("deadline_past", "完成期限不能早于开会日期", "The deadline cannot be before the meeting")
        action = ActionItem.objects.create(
            decision=decision, meeting=meeting, series_id=meeting.series_id, place_path=meeting.place_path,
            title=title[:200], owner_person_id=owner_person_id or None,
            owner_organisation_id=owner_organisation_id or None, deadline=deadline,
        )
        owners = _owner_users([action])[action.pk]
        outbox.notify("meeting_action_assigned", f"meetings:action:{action.pk}:assigned", users=owners,
                      webhooks=False, url=MINE_URL, subject=f"会议交办事项：{action.title} / A meeting's action item",
                      body=f"{meeting.title}，完成期限 / Due {deadline:%Y-%m-%d}")
    return action


@transaction.atomic
def close(user, action: ActionItem, *, status: str, note: str) -> ActionItem:
    """Done with a note, or dropped with a reason; only an open item, only its owner or staff."""
    action = ActionItem.objects.select_for_update().get(pk=action.pk)
    refusal = rules.close_refusal(action.status, status, note)
    if refusal:
        raise RefusedError(refusal, *REFUSALS[refusal])
    if not can_close(user, action):
        raise RefusedError("not_owner", "您不是这项事项的责任人", "You do not own this action item")
    action.status, action.note = status, note.strip()[:2000]
    action.closed_at, action.closed_by = timezone.now(), user
    action.save(update_fields=["status", "note", "closed_at", "closed_by"])
    return action


def notify_overdue(today: datetime.date | None = None) -> int:
    """The daily job: each open item past its deadline tells its owner and the meeting's convener,
    once per episode. Returns how many items were told about."""
    today = today or timezone.localdate()
    actions = list(ActionItem.objects.filter(status=rules.OPEN, deadline__lt=today)
                   .select_related("meeting__convener", "meeting__place").order_by("deadline", "pk")[:OVERDUE_BATCH])
    actions = [a for a in actions if rules.overdue_step(a.status, a.deadline, a.overdue_notified_on, today)]
    if not actions:
        return 0
    owners = _owner_users(actions)
    for action in actions:
        users = list(owners[action.pk])
        convener = action.meeting.convener
        if convener is not None and convener not in users:
            users.append(convener)
        late = (today - action.deadline).days
        with transaction.atomic():
            outbox.notify(
                "meeting_action_overdue", f"meetings:action:{action.pk}:overdue:{action.deadline}", users=users,
                place=action.meeting.place, webhooks=False, url=OVERDUE_URL,
                subject=f"会议事项逾期：{action.title}，已超过{late}天 / Action item overdue by {late} days",
                body=f"{action.meeting.title}；期限 / Due {action.deadline:%Y-%m-%d}",
            )
            ActionItem.objects.filter(pk=action.pk).update(overdue_notified_on=today)
    return len(actions)
