"""Common-parts income, fee standards, bills and payments through the services: scope,
immutability once published, the numbers."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, PlaceNotice
from tongxin.core.testing import login_for
from tongxin.property import selectors
from tongxin.property.models import Bill, IncomeLine, IncomeReport, Payment
from tongxin.property.services import bills, income, standards
from tongxin.property.tests.conftest import company_managing

pytestmark = pytest.mark.django_db

SERVICE = standards.Item("service", "物业服务费", "m2_month", "1.20")


def _standard(world, on=datetime.date(2026, 1, 1), items=(SERVICE,)):
    return standards.create(world.users["keeper"], world.places["compound"], effective_from=on,
                            basis="物业服务合同（2026）", items=list(items))


# --- who keeps the accounts -----------------------------------------------------------------
def test_only_the_managing_companys_staff_keep_the_accounts(managed):
    world, compound = managed, managed.places["compound"]
    assert selectors.can_keep(world.users["keeper"], compound)
    serving = company_managing(compound, code="t-serving", relation="serves")
    login_for(world, "serving", "property_staff", organisation=serving, phone="13900000004")
    # A company that only serves the compound (a contractor) does not keep its accounts.
    assert not selectors.can_keep(world.users["serving"], compound)
    for key in ("serving", "staff", "committee", "leader", "worker_a"):
        with pytest.raises(PermissionDenied):
            income.open_report(world.users[key], compound, 2026, 1)
    assert selectors.can_view(world.users["staff"], compound)
    assert selectors.can_view(world.users["committee"], compound)
    assert selectors.can_view(world.users["leader"], compound)
    assert not selectors.can_view(world.users["worker_a"], compound)
    assert selectors.can_check(world.users["committee"], compound)
    assert not selectors.can_check(world.users["keeper"], compound)


def test_a_company_managing_another_compound_cannot_keep_this_one(managed):
    world = managed
    from tongxin.core.services.places import create_place

    other = create_place(parent=world.places["community"], kind="compound", code="t-other", name="别的小区")
    company = company_managing(other, code="t-other-co")
    user = login_for(world, "other_keeper", "property_staff", organisation=company, phone="13900000005")
    assert selectors.can_keep(user, other)
    assert not selectors.can_keep(user, world.places["compound"])
    with pytest.raises(PermissionDenied):
        standards.create(user, world.places["compound"], effective_from=datetime.date(2026, 1, 1), basis="合同",
                         items=[SERVICE])


# --- common-parts income --------------------------------------------------------------------
def test_a_quarters_income_nets_the_reasonable_cost_and_is_published_then_frozen(managed, client):
    world, keeper = managed, managed.users["keeper"]
    report = income.open_report(keeper, world.places["compound"], 2026, 1)
    assert income.open_report(keeper, world.places["compound"], 2026, 1).pk == report.pk
    income.add_line(keeper, report, kind="advertising", description="电梯广告", gross_yuan="12000", cost_yuan="1800")
    income.add_line(keeper, report, kind="parking", description="地面临时停车", gross_yuan="8000.50",
                    cost_yuan="2000")
    income.add_line(keeper, report, kind="rented_space", description="快递柜场地", gross_yuan="1200")
    with pytest.raises(RefusedError) as refused:
        income.add_line(keeper, report, kind="other", description="x", gross_yuan="10", cost_yuan="11")
    assert refused.value.code == "cost_over_income"
    assert client.get(f"/property/income/{report.pk}/").status_code == 404  # a draft is not public

    published = income.publish(keeper, report)
    notice = PlaceNotice.objects.get(pk=published.notice_id)
    assert notice.place == world.places["compound"] and notice.link == f"/property/income/{report.pk}/"
    assert "17400.50" in notice.body  # 21200.50 − 3800.00

    page = client.get(f"/property/income/{report.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "电梯广告" in text and "10200.00" in text and "17400.50" in text

    # Frozen: the service, the models and the database rows refuse any change.
    for attempt in (
        lambda: income.add_line(keeper, report, kind="other", description="补", gross_yuan="1"),
        lambda: income.remove_line(keeper, IncomeLine.objects.filter(report=report).first()),
        lambda: income.publish(keeper, report),
        lambda: IncomeReport.objects.get(pk=report.pk).save(),
        lambda: IncomeReport.objects.get(pk=report.pk).delete(),
        lambda: IncomeLine.objects.filter(report=report).first().save(),
        lambda: IncomeLine.objects.filter(report=report).first().delete(),
        lambda: IncomeLine.objects.create(report=report, kind="other", description="补", gross_fen=1),
    ):
        with pytest.raises(RefusedError) as refused:
            attempt()
        assert refused.value.code == "income_frozen"
    assert IncomeLine.objects.filter(report=report).count() == 3


def test_nothing_to_publish_is_refused(managed):
    report = income.open_report(managed.users["keeper"], managed.places["compound"], 2026, 2)
    with pytest.raises(RefusedError) as refused:
        income.publish(managed.users["keeper"], report)
    assert refused.value.code == "no_lines"


def test_the_owners_committee_checks_a_published_report_once(managed):
    world, keeper, member = managed, managed.users["keeper"], managed.users["committee"]
    report = income.open_report(keeper, world.places["compound"], 2026, 1)
    income.add_line(keeper, report, kind="advertising", description="广告", gross_yuan="100")
    with pytest.raises(RefusedError):
        income.check(member, report, agrees=True)  # not yet published
    report = income.publish(keeper, report)
    with pytest.raises(RefusedError) as refused:
        income.check(member, report, agrees=False)
    assert refused.value.code == "note_required"
    found = income.check(member, report, agrees=False, note="广告位数量与现场不符")
    assert not found.agrees
    with pytest.raises(RefusedError) as refused:
        income.check(member, report, agrees=True)
    assert refused.value.code == "checked"
    with pytest.raises(PermissionDenied):
        income.check(keeper, report, agrees=True)


# --- fee standards --------------------------------------------------------------------------
def test_a_new_standard_supersedes_the_old_which_is_kept(managed, client):
    world = managed
    old = _standard(world, datetime.date(2024, 1, 1))
    new = _standard(world, datetime.date(2026, 7, 1), items=(
        standards.Item("service", "物业服务费", "m2_month", "1.50"),
        standards.Item("service", "物业服务费", "m2_month", "1.80", building=world.places["b2"]),
        standards.Item("parking", "地下停车费", "month", "150")))
    compound = world.places["compound"]
    assert selectors.standard_in_force(compound, datetime.date(2026, 6, 30)).pk == old.pk
    assert selectors.standard_in_force(compound, datetime.date(2026, 7, 1)).pk == new.pk
    assert [s.pk for s in selectors.standards(compound)] == [new.pk, old.pk]
    with pytest.raises(RefusedError) as refused:
        _standard(world, datetime.date(2026, 7, 1))
    assert refused.value.code == "standard_duplicate"
    with pytest.raises(RefusedError):
        standards.create(world.users["keeper"], compound, effective_from=datetime.date(2027, 1, 1), basis="",
                         items=[SERVICE])


def test_bills_are_per_m2_times_area_and_a_building_price_overrides(managed):
    world, keeper, compound = managed, managed.users["keeper"], managed.places["compound"]
    _standard(world, items=(SERVICE, standards.Item("service", "物业服务费", "m2_month", "1.80",
                                                     building=world.places["b2"])))
    assert bills.generate(keeper, compound, 2026) == 12
    assert bills.generate(keeper, compound, 2026) == 0  # idempotent: every household billed once
    dues = dict(Bill.objects.values_list("building__code", "due_fen").distinct())
    assert dues == {"t-b1": 115920, "t-b2": 173880}  # 1.20 / 1.80 × 80.50 × 12
    with pytest.raises(RefusedError) as refused:
        bills.generate(keeper, compound, 2026, 3)
    assert refused.value.code == "period_mixed"
    assert bills.generate(keeper, compound, 2027, 1) == 12
    assert Bill.objects.filter(year=2027, month=1, building__code="t-b1").first().due_fen == 9660


def test_households_without_an_area_are_refused_clearly_and_nothing_is_billed(managed):
    world, keeper, compound = managed, managed.users["keeper"], managed.places["compound"]
    _standard(world)
    Household.objects.filter(place=world.places["b1u2"], unit_number="201").update(floor_area=None)
    with pytest.raises(RefusedError) as refused:
        bills.generate(keeper, compound, 2026)
    assert refused.value.code == "area_missing"
    assert "1户缺少建筑面积" in refused.value.message_zh and "201" in refused.value.message_zh
    assert not Bill.objects.exists()


def test_no_standard_no_bills(managed):
    with pytest.raises(RefusedError) as refused:
        bills.generate(managed.users["keeper"], managed.places["compound"], 2026)
    assert refused.value.code == "no_standard"


# --- payments and the collection rate -------------------------------------------------------
def test_one_payment_per_bill_and_the_database_refuses_paid_above_due(managed):
    world, keeper = managed, managed.users["keeper"]
    _standard(world)
    bills.generate(keeper, world.places["compound"], 2026)
    bill = Bill.objects.order_by("pk").first()
    bills.pay(keeper, bill)
    bill.refresh_from_db()
    assert bill.paid_fen == bill.due_fen == Payment.objects.get(bill=bill).amount_fen
    with pytest.raises(RefusedError) as refused:
        bills.pay(keeper, bill)
    assert refused.value.code == "bill_paid"
    other = Bill.objects.order_by("pk")[1]
    with pytest.raises(RefusedError) as refused:
        bills.pay(keeper, other, amount_yuan="2000")
    assert refused.value.code == "over_due"
    with pytest.raises(PermissionDenied):
        bills.pay(world.users["staff"], other)
    with pytest.raises(IntegrityError), transaction.atomic():
        Bill.objects.filter(pk=other.pk).update(paid_fen=other.due_fen + 1)
    with pytest.raises(IntegrityError), transaction.atomic():
        Payment.objects.create(bill=bill, amount_fen=1, paid_on=datetime.date.today(), recorded_by=keeper)


def test_collection_rate_per_building_households_and_amounts(managed):
    world, keeper, compound = managed, managed.users["keeper"], managed.places["compound"]
    _standard(world)
    bills.generate(keeper, compound, 2026)
    b1 = list(Bill.objects.filter(building=world.places["b1"]).order_by("pk"))
    b2 = list(Bill.objects.filter(building=world.places["b2"]).order_by("pk"))
    for bill in b1[:5]:
        bills.pay(keeper, bill)
    bills.pay(keeper, b1[5], amount_yuan="500")  # part paid: not settled
    bills.pay(keeper, b2[0])
    rates, total = selectors.collection(compound, 2026)
    assert [(r.building, r.households, r.settled) for r in rates] == [("1栋", 6, 5), ("2栋", 6, 1)]
    assert rates[0].household_rate == Decimal("83.3") and rates[1].household_rate == Decimal("16.7")
    assert rates[0].paid_fen == 5 * 115920 + 50000 and rates[0].due_fen == 6 * 115920
    assert rates[0].amount_rate == Decimal("90.5")  # 629600 / 695520
    assert (total.households, total.settled) == (12, 6)
    # A staff member scoped to grid A sees building 1 only.
    worker_view = login_for(world, "gridstaff", "community_staff", place=world.places["grid_a"],
                            phone="13900000009")
    scoped, _total = selectors.collection(compound, 2026, user=worker_view)
    assert [r.building for r in scoped] == ["1栋"]
