"""A consultation the owners decide: it goes to their vote (``tongxin.voting``), and the vote's
result becomes its 决议, published by the vote's notice on the board."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import PlaceNotice
from tongxin.deliberation import rules, services
from tongxin.deliberation.models import Consultation
from tongxin.voting.models import DecisionState
from tongxin.voting.services import ballots
from tongxin.voting.services import decisions as voting
from tongxin.voting.testing import seed_compound

pytestmark = pytest.mark.django_db

RENOVATE = 7  # art. 278 item 7 (改建、重建): 3/4 of the participating area and owners


def _discussing(world) -> Consultation:
    staff = world.users["worker_a"]
    consultation = services.raise_matter(staff, world.places["b1"], title="1栋外墙翻新", body="外墙脱落，是否翻新",
                                         form_key="k-1")
    services.review(staff, consultation, accept=True)
    return Consultation.objects.get(pk=consultation.pk)


def _vote(world, consultation, answers):
    staff = world.users["worker_a"]
    decision = Consultation.objects.get(pk=consultation.pk).owners_vote
    for voter, choice in zip(decision.voters.order_by("id"), answers, strict=False):
        ballots.enter_paper(staff, voter, choice=choice)
    return decision


@pytest.mark.parametrize("answers, passed", [
    (["agree"] * 5 + ["disagree"], True),   # 5/6 ≥ 3/4 of those taking part
    (["agree"] * 4 + ["disagree"] * 2, False),  # 4/6 < 3/4
    (["agree"] * 3, False),  # 3 of 6 owners took part: below 2/3, whatever they said
])
def test_the_owners_vote_decides_the_consultation(world, answers, passed):
    seed_compound(world)
    consultation = _discussing(world)
    closes = timezone.now() + datetime.timedelta(days=3)
    event = services.to_owners_vote(world.users["worker_a"], consultation, item=RENOVATE, closes_at=closes)
    consultation.refresh_from_db()
    assert consultation.state == rules.VOTING and event.kind == rules.TO_VOTE and "第7项" in event.text
    assert consultation.owners_vote.state == DecisionState.OPEN and consultation.owners_vote.total_heads == 6
    with pytest.raises(RefusedError):  # decided by the vote only
        services.decide(world.users["worker_a"], consultation, decision="直接决定")

    decision = _vote(world, consultation, answers)
    voting.close_decision(decision, now=closes + datetime.timedelta(minutes=1))
    consultation.refresh_from_db()
    assert consultation.state == rules.DECIDED
    assert consultation.decision.startswith("业主表决通过" if passed else "业主表决未通过")
    notice = PlaceNotice.objects.get(pk=consultation.decision_notice_id)
    assert notice.link == reverse("voting-result", args=[decision.pk]) and "业主表决结果" in notice.title
    last = consultation.events.order_by("-id").first()
    assert (last.kind, last.by_id, last.by_name) == (rules.DECIDE, None, "业主表决 / Owners' vote")
    voting.close_decision(decision)  # closed already: nothing more
    assert consultation.events.filter(kind=rules.DECIDE).count() == 1


def test_only_a_matter_under_discussion_goes_to_the_vote(world):
    seed_compound(world)
    staff = world.users["worker_a"]
    raised = services.raise_matter(staff, world.places["b1"], title="屋面防水", body="漏水", form_key="k-2")
    with pytest.raises(RefusedError):
        services.to_owners_vote(staff, raised, item=5)
    assert not raised.events.filter(kind=rules.TO_VOTE).exists()


def test_a_vote_closed_on_its_own_leaves_other_consultations_alone(world):
    seed_compound(world)
    consultation = _discussing(world)
    other = voting.open_decision(world.users["worker_a"], voting.create_decision(
        world.users["worker_a"], world.places["b1"], title="另一件事", item=4))
    voting.close_decision(other, now=other.closes_at + datetime.timedelta(minutes=1))
    consultation.refresh_from_db()
    assert consultation.state == rules.DISCUSSING


def test_staff_put_it_to_the_vote_from_the_page(world):
    seed_compound(world)
    consultation = _discussing(world)
    client = Client()
    client.force_login(world.users["worker_a"])
    url = reverse("deliberation-consultation", kwargs={"pk": consultation.pk})
    page = client.get(url).content.decode()
    assert "交业主表决" in page
    past = client.post(url, {"action": "to_vote", "v-item": RENOVATE, "v-closes_on": "2020-01-01"})
    assert past.status_code == 400 and not Consultation.objects.get(pk=consultation.pk).owners_vote_id
    done = client.post(url, {"action": "to_vote", "v-item": RENOVATE,
                             "v-closes_on": (timezone.localdate() + datetime.timedelta(days=7)).isoformat()})
    assert done.status_code == 302
    consultation.refresh_from_db()
    assert consultation.state == rules.VOTING and consultation.owners_vote.item == RENOVATE
    page = client.get(url).content.decode()
    assert "业主表决中" in page and consultation.owners_vote.get_absolute_url() in page
