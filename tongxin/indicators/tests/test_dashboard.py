"""The dashboard, the big screen and the Excel export: who sees what, and what it costs."""

import datetime
from io import BytesIO

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from tongxin.core.testing import count_queries
from tongxin.demands import services
from tongxin.demands.models import Category
from tongxin.demands.testing import file_report
from tongxin.indicators.tests.example import build

pytestmark = pytest.mark.django_db
OCTOBER = "period=month&on=2026-10-01"


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def test_it_shows_a_leader_the_street_with_its_communities(world):
    build(world)
    page = client_for(world.users["leader"]).get(f"{reverse('indicators-dashboard')}?{OCTOBER}")
    assert page.status_code == 200
    body = page.content.decode()
    assert "测试街道" in body and "测试社区" in body
    assert "75.1" in body  # the composite score of the worked example
    assert 'data-chart="chart-children"' in body and 'data-line-chart="chart-rates"' in body
    assert "<script>" not in body  # strict CSP: data only in json_script blocks


def test_it_drills_down_to_a_grid_and_back_up(world):
    build(world)
    client = client_for(world.users["staff"])
    page = client.get(f"{reverse('indicators-dashboard')}?place=t-grid-b&{OCTOBER}").content.decode()
    assert "79.2" in page and 'href="?place=t-community' in page  # the way back up
    assert "t-street" not in page  # the street is above the community staff's places


def test_a_grid_worker_never_sees_the_other_grid(world):
    build(world)
    client = client_for(world.users["worker_a"])
    url = reverse("indicators-dashboard")
    own = client.get(f"{url}?{OCTOBER}")
    assert own.status_code == 200 and "第一网格" in own.content.decode()
    assert "79.2" not in own.content.decode()  # grid B's score
    for name in ("indicators-dashboard", "indicators-screen", "indicators-export"):
        for place in ("t-grid-b", "t-community", "t-b2"):
            assert client.get(f"{reverse(name)}?place={place}").status_code == 404, (name, place)


def test_people_without_the_permission_are_refused(world):
    assert client_for(world.users["chief_b1"]).get(reverse("indicators-dashboard")).status_code == 403
    assert Client().get(reverse("indicators-dashboard")).status_code == 302  # to the login page


def test_the_big_screen_refreshes_itself_and_needs_nothing_from_outside(world):
    build(world)
    page = client_for(world.users["leader"]).get(f"{reverse('indicators-screen')}?{OCTOBER}")
    body = page.content.decode()
    assert page.status_code == 200
    assert 'hx-trigger="every 60s"' in body and 'hx-select="#screen-inner"' in body and 'class="screen"' in body
    assert "http://" not in body and "https://" not in body and "//cdn" not in body


def test_the_excel_export_has_the_dashboards_figures(world):
    build(world)
    response = client_for(world.users["leader"]).get(f"{reverse('indicators-export')}?{OCTOBER}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    places = book.worksheets[0]
    header = [cell.value for cell in places[1]]
    total = dict(zip(header, [cell.value for cell in places[2]], strict=True))
    assert total["诉求数"] == 19 and total["响应率"] == round(13 / 17, 4) and total["综合得分"] == 75.1
    assert [row[0].value for row in book["网格排名"].iter_rows(min_row=2)] == ["第二网格", "第一网格"]


def test_the_manifest_export_gives_this_month(world):
    url = reverse("export-download", args=["indicators-month", "t-community"])
    response = client_for(world.users["staff"]).get(url)
    assert response.status_code == 200
    assert load_workbook(BytesIO(response.content)).sheetnames[0] == "地点"


def test_the_home_page_shows_this_months_score(world):
    file_report(world.places["b1u1"], category=Category.objects.get(code="repairs"), description="漏水", key="h")
    page = client_for(world.users["staff"]).get(reverse("home")).content.decode()
    assert "本月综合得分" in page


def _demands(world, count):
    repairs = Category.objects.get(code="repairs")
    worker = world.users["worker_a"]
    for n in range(count):
        demand = file_report(world.places["b1u1" if n % 2 else "b2u1"], category=repairs, description="漏水",
                                 key=f"q{n}-{count}")
        if n % 3 == 0:
            services.act(worker if n % 2 else world.users["worker_b"], demand, "accept")


def test_the_dashboard_costs_the_same_queries_with_10_or_200_demands(world):
    client = client_for(world.users["leader"])
    url = f"{reverse('indicators-dashboard')}?place=t-community"
    _demands(world, 10)
    client.get(url)
    with count_queries() as few:
        client.get(url)
    _demands(world, 190)
    with count_queries() as many:
        page = client.get(url)
    assert page.status_code == 200
    assert len(many) == len(few), "\n".join(many)
    # session, user, role assignments, the place, its parts, their grids' coverage, figures by unit,
    # by category, the trend, the units (for the grid ranking), the communities, the trail, unread notices
    assert len(few) == 15, "\n".join(few)


def test_rebuild_rollups_is_a_console_command(world, capsys):
    from tongxin.cli import main

    file_report(world.places["b1u1"], category=Category.objects.get(code="repairs"), description="漏水", key="c")
    assert main(["rebuild-rollups", "--check"]) == 0
    assert main(["rebuild-rollups"]) == 0
    assert "rollup rows rebuilt" in capsys.readouterr().out


def test_a_week_has_its_neighbours(world):
    client = client_for(world.users["leader"])
    page = client.get(f"{reverse('indicators-dashboard')}?period=week&on=2026-10-14").content.decode()
    assert "on=2026-10-05" in page and "on=2026-10-19" in page  # previous and next Mondays
    assert datetime.date(2026, 10, 12).isoformat() in page


def test_the_months_trend_reads_the_monthly_rows_and_agrees_with_the_days(world):
    """Past months come from the monthly grain, this month from the days: the same figures as
    summing the days of every month."""
    from django.db.models import F, Sum

    from tongxin.indicators import rollups, selectors
    from tongxin.indicators.models import COUNTERS, DailyFigures, MonthlyFigures
    from tongxin.indicators.periods import Period

    _demands(world, 12)
    today = datetime.date.today()
    mid_last_month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=15)
    DailyFigures.objects.update(day=F("day") - (today - mid_last_month))  # as if reported last month
    MonthlyFigures.objects.all().delete()
    for (unit, path, category, month), counters in rollups.by_month(rollups.stored()).items():
        MonthlyFigures.objects.create(unit_id=unit, unit_path=path, category_id=category,
                                      month=datetime.date.fromisoformat(month), **counters)
    board = selectors.board(world.places["community"], Period.containing(today))
    reported = DailyFigures.objects.filter(day__lt=today.replace(day=1)).aggregate(**{n: Sum(n) for n in COUNTERS})
    assert board.trend[-2].counters["received"] == reported["received"] == 12
    assert board.trend[-1].counters.get("received", 0) == 0
