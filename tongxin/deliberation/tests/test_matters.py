"""四议两公开: steps in order, the vote's arithmetic decides what may happen, two publications."""

import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from tongxin.core import place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.services.places import create_place
from tongxin.core.services.roles import assign_role
from tongxin.core.testing import count_queries
from tongxin.deliberation import rules, services
from tongxin.deliberation.models import MajorMatter, PlaceRule
from tongxin.deliberation.tests.support import DAY, meet, propose, to_resolved

pytestmark = pytest.mark.django_db


def _client(user=None):
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def test_the_four_steps_then_the_two_publications(world):
    staff = world.users["staff"]
    matter = to_resolved(world)
    assert matter.state == rules.RESOLVED and matter.resolution.startswith("同意")
    assert [s.step for s in matter.steps.all()] == [rules.PROPOSE, rules.DISCUSS, rules.REVIEW, rules.RESOLVE]
    resolve = matter.steps.get(step=rules.RESOLVE)
    assert (resolve.present, resolve.entitled, resolve.votes_for, resolve.body) == (40, 60, 30, rules.RESIDENTS_MEETING)
    assert "40/60" in resolve.quorum_rule

    services.publish(staff, matter)
    matter.refresh_from_db()
    assert matter.state == rules.PUBLISHED
    board = list(place_notices.live_for(world.places["b1u1"]))
    assert [n.title for n in board] == ["决议公开：加装电梯"]
    assert board[0].link == services.public_url(matter)

    public = _client().get(services.public_url(matter))
    assert public.status_code == 200 and "同意加装电梯" in public.content.decode()

    with pytest.raises(RefusedError):
        services.publish(staff, matter, result="")
    services.publish(staff, matter, result="电梯已于5月投入使用。")
    matter.refresh_from_db()
    assert matter.state == rules.COMPLETED and matter.result_notice_id
    page = _client().get(services.public_url(matter)).content.decode()
    assert "电梯已于5月投入使用" in page and "同意加装电梯" in page


def test_steps_go_in_order_and_a_failing_vote_cannot_go_on(world):
    staff = world.users["staff"]
    matter = propose(world)
    with pytest.raises(RefusedError):  # the party members' meeting before the two committees
        meet(matter, rules.REVIEW, staff)
    with pytest.raises(RefusedError):  # 4 of 9 for: no majority, cannot proceed
        meet(matter, rules.DISCUSS, staff, votes_for=4)
    meet(matter, rules.DISCUSS, staff)
    # The party members' meeting: 20 for of 30 present is not more than half of the 40 entitled.
    with pytest.raises(RefusedError):
        meet(matter, rules.REVIEW, staff, present=30, entitled=40, votes_for=20)
    meet(matter, rules.REVIEW, staff, present=30, entitled=40, votes_for=20, outcome=rules.RETURN)
    matter.refresh_from_db()
    assert matter.state == rules.RETURNED
    services.record_step(staff, matter, step=rules.PROPOSE, actor="社区党委", held_on=DAY, outcome=rules.PROCEED,
                         note="修改后重新提议")
    matter.refresh_from_db()
    assert matter.state == rules.PROPOSED and matter.steps.count() == 4


def test_a_meeting_without_quorum_decided_nothing(world):
    staff = world.users["staff"]
    matter = propose(world)
    meet(matter, rules.DISCUSS, staff)
    meet(matter, rules.REVIEW, staff, present=30, entitled=40, votes_for=28)
    with pytest.raises(RefusedError):  # 30 of 60 is not more than half: it cannot resolve
        meet(matter, rules.RESOLVE, staff, present=30, entitled=60, votes_for=30, note="x")
    meet(matter, rules.RESOLVE, staff, present=30, entitled=60, votes_for=30, outcome=rules.NOT_QUORATE)
    matter.refresh_from_db()
    assert matter.state == rules.REVIEWED  # meet again
    with pytest.raises(RefusedError):  # figures that cannot be true
        meet(matter, rules.RESOLVE, staff, present=70, entitled=60, votes_for=30, note="x")


def test_the_representatives_rule_is_configurable_per_place(world):
    staff = world.users["staff"]
    matter = propose(world, resolving_body=rules.RESIDENTS_REPRESENTATIVES)
    meet(matter, rules.DISCUSS, staff)
    meet(matter, rules.REVIEW, staff, present=30, entitled=40, votes_for=28)
    PlaceRule.objects.create(place=world.places["community"], representatives_quorum=rules.TWO_THIRDS)
    with pytest.raises(RefusedError):  # 26 of 50 is more than half, not two thirds
        meet(matter, rules.RESOLVE, staff, present=26, entitled=50, votes_for=20, note="x")
    meet(matter, rules.RESOLVE, staff, present=34, entitled=50, votes_for=20, note="同意")
    matter.refresh_from_db()
    assert matter.state == rules.RESOLVED


def test_a_village_resolves_by_villagers_meeting_counting_households(world):
    village = create_place(parent=world.places["street"], kind="village", code="t-village", name="测试村")
    assign_role(world.people["staff"], "community_staff", place=village)
    staff = world.users["staff"]
    staff.refresh_from_db()
    with pytest.raises(RefusedError):  # a village has no residents' meeting
        services.propose(staff, village, title="x", description="x", resolving_body=rules.RESIDENTS_MEETING,
                         actor="村党支部", held_on=DAY)
    matter = services.propose(staff, village, title="修路", description="x",
                              resolving_body=rules.VILLAGERS_MEETING, actor="村党支部", held_on=DAY)
    meet(matter, rules.DISCUSS, staff)
    meet(matter, rules.REVIEW, staff, present=20, entitled=30, votes_for=18)
    # 200 of 300 households (exactly 2/3) are quorate; 101 for of 200 present pass.
    meet(matter, rules.RESOLVE, staff, present=200, entitled=300, votes_for=101, basis=rules.BY_HOUSEHOLDS,
         note="同意修路")
    matter.refresh_from_db()
    assert matter.state == rules.RESOLVED


def test_only_managers_of_the_place_record_steps(world):
    with pytest.raises(PermissionDenied):
        propose(world, world.users["worker_a"])  # a grid worker does not manage the whole community
    matter = propose(world)
    with pytest.raises(PermissionDenied):
        meet(matter, rules.DISCUSS, world.users["worker_a"])
    assert _client(world.users["worker_a"]).get(reverse("deliberation-matter", args=[matter.pk])).status_code == 404
    assert _client(world.users["leader"]).get(reverse("deliberation-matter", args=[matter.pk])).status_code == 200


def test_the_public_page_opens_only_once_published(world):
    matter = to_resolved(world)
    assert _client().get(services.public_url(matter)).status_code == 404
    assert _client().get(reverse("deliberation-public", args=["nope"])).status_code == 404


def test_steps_through_the_pages(world):
    staff = _client(world.users["staff"])
    response = staff.post(reverse("deliberation-matter-new"), {
        "place": world.places["community"].pk, "title": "更换路灯", "description": "x",
        "resolving_body": rules.RESIDENTS_MEETING, "actor": "社区党委", "held_on": "2026-03-01"})
    assert response.status_code == 302
    matter = MajorMatter.objects.get(title="更换路灯")
    url = reverse("deliberation-matter", args=[matter.pk])
    bad = staff.post(url, {"actor": "两委", "held_on": "2026-03-02", "present": "9", "entitled": "9",
                           "votes_for": "3", "outcome": "proceed", "basis": "people"})
    assert bad.status_code == 400 and "会议结果与表决数字不符" in bad.content.decode()
    ok = staff.post(url, {"actor": "两委", "held_on": "2026-03-02", "present": "9", "entitled": "9",
                          "votes_for": "7", "against": "2", "outcome": "proceed", "basis": "people"})
    assert ok.status_code == 302
    matter.refresh_from_db()
    assert matter.state == rules.DISCUSSED


def test_the_list_pages_with_flat_queries(world):
    staff = world.users["staff"]
    for n in range(3):
        propose(world, title=f"事项{n}")
    client = _client(staff)
    client.get(reverse("deliberation-matters"))
    with count_queries() as few:
        assert client.get(reverse("deliberation-matters")).status_code == 200
    for n in range(40):
        propose(world, title=f"更多{n}")
    with count_queries() as many:
        page = client.get(reverse("deliberation-matters"))
    assert len(many) == len(few)
    assert page.context["more"]
    second = client.get(reverse("deliberation-matters") + f"?before={page.context['more']}")
    assert len(second.context["rows"]) == 43 - 30
