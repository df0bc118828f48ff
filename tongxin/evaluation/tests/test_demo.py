"""The evaluation demo: loads on the registers' demo, twice without duplicates; two closed
campaigns a quarter apart form a series on the results page; an award round reviewed by its
panel has its winners on the compound's notice board."""

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.core.models import Place, PlaceNotice, User
from tongxin.core.testing import demo_loaded_twice
from tongxin.evaluation import demo as evaluation_demo
from tongxin.evaluation.models import AwardPanelMember, AwardRound, Campaign, Nomination, PanelReview, Response

pytestmark = pytest.mark.django_db
TABLES = (Campaign, Response, AwardRound, Nomination, AwardPanelMember, PanelReview)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.registers.demo import load as load_registers

    with demo_loaded_twice(django_db_blocker, [load_registers], evaluation_demo.load, TABLES) as loaded:
        yield loaded


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"] and demo["first"]["Campaign"] == 2
    assert demo["out"].count("  evaluation:") == 2


def test_two_closed_campaigns_make_a_series_with_both_sides(demo):
    compound = Place.objects.get(code=evaluation_demo.COMPOUND)
    assert Campaign.objects.filter(place=compound, closed_at__isnull=False).count() == 2
    assert Response.objects.filter(side="panel").count() >= 2 and Response.objects.filter(side="resident").count() > 50
    staff = User.objects.get(person__roles__role="community_staff", person__roles__place__code="jz-dongyuan")
    client = Client()
    client.force_login(staff)
    page = client.get(reverse("evaluation-results"), {"place": compound.code}).content.decode()
    assert 'data-score-chart="score-chart-1"' in page
    assert all(title in page for title, *_rest in evaluation_demo.CAMPAIGNS)


def test_the_award_round_was_reviewed_by_its_panel_and_published(demo):
    award_round = AwardRound.objects.get()
    assert award_round.published_at and AwardPanelMember.objects.filter(award_round=award_round).count() >= 2
    winners = Nomination.objects.filter(award_round=award_round, winner=True)
    assert winners.count() == Nomination.objects.filter(status="approved").count() >= 2
    assert Nomination.objects.filter(status="declined").count() == 1
    assert all(n.household_id or n.building_id for n in winners)
    notice = PlaceNotice.objects.get(link__endswith=f"/{award_round.token}/")
    assert "**" in notice.body  # households are named masked
