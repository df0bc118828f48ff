"""The meetings' pages: who sees what, the forms, and flat query counts."""

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from tongxin.core.models import Person
from tongxin.core.testing import count_queries
from tongxin.meetings.models import ActionItem, Decision, Invitation, Meeting
from tongxin.meetings.services import meetings
from tongxin.meetings.testing import held_meeting

pytestmark = pytest.mark.django_db


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def _grow(meeting, n):
    """``n`` more invited residents, decisions and action items (open, overdue)."""
    people = list(Person.objects.filter(user__isnull=True).exclude(
        pk__in=meeting.invitations.values("person_id")).order_by("pk")[:n])
    Invitation.objects.bulk_create([Invitation(meeting=meeting, person=p) for p in people])
    for index, person in enumerate(people):
        decision = Decision.objects.create(meeting=meeting, order=index + 10, text=f"决定{index}")
        ActionItem.objects.create(decision=decision, meeting=meeting, series=meeting.series,
                                  place_path=meeting.place_path, title=f"事项{index}", owner_person=person,
                                  deadline=timezone.localdate() - datetime.timedelta(days=index + 1))


def test_staff_see_their_places_meetings_and_others_do_not(world):
    meeting = held_meeting(world, place_key="b1")
    url = f"/meetings/{meeting.pk}/"
    assert client_for(world.users["staff"]).get(url).status_code == 200
    assert client_for(world.users["worker_a"]).get(url).status_code == 200
    assert client_for(world.users["leader"]).get(url).status_code == 200
    # Grid B's worker: not their place, but the property company they belong to takes part.
    assert client_for(world.users["worker_b"]).get(url).status_code == 200
    Meeting.organisations.through.objects.filter(meeting=meeting).delete()
    Invitation.objects.filter(meeting=meeting, person=world.people["worker_b"]).delete()
    assert client_for(world.users["worker_b"]).get(url).status_code == 404
    # Viewers without meetings.manage read; they cannot write.
    response = client_for(world.users["leader"]).post(url, {"op": "agenda", "title": "议题"})
    assert response.status_code == 404 and not meeting.agenda.exists()


def test_staff_record_a_meeting_on_its_page(world):
    meeting = held_meeting(world)
    client = client_for(world.users["staff"])
    url = f"/meetings/{meeting.pk}/"
    assert client.post(url, {"op": "agenda", "title": "小区停车难", "source": "诉求 TX-0001"}).status_code == 302
    chief = meeting.invitations.get(person=world.people["chief_b1"])
    assert client.post(url, {"op": "attendance", f"att-{chief.pk}": "present", "head_count": ""}).status_code == 302
    deadline = (timezone.localdate() + datetime.timedelta(days=7)).isoformat()
    response = client.post(url, {"op": "decision", "text": "划定临时停车位", "action_title": "物业画线",
                                 "action_owner": f"person:{world.people['chief_b1'].pk}",
                                 "action_deadline": deadline})
    assert response.status_code == 302
    bad = client.post(url, {"op": "decision", "text": "再议", "action_title": "画线", "action_owner": "",
                            "action_deadline": deadline})
    assert bad.status_code == 400 and "请选择一位责任人或一个责任单位" in bad.content.decode()
    assert Decision.objects.filter(meeting=meeting).count() == 1  # the refused one left nothing
    page = client.get(url).content.decode()
    assert "小区停车难" in page and "划定临时停车位" in page and "物业画线" in page


def test_the_meeting_page_makes_as_many_queries_for_a_big_meeting_as_for_a_small_one(world):
    meeting = held_meeting(world)
    _grow(meeting, 2)
    later = meetings.create_meeting(world.users["staff"], title="下次", kind="three_party",
                                    place=world.places["compound"], starts_at=timezone.now())
    client = client_for(world.users["staff"])

    def measure(pk):
        with count_queries() as statements:
            assert client.get(f"/meetings/{pk}/").status_code == 200
        return len(statements)

    small = measure(meeting.pk)
    _grow(meeting, 12)
    assert measure(meeting.pk) == small
    assert measure(later.pk) <= small


def test_the_overdue_and_my_action_lists_are_scoped_and_flat(world):
    meeting = held_meeting(world, place_key="b1")
    _grow(meeting, 2)
    staff, worker_b = client_for(world.users["staff"]), client_for(world.users["worker_b"])

    def measure(client, url):
        with count_queries() as statements:
            response = client.get(url)
            assert response.status_code == 200
        return len(statements), response

    small, response = measure(staff, "/meetings/overdue/")
    assert len(response.context["rows"]) == 2
    _grow(meeting, 10)
    big, response = measure(staff, "/meetings/overdue/")
    assert big == small and len(response.context["rows"]) == 12
    assert measure(staff, f"/meetings/overdue/?place={world.places['b2'].pk}")[1].context["rows"] == []
    Meeting.organisations.through.objects.filter(meeting=meeting).delete()
    Invitation.objects.filter(meeting=meeting, person=world.people["worker_b"]).delete()
    assert measure(worker_b, "/meetings/overdue/")[1].context["rows"] == []
    # Mine: the chief owns one item; a menu page for every signed-in user.
    decision = meeting.decisions.first()
    ActionItem.objects.create(decision=decision, meeting=meeting, place_path=meeting.place_path, title="我的事项",
                              owner_person=world.people["chief_b1"], deadline=timezone.localdate())
    chief = client_for(world.users["chief_b1"])
    count, response = measure(chief, "/meetings/my-actions/")
    assert [a.title for a in response.context["rows"]] == ["我的事项"]
    assert measure(worker_b, "/meetings/my-actions/")[1].context["rows"] == []


def test_the_owner_closes_their_item_and_a_stranger_cannot(world):
    meeting = held_meeting(world)
    decision = meetings.add_decision(world.users["staff"], meeting, text="清理楼道杂物", actions=[{
        "title": "通知各户", "deadline": timezone.localdate(), "owner_person_id": world.people["chief_b1"].pk}])
    action = decision.actions.get()
    url = f"/meetings/actions/{action.pk}/"
    assert client_for(world.users["worker_a"]).post(url, {"status": "done", "note": "x"}).status_code == 404
    chief = client_for(world.users["chief_b1"])
    assert chief.post(url, {"status": "done", "note": ""}).status_code == 400
    assert chief.post(url, {"status": "done", "note": "已在群里通知"}).status_code == 302
    action.refresh_from_db()
    assert (action.status, action.note, action.closed_by) == ("done", "已在群里通知", world.users["chief_b1"])


def test_staff_create_a_series_from_the_list_page(world):
    from tongxin.meetings.testing import bodies

    orgs = bodies(world)
    client = client_for(world.users["staff"])
    page = client.get(f"/meetings/?place={world.places['compound'].pk}")
    assert orgs["owners_committee"].name in page.content.decode()
    response = client.post("/meetings/", {
        "title": "沙市花园三方联席会议", "kind": "three_party", "place": world.places["compound"].pk,
        "organisations": [o.pk for o in orgs.values()], "frequency": "monthly", "rule": "weekday", "week": "-1",
        "weekday": "4", "time": "15:00", "location": "社区会议室"})
    assert response.status_code == 302
    meeting = Meeting.objects.get()
    assert timezone.localtime(meeting.starts_at).weekday() == 4 and meeting.invitations.count() == 2
    refused = client.post("/meetings/", {"title": "x会", "kind": "other", "place": world.places["compound"].pk,
                                         "frequency": "monthly", "rule": "day", "day": "40", "time": "15:00"})
    assert refused.status_code == 400 and "1–31" in refused.content.decode()
