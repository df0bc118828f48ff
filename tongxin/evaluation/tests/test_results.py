"""Results fed back: the dashboard's latest score and its change, the results page by place and
over time (chart data and tables, flat query counts at 2 and 20 campaigns), the Excel export."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from tongxin.core.models import Household
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, count_queries, two_grids
from tongxin.evaluation.models import Campaign
from tongxin.evaluation.services import campaigns as services
from tongxin.evaluation.stats import dashboard_stats

pytestmark = pytest.mark.django_db
TODAY = datetime.date.today()


@pytest.fixture
def world():
    return two_grids()


def closed(world, *, days_ago: int, resident: int | None, panel: int | None, place="compound", title=None):
    """A closed campaign (two questions) with one household's answer and the leader's."""
    opens = TODAY - datetime.timedelta(days=days_ago)
    campaign = services.create(world.users["staff"], world.places[place], title=title or f"测评{days_ago}",
                               subject_kind="compound", opens_on=opens, closes_on=opens,
                               questions=["环境卫生", "安全秩序"], panel=[("13100000004", "街道领导")])
    Campaign.objects.filter(pk=campaign.pk).update(opens_on=TODAY, closes_on=TODAY)  # open for the answers
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    user = world.users.get("resident") or create_login(household.members.get().person, phone="15800000001",
                                                        password=PASSWORD)
    world.users["resident"] = user
    questions = list(campaign.questions.all())
    if resident is not None:
        services.answer_as_resident(user, campaign, {q.pk: resident for q in questions})
    if panel is not None:
        services.answer_as_panel(world.users["leader"], campaign, {q.pk: panel for q in questions})
    services.close(world.users["staff"], campaign)
    Campaign.objects.filter(pk=campaign.pk).update(opens_on=opens, closes_on=opens,
                                                   closed_at=timezone.now() - datetime.timedelta(days=days_ago))
    return campaign


def test_the_dashboard_shows_the_latest_score_and_the_change(world, client):
    assert dashboard_stats(world.users["staff"]) == []
    closed(world, days_ago=120, resident=4, panel=3)  # 4×0.6 + 3×0.4 = 3.60
    latest = closed(world, days_ago=30, resident=5, panel=3)  # 4.20
    closed(world, days_ago=60, resident=2, panel=None, place="b1", title="一栋测评")  # another subject
    [stat] = dashboard_stats(world.users["staff"])
    assert stat.value == "4.20 (+0.60)" and latest.title in str(stat.label)
    assert stat.url.endswith(f"?place={world.places['compound'].code}")
    [stat] = dashboard_stats(world.users["worker_a"])  # building 1 only: its own campaign, no previous one
    assert stat.value == "2.00" and "一栋测评" in str(stat.label)
    assert dashboard_stats(world.users["worker_b"]) == []  # building 2: nothing closed there
    client.force_login(world.users["leader"])
    assert "4.20 (+0.60)" in client.get(reverse("home")).content.decode()


def test_results_page_by_place_and_over_time_with_flat_queries(world, client):
    first = closed(world, days_ago=120, resident=4, panel=3)
    closed(world, days_ago=30, resident=5, panel=2)
    client.force_login(world.users["staff"])
    url = reverse("evaluation-results")
    with count_queries() as few:
        page = client.get(url, {"place": world.places["compound"].code}).content.decode()
    # Residents 4.00 then 5.00; the panel 3.00 then 2.00; weighted 3.60 then 3.80.
    for figure in ("4.00", "5.00", "3.00", "2.00", "3.60", "3.80", "环境卫生"):
        assert figure in page
    assert 'data-score-chart="score-chart-1"' in page and 'id="score-chart-1"' in page
    assert "vendor/echarts-6.1.0.min.js" in page and "//cdn" not in page
    for n in range(18):
        closed(world, days_ago=200 + n, resident=3, panel=None)
    with count_queries() as many:
        page = client.get(url, {"place": world.places["compound"].code}).content.decode()
    assert page.count("<tr><td><a href=") == 20
    assert len(many) == len(few)
    assert reverse("evaluation-campaign", args=[first.pk]) in page
    client.force_login(world.users["worker_a"])  # building 1 only: the compound's results are not theirs
    assert client.get(url, {"place": world.places["compound"].code}).status_code == 404


def test_the_export_is_scoped(world, client):
    closed(world, days_ago=30, resident=5, panel=3, title="小区测评")
    closed(world, days_ago=20, resident=None, panel=2, place="b2", title="二栋测评")
    closed(world, days_ago=20, resident=4, panel=None, place="b1", title="一栋测评")
    client.force_login(world.users["worker_a"])
    url = reverse("export-download", args=["evaluation-results", world.places["b1"].code])
    response = client.get(url)
    book = load_workbook(BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["一栋测评"] and rows[1][-1] == 4.0
    assert len(list(book.worksheets[1].iter_rows(values_only=True))) == 3
    other = reverse("export-download", args=["evaluation-results", world.places["b2"].code])
    assert client.get(other).status_code == 404
    client.force_login(world.users["staff"])
    rows = list(load_workbook(BytesIO(client.get(reverse(
        "export-download", args=["evaluation-results", world.places["compound"].code])).content))
        .worksheets[0].iter_rows(values_only=True))
    assert sorted(r[1] for r in rows[1:]) == ["一栋测评", "二栋测评", "小区测评"]
    assert [r[-1] for r in rows[1:] if r[1] == "小区测评"] == [4.2]
