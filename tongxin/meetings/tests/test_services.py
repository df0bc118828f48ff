"""Series and meetings, action items, overdue notices, reminders and publication."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import OutboxMessage, PlaceNotice
from tongxin.meetings.models import ActionItem, Invitation, Meeting, MeetingSeries
from tongxin.meetings.services import actions, meetings, reminders
from tongxin.meetings.testing import bodies, held_meeting

pytestmark = pytest.mark.django_db


def _series(world, **extra):
    orgs = bodies(world)
    values = {"title": "三方联席会议", "kind": "three_party", "place": world.places["compound"],
              "frequency": "monthly", "starts_on": datetime.date(2026, 1, 1), "day": 10,
              "time": datetime.time(15, 0), "organisations": list(orgs.values())}
    values.update(extra)
    return meetings.create_series(world.users["staff"], **values)


def _decide(world, meeting, deadline, owner="chief_b1"):
    return meetings.add_decision(world.users["staff"], meeting, text="修复3栋漏水的屋面", actions=[
        {"title": "物业出维修方案", "deadline": deadline, "owner_person_id": world.people[owner].pk}])


def test_a_series_makes_its_next_meeting_once_with_its_bodies_members_invited(world):
    today = timezone.localdate()
    series = _series(world, starts_on=today.replace(day=1), day=today.day)
    meeting = series.meetings.get()
    assert timezone.localtime(meeting.starts_at).date() == today  # at 15:00, maybe past: see the next test
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() + datetime.timedelta(hours=1))
    invited = set(Invitation.objects.filter(meeting=meeting).values_list("person_id", flat=True))
    assert invited == {world.people["chief_b1"].pk, world.people["worker_b"].pk}
    assert meeting.organisations.count() == 2
    assert meetings.make_next(series) is None  # one is already ahead
    assert meetings.make_next_all() == 0
    assert Meeting.objects.filter(series=series).count() == 1


def test_holding_a_meeting_makes_the_next_and_the_next_meeting_shows_what_is_still_open(world):
    series = _series(world)
    first = series.meetings.get()
    Meeting.objects.filter(pk=first.pk).update(starts_at=timezone.now() - datetime.timedelta(hours=1))
    first.refresh_from_db()
    decision = _decide(world, first, timezone.localdate() + datetime.timedelta(days=5))
    assert not Meeting.objects.filter(series=series, starts_at__gt=timezone.now()).exists()
    meetings.make_next(series)
    second = Meeting.objects.get(series=series, starts_at__gt=timezone.now())
    from tongxin.meetings.selectors.meetings import detail

    context = detail(world.users["staff"], second)
    assert [a.title for a in context["follow_up"]] == ["物业出维修方案"]
    actions.close(world.users["chief_b1"], decision.actions.get(), status="done", note="方案已交业委会")
    assert detail(world.users["staff"], second)["follow_up"] == []


def test_only_staff_of_the_place_hold_meetings_and_attendance_waits_for_the_meeting(world):
    with pytest.raises(RefusedError) as refused:
        meetings.create_meeting(world.users["worker_a"], title="会", kind="other", place=world.places["b2"],
                                starts_at=timezone.now())
    assert refused.value.code == "not_allowed"
    future = meetings.create_meeting(world.users["staff"], title="恳谈会", kind="consultation",
                                     place=world.places["b1"], starts_at=timezone.now() + datetime.timedelta(days=3))
    with pytest.raises(RefusedError) as refused:
        meetings.record_attendance(world.users["staff"], future, {}, 10)
    assert refused.value.code == "not_yet"


def test_attendance_per_person_and_head_count(world):
    meeting = held_meeting(world)
    invitations = {i.person_id: i for i in meeting.invitations.all()}
    chief, worker = world.people["chief_b1"].pk, world.people["worker_b"].pk
    meetings.record_attendance(world.users["staff"], meeting, {invitations[chief].pk: "present",
                                                               invitations[worker].pk: "excused"}, head_count=35)
    assert dict(meeting.invitations.values_list("person_id", "attendance")) == {chief: "present", worker: "excused"}
    meeting.refresh_from_db()
    assert (meeting.state, meeting.head_count) == ("held", 35)
    with pytest.raises(RefusedError):
        meetings.record_attendance(world.users["staff"], meeting, {invitations[chief].pk: "maybe"})


def test_minutes_keep_photos_re_encoded_and_pdfs(world):
    from io import BytesIO

    from PIL import Image

    buffer = BytesIO()
    Image.new("RGB", (40, 30), "red").save(buffer, "PNG")
    photo = SimpleUploadedFile("现场.png", buffer.getvalue(), content_type="image/png")
    pdf = SimpleUploadedFile("纪要.pdf", b"%PDF-1.4 minutes", content_type="application/pdf")
    meeting = held_meeting(world)
    meetings.save_minutes(world.users["staff"], meeting, text="会议由社区书记主持。", files=[photo, pdf])
    assert sorted(meeting.files.values_list("content_type", flat=True)) == ["application/pdf", "image/jpeg"]
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    with pytest.raises(RefusedError):
        meetings.save_minutes(world.users["staff"], meeting, text="改过的纪要", files=[fake])
    meeting.refresh_from_db()
    assert meeting.minutes == "会议由社区书记主持。"  # nothing lost, nothing half-written


def test_an_action_item_has_one_owner_from_the_meeting_and_is_closed_by_them(world):
    meeting = held_meeting(world)
    deadline = timezone.localdate() + datetime.timedelta(days=7)
    decision = _decide(world, meeting, deadline)
    action = decision.actions.get()
    assert OutboxMessage.objects.filter(kind="meeting_action_assigned", user=world.users["chief_b1"]).exists()
    org = meeting.organisations.get(kind="property_company")
    other = actions.add(world.users["staff"], decision, title="业委会监督", deadline=deadline,
                        owner_organisation_id=org.pk)
    for bad in ({"owner_person_id": world.people["worker_a"].pk},  # not invited
                {"owner_person_id": world.people["chief_b1"].pk, "owner_organisation_id": org.pk},
                {}):
        with pytest.raises(RefusedError):
            actions.add(world.users["staff"], decision, title="再办一件", deadline=deadline, **bad)
    with pytest.raises(RefusedError) as refused:
        actions.close(world.users["worker_a"], action, status="done", note="办好了")
    assert refused.value.code == "not_owner"
    with pytest.raises(RefusedError) as refused:
        actions.close(world.users["chief_b1"], action, status="done", note="")
    assert refused.value.code == "note_missing"
    actions.close(world.users["chief_b1"], action, status="done", note="方案已出")
    with pytest.raises(RefusedError) as refused:
        actions.close(world.users["chief_b1"], action, status="dropped", note="不办了")
    assert refused.value.code == "not_open"
    # An organisation's member closes the organisation's item.
    actions.close(world.users["worker_b"], other, status="dropped", note="并入维修方案")
    assert ActionItem.objects.get(pk=other.pk).status == "dropped"


def test_overdue_items_tell_owner_and_convener_once_per_episode(world):
    meeting = held_meeting(world, hours_ago=24 * 20)
    deadline = timezone.localdate() - datetime.timedelta(days=10)
    Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now() - datetime.timedelta(days=20))
    meeting.refresh_from_db()
    action = _decide(world, meeting, deadline).actions.get()
    today = timezone.localdate()
    assert actions.notify_overdue(today) == 1
    told = set(OutboxMessage.objects.filter(kind="meeting_action_overdue", channel="inbox")
               .values_list("user_id", flat=True))
    assert told == {world.users["chief_b1"].pk, world.users["staff"].pk}
    assert actions.notify_overdue(today) == 0
    assert actions.notify_overdue(today + datetime.timedelta(days=3)) == 0
    ActionItem.objects.filter(pk=action.pk).update(deadline=today + datetime.timedelta(days=1))  # moved
    assert actions.notify_overdue(today + datetime.timedelta(days=5)) == 1
    ActionItem.objects.filter(pk=action.pk).update(status="done", note="办完")
    assert actions.notify_overdue(today + datetime.timedelta(days=30)) == 0


def test_reminders_go_once_per_slot_to_invited_people_with_logins(world):
    start = timezone.now() + datetime.timedelta(days=3)
    meeting = meetings.create_meeting(world.users["staff"], title="民情民意收集会", kind="opinion",
                                      place=world.places["compound"], starts_at=start,
                                      organisations=list(bodies(world).values()))
    Invitation.objects.create(meeting=meeting, person=world.people["worker_a"])
    assert reminders.send_due(start - datetime.timedelta(hours=30)) == 0
    assert reminders.send_due(start - datetime.timedelta(hours=23)) == 1
    assert reminders.send_due(start - datetime.timedelta(hours=20)) == 0
    Meeting.objects.filter(pk=meeting.pk).update(reminded="")  # a second worker that missed the mark
    reminders.send_due(start - datetime.timedelta(hours=19))
    day = OutboxMessage.objects.filter(kind="meeting_reminder", channel="inbox")
    expected = {world.users[k].pk for k in ("chief_b1", "worker_b", "worker_a", "staff")}
    assert sorted(day.values_list("user_id", flat=True)) == sorted(expected)  # once each
    assert reminders.send_due(start - datetime.timedelta(minutes=90)) == 1
    assert day.count() == 2 * len(expected)
    assert reminders.send_due(start + datetime.timedelta(minutes=1)) == 0


def test_publishing_puts_the_decisions_on_the_notice_board_once(world, client):
    meeting = held_meeting(world)
    with pytest.raises(RefusedError) as refused:
        meetings.publish(world.users["staff"], meeting)
    assert refused.value.code == "no_decisions"
    _decide(world, meeting, timezone.localdate() + datetime.timedelta(days=7))
    url = f"/meetings/public/{meeting.public_token}/"
    assert client.get(url).status_code == 404  # not yet published
    notice = meetings.publish(world.users["staff"], meeting)
    assert notice.place == world.places["compound"] and notice.link == url and "修复3栋漏水的屋面" in notice.body
    assert PlaceNotice.objects.count() == 1
    with pytest.raises(RefusedError):
        meetings.publish(world.users["staff"], meeting)
    page = client.get(url).content.decode()
    assert "修复3栋漏水的屋面" in page and "物业出维修方案" in page
    assert world.people["chief_b1"].name not in page  # no names on the public page


def test_the_daily_job_and_a_second_maker_leave_one_meeting(world):
    series = _series(world)
    assert MeetingSeries.objects.count() == 1
    Meeting.objects.filter(series=series).delete()
    assert meetings.make_next(series) is not None
    assert meetings.make_next(series) is None
    assert Meeting.objects.filter(series=series).count() == 1
