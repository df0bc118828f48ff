"""Reminders before meetings: the day before and two hours before (``rules.REMINDERS``).

A job every five minutes looks at the scheduled meetings of the next day and sends the
reminder slot that is due to the invited people who have logins and to the convener. The
outbox's event key (meeting, slot, start time) makes each slot go exactly once however
often the job runs, even two workers at once; a meeting moved to another time gets its
reminders again. ``Meeting.reminded`` only spares the job re-sending what went already.
"""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from tongxin.core import outbox
from tongxin.core.models import User
from tongxin.meetings import rules
from tongxin.meetings.models import Invitation, Meeting, MeetingState

HORIZON = max(before for _slot, before in rules.REMINDERS)


def send_due(now: datetime.datetime | None = None) -> int:
    """Send every reminder due now; returns how many meetings were reminded."""
    now = now or timezone.now()
    meetings = list(Meeting.objects.filter(state=MeetingState.SCHEDULED, starts_at__gt=now,
                                           starts_at__lte=now + HORIZON).select_related("convener", "place"))
    due = {}
    for meeting in meetings:
        slot = rules.reminder_due(meeting.starts_at, now)
        if slot and meeting.reminded != f"{slot}@{meeting.starts_at.isoformat()}"[:60]:
            due[meeting.pk] = slot
    if not due:
        return 0
    invited: dict[int, list[int]] = {}
    for meeting_id, person_id in Invitation.objects.filter(meeting_id__in=due).values_list("meeting_id", "person_id"):
        invited.setdefault(meeting_id, []).append(person_id)
    users = {u.person_id: u for u in User.objects.filter(
        person_id__in={p for people in invited.values() for p in people}, is_active=True)}
    for meeting in meetings:
        slot = due.get(meeting.pk)
        if slot is None:
            continue
        recipients = [users[p] for p in invited.get(meeting.pk, []) if p in users]
        if meeting.convener is not None and meeting.convener not in recipients:
            recipients.append(meeting.convener)
        local = timezone.localtime(meeting.starts_at)
        when = "明天" if slot == "day" else "两小时后"
        mark = f"{slot}@{meeting.starts_at.isoformat()}"[:60]
        with transaction.atomic():
            outbox.notify(
                "meeting_reminder", f"meetings:meeting:{meeting.pk}:reminder:{mark}", users=recipients,
                place=meeting.place, webhooks=False, url=f"/meetings/{meeting.pk}/",
                subject=f"会议提醒：{meeting.title}（{when}） / Meeting reminder",
                body=f"{local:%Y-%m-%d %H:%M} {meeting.location}".strip(),
            )
            Meeting.objects.filter(pk=meeting.pk).update(reminded=mark)
    return len(due)
