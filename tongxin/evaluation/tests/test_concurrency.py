"""On PostgreSQL, two phones of one household submit at the same moment: one answer goes in,
the other gets the clear refusal."""

import datetime

import pytest
from django.db import connection

from tongxin.core.errors import RefusedError
from tongxin.core.models import Household
from tongxin.core.services.people import create_person, join_household
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, at_once, two_grids
from tongxin.evaluation.models import Campaign, Response
from tongxin.evaluation.services import campaigns as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_members_of_one_household_submit_at_once():
    assert connection.vendor == "postgresql"
    world = two_grids()
    today = datetime.date.today()
    campaign = services.create(world.users["staff"], world.places["compound"], title="测评", subject_kind="compound",
                               opens_on=today, closes_on=today, questions=["环境"])
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    head = household.members.get(is_head=True).person
    spouse = create_person(name="配偶", phone="15800009999")
    join_household(spouse, household, relation="family")
    users = [create_login(head, phone="15800009998", password=PASSWORD),
             create_login(spouse, phone="15800009999", password=PASSWORD)]
    question = campaign.questions.get()

    def submit(user):
        return lambda: services.answer_as_resident(user, Campaign.objects.get(pk=campaign.pk), {question.pk: 5})

    outcomes = at_once([submit(user) for user in users])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and isinstance(refused[0], RefusedError), outcomes
    assert refused[0].code == "household_answered"
    assert Response.objects.filter(campaign=campaign, household=household).count() == 1


def test_two_members_of_one_household_vote_at_once():
    from tongxin.evaluation.models import AwardVote
    from tongxin.evaluation.services import awards

    assert connection.vendor == "postgresql"
    world = two_grids()
    staff = world.users["staff"]
    award_round = awards.create_round(staff, world.places["compound"], kind="family", year=2026, quarter=4,
                                      public_vote=True)
    nominations = [awards.nominate(staff, award_round, nominee=f"household:{h.pk}", reason="x")
                   for h in Household.objects.filter(place=world.places["b1u2"]).order_by("pk")[:2]]
    for nomination in nominations:
        awards.review(staff, nomination, approve=True)
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    spouse = create_person(name="配偶", phone="15800009999")
    join_household(spouse, household, relation="family")
    users = [create_login(household.members.get(is_head=True).person, phone="15800009998", password=PASSWORD),
             create_login(spouse, phone="15800009999", password=PASSWORD)]
    outcomes = at_once([lambda u=u, n=n: awards.vote(u, n) for u, n in zip(users, nominations, strict=True)])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and getattr(refused[0], "code", None) == "household_voted", outcomes
    assert AwardVote.objects.filter(award_round=award_round, household=household).count() == 1


def test_a_panel_member_reviews_twice_at_once():
    """Two clicks of one panel member at once: one review row, the other refused."""
    from tongxin.evaluation.models import PanelReview
    from tongxin.evaluation.services import awards

    assert connection.vendor == "postgresql"
    world = two_grids()
    staff = world.users["staff"]
    award_round = awards.create_round(staff, world.places["compound"], kind="family", year=2026, quarter=3)
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    nomination = awards.nominate(staff, award_round, nominee=f"household:{household.pk}", reason="x")
    awards.set_panel(staff, award_round, ["13100000004", "13100000005", "13100000003"])
    leader = world.users["leader"]
    outcomes = at_once([lambda a=a: awards.panel_review(leader, nomination, approve=a) for a in (True, False)])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and getattr(refused[0], "code", None) == "panel_reviewed", outcomes
    assert PanelReview.objects.filter(nomination=nomination).count() == 1
