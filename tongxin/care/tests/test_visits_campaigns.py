"""Door-to-door campaigns: creating, ticking households off, a second visit, coverage by
building, who may visit, and query counts flat as households grow."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.test import Client

from tongxin.care.models import Campaign, CampaignVisit
from tongxin.care.selectors import campaigns as selectors
from tongxin.care.services import campaigns as services
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household
from tongxin.core.testing import bulk_households, count_queries
from tongxin.demands.models import Category
from tongxin.demands.testing import catalogues  # noqa: F401 - puts the catalogue back
from tongxin.volunteering.models import Enrolment, Status

pytestmark = pytest.mark.django_db


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def campaign_over(world, place="compound", questions=("家里有需要帮助的老人吗？",)) -> Campaign:
    return services.create(world.users["staff"], title="党员敲门", place=world.places[place],
                           starts_on=datetime.date(2026, 3, 1), questions=list(questions))


def households(world, building):
    place = world.places[building]
    return list(Household.objects.filter(place_path__gte=place.path, place_path__lt=place.path_end).order_by("pk"))


def test_staff_create_a_campaign_from_the_list_page(world):
    client = client_for(world.users["staff"])
    response = client.post("/care/campaigns/", {"title": "逐户走访", "place": str(world.places["compound"].pk),
                                                "starts_on": "2026-03-01", "questions": "有老人吗？\n\n有困难吗？",
                                                "form_key": "new-1"})
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/care/campaigns/{campaign.pk}/"
    assert campaign.questions == ["有老人吗？", "有困难吗？"] and campaign.place_path == world.places["compound"].path
    refused = client.post("/care/campaigns/", {"title": "x", "place": str(world.places["compound"].pk),
                                               "starts_on": "2026-03-01", "form_key": "new-2"})
    assert refused.status_code == 400
    # Grid A's worker may not run a campaign over grid B's building.
    with pytest.raises(RefusedError):
        services.create(world.users["worker_a"], title="走访", place=world.places["b2"],
                        starts_on=datetime.date(2026, 3, 1))


def test_a_visitor_ticks_a_household_and_a_finding_becomes_a_demand(world):
    campaign = campaign_over(world)
    household = households(world, "b1")[0]
    client = client_for(world.users["worker_a"])
    page = f"/care/campaigns/{campaign.pk}/households/{household.pk}/"
    assert client.get(page).status_code == 200
    repairs = Category.objects.get(code="repairs")
    response = client.post(page, {"outcome": "reached", "q0": "有一位独居老人", "note": "老人腿脚不便",
                                  "problem": "楼道灯坏了", "category": str(repairs.pk), "form_key": "t1"})
    assert response.status_code == 302
    visit = CampaignVisit.objects.get()
    assert visit.outcome == "reached" and visit.answers == {"家里有需要帮助的老人吗？": "有一位独居老人"}
    assert visit.place_path == household.place_path and visit.visited_by == world.users["worker_a"]
    assert visit.demand.source == "visit" and visit.demand.place == household.place
    assert visit.demand.recorded_by == world.users["worker_a"]
    # The double click of the same form counts once.
    assert client.post(page, {"outcome": "reached", "form_key": "t1"}).status_code == 302
    assert CampaignVisit.objects.count() == 1


def test_a_household_is_ticked_once_and_a_second_visit_updates_it(world):
    campaign = campaign_over(world)
    household = households(world, "b1")[0]
    user = world.users["worker_a"]
    services.tick(user, campaign, household, outcome="nobody_home", note="第一次没人", form_key="a")
    services.tick(user, campaign, household, outcome="reached", answers={"家里有需要帮助的老人吗？": "没有"},
                  note="第二次见到了", form_key="b")
    services.tick(user, campaign, household, outcome="nobody_home", form_key="c")
    visit = CampaignVisit.objects.get()
    assert visit.outcome == "reached" and visit.note == "第一次没人\n第二次见到了"
    assert visit.answers == {"家里有需要帮助的老人吗？": "没有"}
    with pytest.raises(IntegrityError), transaction.atomic():
        CampaignVisit.objects.create(campaign=campaign, household=household, place_path=household.place_path,
                                     outcome="reached", visited_at=visit.visited_at)


def test_who_may_visit(world):
    campaign = campaign_over(world, "b1")
    inside, outside = households(world, "b1")[0], households(world, "b2")[0]
    with pytest.raises(RefusedError):  # a household outside the campaign's place
        services.tick(world.users["staff"], campaign, outside, outcome="reached", form_key="o")
    for user in (world.users["worker_b"], world.users["leader"], world.users["chief_b1"]):
        client = client_for(user)
        assert client.get(f"/care/campaigns/{campaign.pk}/").status_code == 404
        assert client.post(f"/care/campaigns/{campaign.pk}/households/{inside.pk}/",
                           {"outcome": "reached", "form_key": f"w{user.pk}"}).status_code == 404
    assert not CampaignVisit.objects.exists()
    # An approved volunteer of the community may visit; a pending one may not.
    from tongxin.volunteering.tests.claims_support import enrol

    enrol(world, "member", phone="13800000021")
    enrol(world, "pending", phone="13800000022", status=Status.PENDING)
    assert client_for(world.users["pending"]).get(f"/care/campaigns/{campaign.pk}/").status_code == 404
    member = client_for(world.users["member"])
    assert campaign.title in member.get("/care/campaigns/").content.decode()
    assert member.get(f"/care/campaigns/{campaign.pk}/").status_code == 200
    assert member.post(f"/care/campaigns/{campaign.pk}/households/{inside.pk}/",
                       {"outcome": "reached", "form_key": "m1"}).status_code == 302
    assert Enrolment.objects.count() == 2 and CampaignVisit.objects.count() == 1


def test_coverage_by_building(world):
    campaign = campaign_over(world)
    b1, b2 = households(world, "b1"), households(world, "b2")
    user = world.users["staff"]
    services.tick(user, campaign, b1[0], outcome="reached", form_key="1")
    services.tick(user, campaign, b1[1], outcome="declined", form_key="2")
    services.tick(user, campaign, b1[2], outcome="nobody_home", form_key="3")
    services.tick(user, campaign, b2[0], outcome="reached", form_key="4")
    found = selectors.coverage(campaign)
    rows = {row.place.name: row for row in found.blocks}
    assert (rows["1栋"].households, rows["1栋"].reached, rows["1栋"].declined, rows["1栋"].nobody_home,
            rows["1栋"].todo) == (6, 1, 1, 1, 4)
    assert (rows["2栋"].households, rows["2栋"].reached, rows["2栋"].todo) == (6, 1, 5)
    assert [row.place.name for row in found.blocks] == ["2栋", "1栋"]  # most unreached first
    assert (found.households, found.reached, found.todo) == (12, 2, 9)
    assert len(rows["1栋"].todo_units) == 4 and "1单元 301" in rows["1栋"].todo_units
    page = client_for(user).get(f"/care/campaigns/{campaign.pk}/").content.decode()
    assert "1单元 301" in page and "居民" not in page  # unit numbers only, no names
    building = client_for(user).get(f"/care/campaigns/{campaign.pk}/?building={world.places['b1'].pk}")
    assert building.status_code == 200 and f"/households/{b1[0].pk}/" in building.content.decode()


def test_coverage_queries_stay_flat_as_households_grow(world):
    campaign = campaign_over(world)
    client = client_for(world.users["staff"])
    entrances = [world.places[k] for k in ("b1u1", "b1u2", "b2u1", "b2u2")]

    def measure():
        with count_queries() as statements:
            assert client.get(f"/care/campaigns/{campaign.pk}/").status_code == 200
            assert client.get(f"/care/campaigns/{campaign.pk}/?building={world.places['b1'].pk}").status_code == 200
        return len(statements)

    small = measure()
    bulk_households(entrances, 40)
    for household in Household.objects.order_by("pk")[:30]:
        services.tick(world.users["staff"], campaign, household, outcome="reached", form_key=f"g{household.pk}")
    assert measure() == small


def test_a_grid_worker_sees_and_ticks_only_their_part_of_a_compound_campaign(world):
    campaign = campaign_over(world)  # the compound: building 1 in grid A, building 2 in grid B
    client = client_for(world.users["worker_a"])
    page = client.get(f"/care/campaigns/{campaign.pk}/").content.decode()
    assert "1栋" in page and "2栋" not in page
    assert client.get(f"/care/campaigns/{campaign.pk}/?building={world.places['b2'].pk}").status_code == 404
    outside = households(world, "b2")[0]
    assert client.get(f"/care/campaigns/{campaign.pk}/households/{outside.pk}/").status_code == 404
    with pytest.raises(RefusedError):
        services.tick(world.users["worker_a"], campaign, outside, outcome="reached", form_key="x")
    services.tick(world.users["worker_a"], campaign, households(world, "b1")[0], outcome="reached", form_key="y")
    assert CampaignVisit.objects.count() == 1
