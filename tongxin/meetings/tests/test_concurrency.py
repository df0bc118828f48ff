"""At once, on PostgreSQL: two makers of a series' next meeting leave one; two workers sending
the same reminder send it once; the owner and staff closing one item at once close it once."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import OutboxMessage
from tongxin.core.testing import errors_at_once, two_grids
from tongxin.meetings.models import ActionItem, Meeting
from tongxin.meetings.services import actions, meetings, reminders
from tongxin.meetings.testing import bodies, held_meeting

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_makers_of_the_next_meeting_at_once_leave_one():
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=1)
    series = meetings.create_series(
        world.users["staff"], title="三方联席会议", kind="three_party", place=world.places["compound"],
        frequency="monthly", starts_on=datetime.date(2026, 1, 1), day=10, time=datetime.time(15),
        organisations=list(bodies(world).values()))
    Meeting.objects.filter(series=series).delete()
    assert not errors_at_once([lambda: meetings.make_next(series) for _ in range(6)])
    assert Meeting.objects.filter(series=series).count() == 1


def test_two_workers_send_a_reminder_once():
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=1)
    start = timezone.now() + datetime.timedelta(hours=5)
    meetings.create_meeting(world.users["staff"], title="恳谈会", kind="consultation", place=world.places["compound"],
                            starts_at=start, organisations=list(bodies(world).values()))
    assert not errors_at_once([lambda: reminders.send_due(start - datetime.timedelta(hours=4)) for _ in range(4)])
    sent = OutboxMessage.objects.filter(kind="meeting_reminder", channel="inbox")
    assert sent.count() == 3  # the two members with logins and the convener, once each


def test_closing_one_item_at_once_closes_it_once():
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=1)
    meeting = held_meeting(world)
    decision = meetings.add_decision(world.users["staff"], meeting, text="清理楼道", actions=[{
        "title": "通知各户", "deadline": timezone.localdate(), "owner_person_id": world.people["chief_b1"].pk}])
    action = decision.actions.get()
    errors = errors_at_once([
        lambda: actions.close(world.users["chief_b1"], action, status="done", note="已通知"),
        lambda: actions.close(world.users["staff"], action, status="dropped", note="不需要了"),
    ])
    assert len(errors) == 1 and isinstance(errors[0], RefusedError) and errors[0].code == "not_open"
    assert ActionItem.objects.get().status in ("done", "dropped")
