"""The pages over real HTTP: scope, the public pages (rates, never a household's arrears), a
resident's own bills, the dashboard figure, and query counts flat over buildings and households."""

import datetime

import pytest

from tongxin.core.models import Household
from tongxin.core.services.places import create_place
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, bulk_households, count_queries
from tongxin.property.models import Bill, IncomeReport
from tongxin.property.services import bills, income, standards
from tongxin.property.stats import dashboard_stats

pytestmark = pytest.mark.django_db


def _books(world):
    keeper, compound = world.users["keeper"], world.places["compound"]
    standards.create(keeper, compound, effective_from=datetime.date(2026, 1, 1), basis="物业服务合同",
                     items=[standards.Item("service", "物业服务费", "m2_month", "1.20")])
    bills.generate(keeper, compound, 2026)
    for bill in Bill.objects.order_by("pk")[::2]:
        bills.pay(keeper, bill)
    report = income.open_report(keeper, compound, 2026, 1)
    income.add_line(keeper, report, kind="advertising", description="电梯广告", gross_yuan="1000", cost_yuan="100")
    return income.publish(keeper, report)


def test_staff_pages_and_the_keepers_forms(managed, client):
    world = managed
    report = _books(world)
    code = world.places["compound"].code
    client.force_login(world.users["keeper"])
    page = client.get(f"/property/c/{code}/").content.decode()
    assert "1栋" in page and "50.0%" in page and 'value="generate"' in page
    response = client.post(f"/property/c/{code}/standards/new/", {
        "effective_from": "2027-01-01", "basis": "业主大会决定", "kind1": "service", "unit1": "m2_month",
        "price1": "1.35", "kind2": "parking", "unit2": "month", "name2": "地下车位", "price2": "150"})
    assert response.status_code == 302
    response = client.post(f"/property/c/{code}/", {"action": "open_report", "year": "2026", "quarter": "2"})
    draft = IncomeReport.objects.get(year=2026, quarter=2)
    assert response.url == f"/property/income/{draft.pk}/edit/"
    client.post(response.url, {"action": "add", "kind": "parking", "description": "临时停车", "gross": "300",
                                "cost": "50"})
    client.post(response.url, {"action": "publish"})
    draft.refresh_from_db()
    assert draft.published_at and draft.lines.get().net_fen == 25000
    unpaid = Bill.objects.filter(paid_fen=0).order_by("pk").first()
    assert client.post(f"/property/bills/{unpaid.pk}/pay/", {"amount": ""}).status_code == 302
    unpaid.refresh_from_db()
    assert unpaid.paid_fen == unpaid.due_fen
    bills_page = client.get(f"/property/c/{code}/bills/?unpaid=1").content.decode()
    assert bills_page.count("Record payment") + bills_page.count("登记缴费") == 5

    # Community staff view, cannot keep; the committee checks; a grid worker sees nothing.
    client.force_login(world.users["staff"])
    assert client.get(f"/property/c/{code}/").status_code == 200
    assert client.post(f"/property/c/{code}/", {"action": "generate", "year": "2028"}).status_code == 403
    assert client.post(f"/property/bills/{unpaid.pk}/pay/").status_code in (302, 403)
    client.force_login(world.users["committee"])
    client.post(f"/property/income/{report.pk}/edit/", {"action": "check", "agrees": "yes"})
    assert report.checks.count() == 1
    client.force_login(world.users["worker_a"])
    assert client.get(f"/property/c/{code}/").status_code == 404
    assert client.get("/property/").status_code == 403


def test_the_public_page_shows_rates_and_standards_never_a_households_arrears(managed, client):
    world = managed
    report = _books(world)
    page = client.get(f"/property/p/{world.places['compound'].code}/").content.decode()
    assert "1.20" in page and "物业服务合同" in page and "50.0%" in page
    assert f"/property/income/{report.pk}/" in page
    for household in Household.objects.all():
        assert f">{household.unit_number}<" not in page
    assert "居民" not in page


def test_a_resident_sees_his_own_households_bills(managed, client):
    world = managed
    _books(world)
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    head = household.members.get(is_head=True).person
    client.force_login(create_login(head, phone=head.phone, password=PASSWORD))
    page = client.get("/property/mine/").content.decode()
    own = Bill.objects.get(household=household)
    assert "1159.20" in page and page.count("<tr>") == 2  # the header and his one bill
    assert own.household.unit_number in page
    assert client.get("/property/").status_code == 403


def test_dashboard_figure_is_the_amount_rate_of_ones_compounds_this_year(managed):
    world = managed
    keeper, compound = world.users["keeper"], world.places["compound"]
    year = datetime.date.today().year
    standards.create(keeper, compound, effective_from=datetime.date(year, 1, 1), basis="合同",
                     items=[standards.Item("service", "物业服务费", "m2_month", "1.00")])
    bills.generate(keeper, compound, year)
    for bill in Bill.objects.order_by("pk")[:3]:
        bills.pay(keeper, bill)
    assert [s.value for s in dashboard_stats(world.users["staff"])] == ["25.0%"]
    assert dashboard_stats(world.users["worker_a"]) == []


def _grow(world, buildings: int, per_entrance: int):
    compound = world.places["compound"]
    entrances = []
    for n in range(buildings):
        building = create_place(parent=compound, kind="building", code=f"t-big{n}", name=f"{n + 10}栋")
        entrances += [create_place(parent=building, kind="entrance", code=f"t-big{n}-u{u}", name=f"{u}单元")
                      for u in (1, 2)]
    bulk_households(entrances, per_entrance, start=100)
    bills.generate(world.users["keeper"], compound, 2026)
    for bill in Bill.objects.filter(paid_fen=0).order_by("pk")[::3]:
        bills.pay(world.users["keeper"], bill)


def test_query_counts_are_flat_over_buildings_and_households(managed, client):
    world = managed
    _books(world)
    code = world.places["compound"].code
    urls = [("staff", f"/property/c/{code}/"), ("staff", f"/property/c/{code}/bills/"), (None, f"/property/p/{code}/")]

    def counts():
        found = []
        for key, url in urls:
            client.logout()
            if key:
                client.force_login(world.users[key])
            with count_queries() as statements:
                assert client.get(url).status_code == 200
            found.append(len(statements))
        staff = type(world.users["staff"]).objects.get(pk=world.users["staff"].pk)  # grants not yet cached
        with count_queries() as statements:
            dashboard_stats(staff)
        return [*found, len(statements)]

    small = counts()
    assert Bill.objects.count() == 12
    _grow(world, 4, 24)  # 4 more buildings, 192 more households: 204 in all
    assert Bill.objects.count() == 204
    assert counts() == small
