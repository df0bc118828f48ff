"""Campaigns over HTTP and through the services: create, one answer per household, the panel
once each, closing, results by place and over time, scope, flat query counts."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tongxin.core.errors import RefusedError
from tongxin.core.models import Household
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, count_queries, two_grids
from tongxin.evaluation.models import Answer, Campaign, Response
from tongxin.evaluation.services import campaigns as services

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def world():
    return two_grids()


def resident_login(world, entrance_key: str, index: int, phone: str):
    """A login for the head of the ``index``-th household of an entrance."""
    household = Household.objects.filter(place=world.places[entrance_key]).order_by("pk")[index]
    person = household.members.select_related("person").first().person
    return create_login(person, phone=phone, password=PASSWORD), household


def make(world, *, place="compound", weight=60, panel=(("13100000004", "街道领导"),), title="物业满意度测评",
         opens_on=TODAY, subject_kind="compound", **extra):
    return services.create(world.users["staff"], world.places[place], title=title, subject_kind=subject_kind,
                           opens_on=opens_on, closes_on=opens_on + datetime.timedelta(days=14),
                           questions=["环境卫生", "安全秩序"], resident_weight=weight, panel=list(panel), **extra)


def ratings(campaign, *values):
    return {q.pk: v for q, v in zip(campaign.questions.all(), values, strict=True)}


def test_one_answer_per_household_and_the_panel_once_each(world):
    campaign = make(world)
    user, household = resident_login(world, "b1u1", 0, "15800000001")
    services.answer_as_resident(user, campaign, ratings(campaign, 5, 4), "很好")
    with pytest.raises(RefusedError) as refused:
        services.answer_as_resident(user, campaign, ratings(campaign, 1, 1))
    assert refused.value.code == "household_answered"
    leader = world.users["leader"]
    services.answer_as_panel(leader, campaign, ratings(campaign, 3, 3))
    with pytest.raises(RefusedError) as refused:
        services.answer_as_panel(leader, campaign, ratings(campaign, 3, 3))
    assert refused.value.code == "panel_answered"
    with pytest.raises(PermissionDenied):
        services.answer_as_panel(world.users["worker_a"], campaign, ratings(campaign, 3, 3))
    assert Response.objects.filter(campaign=campaign).count() == 2
    assert Answer.objects.filter(response__household=household).count() == 2


def test_a_missing_rating_or_a_closed_campaign_saves_nothing(world):
    campaign = make(world)
    user, _household = resident_login(world, "b1u1", 0, "15800000001")
    with pytest.raises(RefusedError) as refused:
        services.answer_as_resident(user, campaign, ratings(campaign, 5, 9))
    assert refused.value.code == "rating_missing"
    services.close(world.users["staff"], campaign)
    with pytest.raises(RefusedError) as refused:
        services.answer_as_resident(user, campaign, ratings(campaign, 5, 5))
    assert refused.value.code == "campaign_closed"
    assert not Response.objects.exists()


def test_only_households_under_the_place_answer(world):
    campaign = make(world, place="b1")
    outsider, _household = resident_login(world, "b2u1", 0, "15800000002")
    with pytest.raises(RefusedError) as refused:
        services.answer_as_resident(outsider, campaign, ratings(campaign, 5, 5))
    assert refused.value.code == "not_resident"


def test_creating_refuses_bad_input_and_other_places(world):
    with pytest.raises(RefusedError) as refused:
        make(world, panel=(("19999999999", "代表"),))
    assert refused.value.code == "panel_unknown"
    with pytest.raises(RefusedError) as refused:
        make(world, subject_kind="project")
    assert refused.value.code == "project_missing"
    with pytest.raises(PermissionDenied):
        services.create(world.users["worker_a"], world.places["b2"], title="x", subject_kind="compound",
                        opens_on=TODAY, closes_on=TODAY, questions=["x"])
    assert not Campaign.objects.exists()


def test_the_phone_page_the_results_and_the_series_over_time(world, client):
    earlier = make(world, opens_on=TODAY - datetime.timedelta(days=100), title="上季度测评")
    campaign = make(world)
    user, _household = resident_login(world, "b1u2", 0, "15800000003")
    client.force_login(user)
    listing = client.get(reverse("evaluation-campaigns")).content.decode()
    assert reverse("evaluation-answer", args=[campaign.pk]) in listing
    page = client.get(reverse("evaluation-answer", args=[campaign.pk]))
    assert "每户一份" in page.content.decode() or page.status_code == 200
    questions = list(campaign.questions.all())
    response = client.post(reverse("evaluation-answer", args=[campaign.pk]),
                           {f"q{questions[0].pk}": "5", f"q{questions[1].pk}": "4", "comment": "满意"})
    assert response.status_code == 302
    client.force_login(world.users["leader"])
    client.post(reverse("evaluation-answer", args=[campaign.pk]),
                {f"q{questions[0].pk}": "3", f"q{questions[1].pk}": "2"})
    client.force_login(world.users["staff"])
    assert client.post(reverse("evaluation-campaign", args=[campaign.pk]), {"action": "close"}).status_code == 302
    page = client.get(reverse("evaluation-campaign", args=[campaign.pk])).content.decode()
    # Q1: 5×0.6 + 3×0.4 = 4.20; Q2: 4×0.6 + 2×0.4 = 3.20; overall 3.70.
    assert "4.20" in page and "3.20" in page and '<dd id="overall">3.70</dd>' in page
    assert "上季度测评" in page  # the series over time
    assert Campaign.objects.get(pk=campaign.pk).closed_at is not None
    assert earlier.pk != campaign.pk


def test_pages_are_scoped_to_the_viewers_places(world, client):
    campaign = make(world, place="b2", title="二栋测评")
    client.force_login(world.users["worker_a"])
    assert "二栋测评" not in client.get(reverse("evaluation-campaigns")).content.decode()
    assert client.get(reverse("evaluation-campaign", args=[campaign.pk])).status_code == 404
    assert client.post(reverse("evaluation-campaign", args=[campaign.pk])).status_code == 404
    assert client.get(reverse("evaluation-answer", args=[campaign.pk])).status_code == 404
    client.force_login(world.users["worker_b"])
    assert "二栋测评" in client.get(reverse("evaluation-campaigns")).content.decode()


def test_staff_create_a_campaign_on_the_page(world, client):
    client.force_login(world.users["staff"])
    assert client.get(reverse("evaluation-campaign-new")).status_code == 200
    response = client.post(reverse("evaluation-campaign-new"), {
        "title": "文明创建测评", "place": world.places["compound"].code, "subject_kind": "project",
        "subject_name": "加装电梯", "opens_on": TODAY.isoformat(), "closes_on": TODAY.isoformat(),
        "resident_weight": "70", "questions": "进度\n质量\n", "panel": "13100000004 街道领导\n"})
    campaign = Campaign.objects.get(title="文明创建测评")
    assert response.status_code == 302 and campaign.resident_weight == 70
    assert campaign.questions.count() == 2 and campaign.panel.get().capacity == "街道领导"
    refused = client.post(reverse("evaluation-campaign-new"), {
        "title": "坏日期", "place": world.places["compound"].code, "subject_kind": "compound",
        "opens_on": "2026-13-01", "closes_on": "x", "questions": "x"})
    assert refused.status_code == 200 and "日期格式不对" in refused.content.decode()


def _answer_some(world, campaigns, indexes):
    """Households of building 1 (0–5) answer each campaign."""
    for index in indexes:
        user, _household = resident_login(world, "b1u1" if index < 3 else "b1u2", index % 3, f"1580000{index:04d}")
        for campaign in campaigns:
            services.answer_as_resident(user, campaign, ratings(campaign, 4, 5))


def test_query_counts_stay_flat(world, client):
    client.force_login(world.users["staff"])
    first = [make(world, title="一", opens_on=TODAY - datetime.timedelta(days=10))]
    _answer_some(world, first, [0])
    with count_queries() as few:
        assert client.get(reverse("evaluation-campaigns")).status_code == 200
    with count_queries() as few_detail:
        assert client.get(reverse("evaluation-campaign", args=[first[0].pk])).status_code == 200
    more = [make(world, title=f"测评{n}", opens_on=TODAY - datetime.timedelta(days=n)) for n in range(4)]
    _answer_some(world, more, range(1, 6))
    with count_queries() as many:
        assert client.get(reverse("evaluation-campaigns")).status_code == 200
    with count_queries() as many_detail:
        assert client.get(reverse("evaluation-campaign", args=[more[0].pk])).status_code == 200
    assert len(many) == len(few)
    assert len(many_detail) == len(few_detail)
