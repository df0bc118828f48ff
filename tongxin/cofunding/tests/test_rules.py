"""The states of a project and what each allows; the final accounts' check; the collection rate."""

from decimal import Decimal

import pytest

from tongxin.cofunding import rules
from tongxin.cofunding.rules import COLLECTING, COMPLETED, DRAFT, IN_PROGRESS
from tongxin.core.errors import RefusedError

ACTIONS = ("compute_shares", "open", "pay", "progress", "start", "complete")


@pytest.mark.parametrize(("state", "allowed"), [
    (DRAFT, {"compute_shares", "open"}),
    (COLLECTING, {"pay", "progress", "start"}),
    (IN_PROGRESS, {"pay", "progress", "complete"}),
    (COMPLETED, set()),
    ("unknown", set()),
])
def test_what_each_state_allows(state, allowed):
    assert {a for a in ACTIONS if rules.allows(state, a)} == allowed
    for action in set(ACTIONS) - allowed:
        with pytest.raises(RefusedError) as refused:
            rules.check(state, action)
        assert refused.value.code == f"state_{action}" and refused.value.message_zh


@pytest.mark.parametrize(("state", "action", "target"), [
    (DRAFT, "open", COLLECTING),
    (COLLECTING, "start", IN_PROGRESS),
    (IN_PROGRESS, "complete", COMPLETED),
])
def test_the_one_way_forward(state, action, target):
    assert rules.next_state(state, action) == target


@pytest.mark.parametrize(("state", "action"), [
    (DRAFT, "start"), (DRAFT, "complete"), (COLLECTING, "open"), (COLLECTING, "complete"),
    (IN_PROGRESS, "open"), (IN_PROGRESS, "start"), (COMPLETED, "open"), (COMPLETED, "complete"),
    (COLLECTING, "pay"),  # allowed in the state, but not a transition
])
def test_no_other_transition(state, action):
    with pytest.raises(RefusedError):
        rules.next_state(state, action)


@pytest.mark.parametrize(("budget", "spent", "note", "code"), [
    (1000, 1000, "", None),                       # spent exactly the budget: nothing to explain
    (1000, 900, "结余退回业主", None),
    (1000, 1100, "超支由维修资金承担", None),
    (1000, 900, "", "balance_unexplained"),
    (1000, 1100, "  ", "overrun_unexplained"),
    (1000, 0, "x", "spent_missing"),
])
def test_final_accounts(budget, spent, note, code):
    if code is None:
        rules.check_final_accounts(budget, spent, note)
    else:
        with pytest.raises(RefusedError) as refused:
            rules.check_final_accounts(budget, spent, note)
        assert refused.value.code == code


@pytest.mark.parametrize(("paid", "due", "rate"), [
    (0, 100, Decimal("0.0")), (100, 100, Decimal("100.0")), (1, 3, Decimal("33.3")), (2, 3, Decimal("66.7")),
    (1, 2000, Decimal("0.1")), (0, 0, None),
])
def test_collection_rate(paid, due, rate):
    assert rules.rate(paid, due) == rate
