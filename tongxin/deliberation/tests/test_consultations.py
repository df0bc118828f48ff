"""The four-step consultation: raised at a door or by staff (from a demand), reviewed, discussed,
decided; scope; notices to the raiser; the door link; paging."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tongxin.core import place_notices, registry
from tongxin.core.errors import RefusedError
from tongxin.core.models import OutboxMessage
from tongxin.core.testing import count_queries
from tongxin.deliberation import rules, services
from tongxin.deliberation.models import Consultation
from tongxin.deliberation.tests.support import DAY, resident_login
from tongxin.demands.models import Category, Demand
from tongxin.demands.services import qr_for

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def _raise(client, token, place, **fields):
    data = {"place": place.pk, "title": "楼道堆物清理", "body": "楼道里堆满杂物，要不要统一清理？", "form_key": "k1"}
    data.update(fields)
    return client.post(reverse("deliberation-raise", args=[token]), data)


def test_the_door_page_links_to_the_form(world):
    token = qr_for(world.places["b1u1"]).token
    page = _client().get(reverse("qr-page", args=[token])).content.decode()
    assert reverse("deliberation-raise", args=[token]) in page
    assert (reverse("deliberation-raise", args=["t"]) in
            [url for _label, url in registry.door_links(world.places["b1u1"], "t")])


def test_a_resident_raises_a_matter_then_staff_take_it_through(world):
    resident = resident_login(world)
    token = qr_for(world.places["b1u1"]).token
    client = _client(resident)
    form = client.get(reverse("deliberation-raise", args=[token]))
    assert form.status_code == 200
    offered = [value for value, _label in form.context["form"].fields["place"].choices]
    assert offered == [str(world.places["b1"].pk), str(world.places["grid_a"].pk), str(world.places["community"].pk)]
    assert _raise(client, token, world.places["b1"]).status_code == 302
    assert _raise(client, token, world.places["b1"]).status_code == 400  # the same form twice: one matter
    consultation = Consultation.objects.get()
    assert (consultation.level, consultation.state, consultation.raised_by) == ("building", rules.RAISED, resident)
    told = OutboxMessage.objects.filter(kind="consultation_raised").values_list("user", flat=True)
    assert world.users["staff"].pk in told and world.users["worker_a"].pk in told
    assert world.users["worker_b"].pk not in told

    staff = world.users["staff"]
    services.review(staff, consultation, accept=True)
    services.comment(resident, consultation, text="我同意，周末可以一起清理")
    services.comment(staff, consultation, text="物业可以提供车辆")
    services.meeting(staff, consultation, held_on=DAY, present=12, text="楼栋议事会")
    services.decide(staff, consultation, decision="本周六统一清理楼道", needs_owners_vote=False)
    consultation.refresh_from_db()
    assert consultation.state == rules.DECIDED and consultation.decision == "本周六统一清理楼道"
    assert [e.kind for e in consultation.events.all()] == ["raised", "accept", "comment", "comment", "meeting",
                                                           "decide"]
    # The raiser is told at each step taken by someone else (not of their own comment).
    assert OutboxMessage.objects.filter(kind="consultation_step", user=resident, channel="inbox").count() == 4
    page = client.get(reverse("deliberation-consultation", args=[consultation.pk])).content.decode()
    assert "本周六统一清理楼道" in page and "物业可以提供车辆" in page
    # The decision is on the building's notice board, linking to its public page (without the comments).
    board = list(place_notices.live_for(world.places["b1u1"]))
    public_url = reverse("deliberation-consultation-public", args=[consultation.token])
    assert [n.title for n in board] == ["议事决议：楼道堆物清理"] and board[0].link == public_url
    public = _client().get(public_url).content.decode()
    assert "本周六统一清理楼道" in public and "物业可以提供车辆" not in public
    with pytest.raises(RefusedError):
        services.comment(resident, consultation, text="晚了")


def test_declining_needs_a_reason(world):
    resident = resident_login(world)
    consultation = services.raise_matter(resident, world.places["b1"], title="x", body="y", form_key="k")
    with pytest.raises(RefusedError):
        services.review(world.users["staff"], consultation, accept=False)
    services.review(world.users["staff"], consultation, accept=False, reason="属于物业合同范围，已转物业处理")
    consultation.refresh_from_db()
    assert consultation.state == rules.DECLINED
    with pytest.raises(RefusedError):
        services.decide(world.users["staff"], consultation, decision="x")


def test_residents_take_part_only_in_their_scope(world):
    resident = resident_login(world)  # lives in building 1
    neighbour = resident_login(world, "b2", phone="13800002222")
    with pytest.raises(PermissionDenied):
        services.raise_matter(resident, world.places["b2"], title="x", body="y", form_key="k")
    at_b2 = services.raise_matter(neighbour, world.places["b2"], title="二栋的事", body="y", form_key="k2")
    at_community = services.raise_matter(neighbour, world.places["community"], title="社区的事", body="y",
                                         form_key="k3")
    client = _client(resident)
    assert client.get(reverse("deliberation-consultation", args=[at_b2.pk])).status_code == 404
    assert client.get(reverse("deliberation-consultation", args=[at_community.pk])).status_code == 200
    mine = client.get(reverse("deliberation-mine")).content.decode()
    assert "社区的事" in mine and "二栋的事" not in mine
    with pytest.raises(PermissionDenied):
        services.comment(resident, at_b2, text="x")
    with pytest.raises(PermissionDenied):  # residents comment, they do not run the steps
        services.review(resident, at_community, accept=True)
    # A door of building 2 offers a building-1 resident only their shared community.
    token = qr_for(world.places["b2u1"]).token
    offered = client.get(reverse("deliberation-raise", args=[token])).context["form"].fields["place"].choices
    assert [value for value, _label in offered] == [str(world.places["community"].pk)]
    # Residents read others' names masked.
    services.comment(neighbour, at_community, text="好")
    page = client.get(reverse("deliberation-consultation", args=[at_community.pk])).content.decode()
    assert neighbour.person.name not in page


def test_staff_raise_a_matter_from_a_demand(world):
    place = world.places["b1u1"]
    demand = Demand.objects.create(place=place, place_path=place.path, description="电梯经常坏",
                                   category=Category.objects.filter(active=True).first())
    staff = _client(world.users["staff"])
    response = staff.post(reverse("deliberation-consultation-new"), {
        "place": world.places["b1"].pk, "title": "电梯更新", "body": "需要大家共同决定", "form_key": "s1",
        "demand": demand.tracking_code})
    assert response.status_code == 302
    consultation = Consultation.objects.get()
    assert consultation.demand == demand
    page = staff.get(reverse("deliberation-consultation", args=[consultation.pk])).content.decode()
    assert reverse("demand-detail", args=[demand.pk]) in page
    bad = staff.post(reverse("deliberation-consultation-new"), {
        "place": world.places["b1"].pk, "title": "x", "body": "y", "form_key": "s2", "demand": "NOSUCH"})
    assert bad.status_code == 400 and "找不到这个诉求编号" in bad.content.decode()
    # A grid worker of grid A cannot link grid B's demand.
    other = world.places["b2u1"]
    hidden = Demand.objects.create(place=other, place_path=other.path, description="x",
                                   category=Category.objects.filter(active=True).first())
    with pytest.raises(RefusedError):
        services.raise_matter(world.users["worker_a"], world.places["b1"], title="x", body="y", form_key="s3",
                              demand_ref=str(hidden.pk))


def test_the_steps_through_the_page(world):
    resident = resident_login(world)
    consultation = services.raise_matter(resident, world.places["b1"], title="加装雨棚", body="y", form_key="k")
    staff = _client(world.users["staff"])
    url = reverse("deliberation-consultation", args=[consultation.pk])
    assert staff.post(url, {"action": "decide", "d-decision": "x"}).status_code == 400  # not yet discussed
    assert staff.post(url, {"action": "accept", "r-reason": ""}).status_code == 302
    assert _client(resident).post(url, {"action": "comment", "c-text": "支持"}).status_code == 302
    decided = staff.post(url, {"action": "decide", "d-decision": "同意加装", "d-needs_owners_vote": "on"})
    assert decided.status_code == 302
    consultation.refresh_from_db()
    assert consultation.state == rules.DECIDED and consultation.needs_owners_vote


def test_lists_page_by_keyset_with_flat_queries(world):
    resident = resident_login(world)
    for n in range(3):
        services.raise_matter(resident, world.places["b1"], title=f"议题{n}", body="y", form_key=f"k{n}")
    staff = _client(world.users["staff"])
    home = _client(resident)
    staff.get(reverse("deliberation-consultations"))
    home.get(reverse("deliberation-mine"))
    with count_queries() as few:
        staff.get(reverse("deliberation-consultations"))
        home.get(reverse("deliberation-mine"))
    for n in range(40):
        services.raise_matter(resident, world.places["community"], title=f"更多{n}", body="y", form_key=f"m{n}")
    with count_queries() as many:
        page = staff.get(reverse("deliberation-consultations"))
        home.get(reverse("deliberation-mine"))
    assert len(many) == len(few)
    second = staff.get(reverse("deliberation-consultations") + f"?before={page.context['more']}")
    assert len(second.context["rows"]) == 43 - 30
