"""The property accounts' rules, table-tested."""

import datetime
from decimal import Decimal

import pytest

from tongxin.core.errors import RefusedError
from tongxin.property import rules


@pytest.mark.parametrize(("gross", "cost", "net"), [(100000, 0, 100000), (100000, 25000, 75000), (1, 1, 0)])
def test_the_owners_net_is_the_income_less_the_reasonable_cost(gross, cost, net):
    assert rules.net_fen(gross, cost) == net


@pytest.mark.parametrize(("gross", "cost", "code"), [
    (100, 101, "cost_over_income"), (0, 0, "amount_zero"), (-1, 0, "amount_invalid"), (100, -1, "amount_invalid"),
])
def test_a_cost_above_the_income_or_a_negative_amount_is_refused(gross, cost, code):
    with pytest.raises(RefusedError) as refused:
        rules.net_fen(gross, cost)
    assert refused.value.code == code and refused.value.message_zh


@pytest.mark.parametrize(("price", "unit", "area", "months", "due"), [
    (120, rules.PER_M2_MONTH, Decimal("80.50"), 12, 115920),     # ¥1.20 × 80.50 m² × 12
    (135, rules.PER_M2_MONTH, Decimal("80.50"), 1, 10868),       # 10867.5 → half up, once
    (135, rules.PER_M2_MONTH, Decimal("80.50"), 12, 130410),     # rounded once for the year, not per month
    (85, rules.PER_M2_MONTH, Decimal("55.33"), 1, 4703),         # 4703.05
    (15000, rules.PER_MONTH, None, 12, 180000),                  # a price per month needs no area
    (0, rules.PER_M2_MONTH, Decimal("70"), 12, 0),
])
def test_due_is_price_times_area_times_months_rounded_to_the_fen(price, unit, area, months, due):
    assert rules.due_fen(price, unit, area, months) == due


def test_a_household_without_an_area_cannot_be_billed_by_area():
    with pytest.raises(RefusedError) as refused:
        rules.due_fen(120, rules.PER_M2_MONTH, None, 12)
    assert refused.value.code == "area_missing" and "面积" in refused.value.message_zh


@pytest.mark.parametrize(("on", "expected"), [
    (datetime.date(2023, 12, 31), None), (datetime.date(2024, 1, 1), 1), (datetime.date(2025, 6, 30), 1),
    (datetime.date(2025, 7, 1), 2), (datetime.date(2030, 1, 1), 2),
])
def test_the_standard_in_force_is_the_latest_effective_on_the_day(on, expected):
    standards = [(datetime.date(2025, 7, 1), 2), (datetime.date(2024, 1, 1), 1)]
    assert rules.in_force(standards, on) == expected


@pytest.mark.parametrize(("amount", "due", "paid", "already", "code"), [
    (100, 100, 0, True, "bill_paid"), (0, 100, 0, False, "amount_zero"), (101, 100, 0, False, "over_due"),
])
def test_a_payment_is_refused_twice_at_zero_or_above_the_due(amount, due, paid, already, code):
    with pytest.raises(RefusedError) as refused:
        rules.check_payment(amount, due, paid, already)
    assert refused.value.code == code


def test_a_payment_up_to_the_due_is_accepted():
    rules.check_payment(100, 100, 0, False)
    rules.check_payment(40, 100, 0, False)


@pytest.mark.parametrize(("part", "whole", "expected"), [
    (0, 0, None), (17, 20, Decimal("85.0")), (2, 3, Decimal("66.7")), (1, 3, Decimal("33.3")), (5, 5, Decimal("100.0")),
])
def test_rates_are_percent_with_one_decimal(part, whole, expected):
    assert rules.rate(part, whole) == expected


@pytest.mark.parametrize(("year", "quarter", "bounds"), [
    (2026, 1, (datetime.date(2026, 1, 1), datetime.date(2026, 4, 1))),
    (2026, 4, (datetime.date(2026, 10, 1), datetime.date(2027, 1, 1))),
])
def test_quarter_bounds(year, quarter, bounds):
    assert rules.quarter_bounds(year, quarter) == bounds


@pytest.mark.parametrize(("year", "month"), [(2026, 0), (2026, 13), (1999, None)])
def test_a_bad_period_is_refused(year, month):
    with pytest.raises(RefusedError):
        rules.check_period(year, month)
