"""The workbench beyond one demand: choosing a handler from a list, canned replies, bulk
actions, handing a departing worker's queue to a successor, and referrals to other offices."""

import datetime

import pytest
from django.urls import reverse

from tongxin.core.models import Organisation, OrganisationPlace, OutboxMessage
from tongxin.core.testing import PASSWORD, count_queries, login_for
from tongxin.demands import rules, selectors, services
from tongxin.demands.models import CannedReply, Category, Demand, DemandEvent, Referral

pytestmark = pytest.mark.django_db


def file(world, place="b1u1", key="k", category="lighting", text="楼道灯坏了"):
    return services.report(world.places[place], category=Category.objects.get(code=category), description=text,
                           key=key)


def dispatched(world, key="k", place="b1u1", to="chief_b1"):
    demand = file(world, key=key, place=place)
    worker = world.users["worker_a"] if place.startswith("b1") else world.users["worker_b"]
    services.act(worker, demand, "accept")
    return services.act(worker, demand, "dispatch", handler=world.users[to])


@pytest.fixture
def property_company(world):
    company = Organisation.objects.create(code="o-wy", name="楚阳物业", kind="property_company",
                                          place=world.places["community"], started_on=datetime.date(2020, 1, 1))
    OrganisationPlace.objects.create(organisation=company, place=world.places["compound"], relation="manages",
                                     valid_from=datetime.date(2020, 1, 1))
    login_for(world, "wuye", "property_staff", organisation=company, phone="13100000009")
    return company


def names(candidates):
    return {c.user.phone for c in candidates}


def test_candidates_are_the_people_with_a_role_at_or_around_the_place(world, property_company):
    found = selectors.handler_candidates(world.places["b1u1"])
    # building chief, grid A's worker, community staff, street leader, the managing property company
    assert names(found) == {"13100000005", "13100000001", "13100000003", "13100000004", "13100000009"}
    assert found[0].user.phone == "13100000005"  # nearest first: the building's own chief
    assert "1栋" in found[0].label and "楼栋长" in found[0].label
    # building 2 is grid B's: its worker is a candidate there, grid A's is not
    there = names(selectors.handler_candidates(world.places["b2u1"]))
    assert "13100000002" in there and "13100000001" not in there
    # a grid's candidates include the people of the places it covers
    assert "13100000005" in names(selectors.handler_candidates(world.places["grid_a"]))


def test_candidates_cost_the_same_few_queries_whatever_the_size(world, property_company):
    with count_queries() as few:
        selectors.handler_candidates(world.places["b1u1"])
    for n in range(6):
        login_for(world, f"vol{n}", "building_volunteer", place=world.places["b1"], phone=f"1310000100{n}")
    with count_queries() as more:
        found = selectors.handler_candidates(world.places["b1u1"])
    assert len(found) == 11 and len(more) == len(few) <= 5


def test_a_dispatch_goes_only_to_someone_on_the_list(world, client):
    demand = file(world)
    worker = world.users["worker_a"]
    services.act(worker, demand, "accept")
    with pytest.raises(services.RefusedError) as refused:
        services.act(worker, demand, "dispatch", handler=world.users["worker_b"])  # grid B's, not here
    assert refused.value.code == "handler_not_here"
    client.force_login(worker)
    page = client.get(reverse("demand-detail", args=[demand.pk])).content.decode()
    assert 'name="handler"' in page and "chief_b1" in page and "worker_b" not in page
    client.post(reverse("demand-act", args=[demand.pk]),
                {"action": "dispatch", "handler": world.users["chief_b1"].pk})
    demand.refresh_from_db()
    assert demand.state == "dispatched" and demand.handler == world.users["chief_b1"]
    # a posted id outside the list is refused with a message, and nothing changes
    client.post(reverse("demand-act", args=[demand.pk]),
                {"action": "dispatch", "handler": world.users["worker_b"].pk})
    demand.refresh_from_db()
    assert demand.handler == world.users["chief_b1"]


def test_a_canned_reply_is_the_note_when_none_is_typed(world, client):
    demand = file(world)
    lighting = Category.objects.get(code="lighting")
    ours = CannedReply.objects.create(category=lighting, place=world.places["community"], text="已更换灯泡，请查看。",
                                      order=1)
    CannedReply.objects.create(category=lighting, place=world.places["grid_b"], text="别处的回复")
    parking = CannedReply.objects.get(text__startswith="已联系车主挪车")
    replies = selectors.canned_replies(lighting, world.places["b1u1"])
    texts = [r.text for r in replies]
    assert texts[0] == ours.text and "别处的回复" not in texts and parking.text not in texts
    assert any(t.startswith("已收到您的反映") for t in texts)  # the general ones too, after the category's
    client.force_login(world.users["worker_a"])
    assert ours.text in client.get(reverse("demand-detail", args=[demand.pk])).content.decode()
    client.post(reverse("demand-act", args=[demand.pk]), {"action": "reject", "note": "", "reply": ours.pk})
    event = DemandEvent.objects.filter(demand=demand, action="reject").get()
    assert event.note == ours.text


def test_bulk_accept_and_dispatch_from_the_workbench(world, client):
    mine = [file(world, key=f"a{n}") for n in range(3)]
    elsewhere = file(world, key="b", place="b2u1")
    client.force_login(world.users["worker_a"])
    page = client.get(reverse("demand-workbench")).content.decode()
    assert 'name="ids"' in page and "chief_b1" in page
    ids = [d.pk for d in mine] + [elsewhere.pk]  # grid B's demand is not grid A's to touch
    response = client.post(reverse("demand-bulk"), {"ids": ids, "action": "accept", "back": "show=open"})
    assert response.url == reverse("demand-workbench") + "?show=open"
    assert set(Demand.objects.filter(pk__in=[d.pk for d in mine]).values_list("state", flat=True)) == {"accepted"}
    elsewhere.refresh_from_db()
    assert elsewhere.state == "received"
    client.post(reverse("demand-bulk"), {"ids": ids[:2], "action": "dispatch", "handler": world.users["chief_b1"].pk})
    states = dict(Demand.objects.filter(pk__in=ids).values_list("pk", "state"))
    assert [states[pk] for pk in ids] == ["dispatched", "dispatched", "accepted", "received"]
    assert OutboxMessage.objects.filter(kind="demand_assigned", user=world.users["chief_b1"]).count() == 2
    # one that cannot take the step is named, the rest go ahead
    done, refused = services.bulk_act(world.users["worker_a"], ids[1:3], "verify")
    assert done == [] and [d.pk for d, _why in refused] == ids[1:3]
    # an action not meant for bulk is refused outright
    client.post(reverse("demand-bulk"), {"ids": ids[2:3], "action": "reject", "note": "x"})
    assert Demand.objects.get(pk=ids[2]).state == "accepted"


def test_hand_over_moves_a_departing_handlers_open_queue_in_one_go(world, client):
    login_for(world, "chief_new", "building_chief", place=world.places["b1"], phone="13100000011")
    queue = [dispatched(world, key=f"q{n}") for n in range(3)]
    services.act(world.users["chief_b1"], queue[1], "start")
    done = dispatched(world, key="done")
    services.act(world.users["chief_b1"], done, "resolve", note="修好了")
    services.act(world.users["worker_a"], done, "verify")
    services.act(world.users["worker_a"], done, "close", note="已办结")
    client.force_login(world.users["worker_a"])
    page = client.get(reverse("demand-hand-over")).content.decode()
    assert "chief_b1" in page and "chief_new" in page
    response = client.post(reverse("demand-hand-over"), {
        "departing": world.users["chief_b1"].pk, "successor": world.users["chief_new"].pk})
    assert response.status_code == 302
    new = world.users["chief_new"]
    assert set(Demand.objects.filter(handler=new).values_list("pk", flat=True)) == {d.pk for d in queue}
    assert Demand.objects.get(pk=queue[1].pk).state == "in_progress"  # the work goes on where it was
    assert Demand.objects.get(pk=done.pk).handler == world.users["chief_b1"]  # closed: history stays
    steps = DemandEvent.objects.filter(demand__in=queue, action__in=["dispatch", "reassign"], actor=world.users[
        "worker_a"]).order_by("id")
    assert steps.count() == 6 and "工作交接" in steps.last().note
    told = OutboxMessage.objects.filter(kind="demand_assigned", user=new)
    assert told.count() == 1 and "3" in told.get().subject  # one notice for the lot


def test_hand_over_stays_within_the_workers_places(world):
    login_for(world, "chief_b2", "building_chief", place=world.places["b2"], phone="13100000012")
    ours = dispatched(world, key="ours")
    theirs = dispatched(world, key="theirs", place="b2u1", to="chief_b2")
    # grid B's worker hands over chief_b2's queue; grid A's demand is not theirs to move
    services.act(world.users["worker_a"], ours, "dispatch", handler=world.users["chief_b1"])
    moved = services.hand_over(world.users["worker_b"], world.users["chief_b2"], world.users["worker_b"])
    assert [d.pk for d in moved] == [theirs.pk]
    assert services.hand_over(world.users["worker_b"], world.users["chief_b1"], world.users["worker_b"]) == []
    with pytest.raises(services.RefusedError):
        services.hand_over(world.users["worker_b"], world.users["chief_b2"], world.users["chief_b2"])


def test_a_referral_is_a_recorded_hand_off_the_resident_can_follow(world, client):
    errand = Category.objects.get(code="errand")
    demand = services.report(world.places["b1u1"], category=errand, description="想办高龄津贴", key="e",
                             phone="13812345678")
    worker = world.users["worker_a"]
    services.act(worker, demand, "accept")
    with pytest.raises(services.RefusedError):
        services.act(worker, demand, "refer", note="材料已收齐", referral={"office": ""})
    services.act(worker, demand, "refer", note="材料已收齐，递交民政办", referral={
        "office": "街道民政办", "contact": "张科长", "reference": "MZ2026-118"})
    demand.refresh_from_db()
    referral = Referral.objects.get(demand=demand)
    assert demand.state == "referred" and rules.is_open("referred")
    assert (referral.office, referral.reference, referral.referred_by) == ("街道民政办", "MZ2026-118", worker)
    client.post(reverse("demand-track", args=[demand.tracking_code]), {"what": "confirm", "phone": "13812345678"})
    track = client.get(reverse("demand-track", args=[demand.tracking_code])).content.decode()
    assert "街道民政办" in track and "张科长" not in track  # the office, not the staff member's contact
    services.act(worker, demand, "resolve", note="民政办已批准，下月起发放")
    referral.refresh_from_db()
    assert referral.answer == "民政办已批准，下月起发放" and referral.answered_at is not None
    client.force_login(worker)
    detail = client.get(reverse("demand-detail", args=[demand.pk])).content.decode()
    assert "MZ2026-118" in detail and "民政办已批准" in detail


def test_the_api_lists_candidates_and_dispatches_by_id(world, client):
    demand = file(world)
    services.act(world.users["worker_a"], demand, "accept")
    client.login(phone="13100000001", password=PASSWORD)
    listed = client.get(f"/api/v1/demands/{demand.pk}/candidates/").json()
    chief = next(c for c in listed if c["name"] == "chief_b1")
    assert chief["roles"] and "worker_b" not in {c["name"] for c in listed}
    answer = client.post(f"/api/v1/demands/{demand.pk}/act/", {"action": "dispatch", "handler": chief["id"]},
                         content_type="application/json")
    assert answer.status_code == 200 and answer.json()["state"] == "dispatched"
    stranger = {"action": "dispatch", "handler": world.users["worker_b"].pk}
    refused = client.post(f"/api/v1/demands/{demand.pk}/act/", stranger, content_type="application/json")
    assert refused.status_code == 400 and refused.json()["code"] == "handler_not_here"
