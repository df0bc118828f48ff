"""The ledger's pure rules, by table: quarters, balances, approvals, the fund citation."""

import datetime

import pytest

from tongxin.core.errors import RefusedError
from tongxin.finance import rules
from tongxin.finance.rules import INCOME, SPENDING, Line


@pytest.mark.parametrize(("year", "quarter", "start", "end"), [
    (2026, 1, datetime.date(2026, 1, 1), datetime.date(2026, 4, 1)),
    (2026, 2, datetime.date(2026, 4, 1), datetime.date(2026, 7, 1)),
    (2026, 3, datetime.date(2026, 7, 1), datetime.date(2026, 10, 1)),
    (2026, 4, datetime.date(2026, 10, 1), datetime.date(2027, 1, 1)),
])
def test_quarter_bounds(year, quarter, start, end):
    assert rules.quarter_bounds(year, quarter) == (start, end)


@pytest.mark.parametrize("quarter", [0, 5, -1])
def test_quarter_out_of_range_is_refused(quarter):
    with pytest.raises(RefusedError) as refused:
        rules.quarter_bounds(2026, quarter)
    assert refused.value.code == "bad_quarter"


@pytest.mark.parametrize(("opening", "lines", "income", "spending", "closing", "by_category"), [
    (0, [], 0, 0, 0, {}),
    (10000, [Line(INCOME, "停车费", 5000)], 5000, 0, 15000, {(INCOME, "停车费"): 5000}),
    (10000, [Line(SPENDING, "维修", 12000)], 0, 12000, -2000, {(SPENDING, "维修"): 12000}),
    (100, [Line(INCOME, "广告", 1), Line(INCOME, "广告", 2), Line(SPENDING, "办公", 3)], 3, 3, 100,
     {(INCOME, "广告"): 3, (SPENDING, "办公"): 3}),
])
def test_totals(opening, lines, income, spending, closing, by_category):
    found = rules.totals(opening, lines)
    assert (found.opening_fen, found.income_fen, found.spending_fen, found.closing_fen) == (
        opening, income, spending, closing)
    assert found.by_category == by_category


@pytest.mark.parametrize(("entered_by", "approver", "already", "code"), [
    (1, 2, False, None),
    (1, 1, False, "self_approval"),
    (None, 1, False, None),
    (1, 2, True, "already_approved"),
])
def test_approver(entered_by, approver, already, code):
    if code is None:
        rules.check_approver(entered_by, approver, already)
        return
    with pytest.raises(RefusedError) as refused:
        rules.check_approver(entered_by, approver, already)
    assert refused.value.code == code


COMPOUND = "0001000200030004"
ABOVE = ("00010002", "00010003")      # the community: contains the compound
BESIDE = ("00010002000300050", "00010002000300051")


@pytest.mark.parametrize(("kind", "direction", "state", "passed", "item", "where", "code"), [
    ("committee", SPENDING, None, None, None, None, None),          # the committee's account: no citation
    ("maintenance_fund", INCOME, None, None, None, None, None),     # fund income: no citation
    ("maintenance_fund", SPENDING, None, None, None, None, "fund_needs_decision"),
    ("maintenance_fund", SPENDING, "closed", True, 5, (COMPOUND, COMPOUND + "~"), None),
    ("maintenance_fund", SPENDING, "closed", True, 5, ABOVE, None),
    ("maintenance_fund", SPENDING, "closed", True, 4, ABOVE, "fund_wrong_item"),
    ("maintenance_fund", SPENDING, "closed", False, 5, ABOVE, "fund_not_passed"),
    ("maintenance_fund", SPENDING, "open", None, 5, ABOVE, "fund_not_passed"),
    ("maintenance_fund", SPENDING, "closed", True, 5, BESIDE, "fund_wrong_place"),
])
def test_fund_citation(kind, direction, state, passed, item, where, code):
    call = dict(account_kind=kind, direction=direction, decision_state=state, decision_passed=passed,
                decision_item=item, decision_range=where, compound_path=COMPOUND)
    if code is None:
        rules.check_fund_citation(**call)
        return
    with pytest.raises(RefusedError) as refused:
        rules.check_fund_citation(**call)
    assert refused.value.code == code
    assert refused.value.message_zh and refused.value.message_en
