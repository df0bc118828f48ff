"""The case file's rules, table-driven: the state machine, the one-month deadline (month-end
days), extensions, overdue, agreements coming into force, the 30-day confirmation window."""

import datetime
from decimal import Decimal

import pytest

from tongxin.mediation import rules

D = datetime.date


@pytest.mark.parametrize(("state", "action", "expected"), [
    ("received", "accept", "accepted"),
    ("received", "decline", "declined"),
    ("received", "hand_off", "handed_off"),
    ("received", "session", None),
    ("received", "agree", None),
    ("accepted", "session", "in_mediation"),
    ("accepted", "agree", "agreed"),
    ("accepted", "fail", "failed"),
    ("accepted", "decline", None),
    ("in_mediation", "session", "in_mediation"),
    ("in_mediation", "agree", "agreed"),
    ("in_mediation", "fail", "failed"),
    ("in_mediation", "hand_off", "handed_off"),
    ("in_mediation", "close", None),
    ("agreed", "follow_up", "followed_up"),
    ("agreed", "close", None),  # follow up first (回访)
    ("agreed", "hand_off", None),
    ("followed_up", "follow_up", "followed_up"),
    ("followed_up", "close", "closed"),
    ("failed", "close", "closed"),
    ("failed", "hand_off", "handed_off"),
    ("failed", "agree", None),
    ("declined", "accept", None),
    ("closed", "session", None),
    ("handed_off", "session", None),
    ("handed_off", "close", None),
])
def test_transitions(state, action, expected):
    assert rules.next_state(state, action) == expected
    problem = rules.transition_problem(state, action)
    assert (problem is None) == (expected is not None)
    if problem:
        assert problem[0] == "wrong_state"


def test_an_unknown_action_is_refused_and_final_states_allow_nothing():
    assert rules.transition_problem("received", "explode")[0] == "action_unknown"
    for state in rules.FINAL_STATES:
        assert rules.allowed_actions(state) == []


@pytest.mark.parametrize(("accepted", "deadline"), [
    (D(2026, 1, 15), D(2026, 2, 15)),
    (D(2026, 1, 31), D(2026, 2, 28)),  # no 31 February: the month's last day
    (D(2028, 1, 31), D(2028, 2, 29)),  # leap year
    (D(2026, 1, 29), D(2026, 2, 28)),
    (D(2026, 3, 31), D(2026, 4, 30)),
    (D(2026, 2, 28), D(2026, 3, 28)),
    (D(2026, 12, 31), D(2027, 1, 31)),  # over the year end
    (D(2026, 12, 1), D(2027, 1, 1)),
])
def test_one_month_deadline(accepted, deadline):
    assert rules.default_deadline(accepted) == deadline


@pytest.mark.parametrize(("day", "months", "expected"), [
    (D(2026, 5, 31), -1, D(2026, 4, 30)),
    (D(2026, 1, 1), -11, D(2025, 2, 1)),
    (D(2026, 8, 31), 6, D(2027, 2, 28)),
])
def test_add_months_both_ways(day, months, expected):
    assert rules.add_months(day, months) == expected


@pytest.mark.parametrize(("state", "deadline", "new", "reason", "agree", "expected"), [
    ("in_mediation", D(2026, 2, 15), D(2026, 3, 15), "对方出差", True, None),
    ("accepted", D(2026, 2, 15), D(2026, 5, 15), "需要鉴定", True, None),  # three months: the most
    ("accepted", D(2026, 2, 15), D(2026, 5, 16), "需要鉴定", True, "extension_too_long"),
    ("in_mediation", D(2026, 2, 15), D(2026, 2, 15), "x", True, "extension_not_later"),
    ("in_mediation", D(2026, 2, 15), D(2026, 2, 1), "x", True, "extension_not_later"),
    ("in_mediation", D(2026, 2, 15), None, "x", True, "extension_not_later"),
    ("in_mediation", D(2026, 2, 15), D(2026, 3, 1), "  ", True, "reason_missing"),
    ("in_mediation", D(2026, 2, 15), D(2026, 3, 1), "x", False, "parties_must_agree"),
    ("received", None, D(2026, 3, 1), "x", True, "not_open"),
    ("agreed", D(2026, 2, 15), D(2026, 3, 1), "x", True, "not_open"),
])
def test_extension(state, deadline, new, reason, agree, expected):
    problem = rules.extension_problem(state, deadline, new, reason, agree)
    assert (problem[0] if problem else None) == expected


@pytest.mark.parametrize(("state", "deadline", "today", "expected"), [
    ("in_mediation", D(2026, 2, 28), D(2026, 2, 28), False),  # the last day is still in time
    ("in_mediation", D(2026, 2, 28), D(2026, 3, 1), True),
    ("accepted", D(2026, 2, 28), D(2026, 3, 1), True),
    ("agreed", D(2026, 2, 28), D(2026, 3, 10), False),  # settled: no deadline runs
    ("received", None, D(2026, 3, 10), False),
    ("handed_off", D(2026, 2, 28), D(2026, 3, 10), False),
])
def test_overdue(state, deadline, today, expected):
    assert rules.is_overdue(state, deadline, today) is expected


@pytest.mark.parametrize(("form", "reached", "signed", "parties", "expected"), [
    ("oral", D(2026, 3, 2), [], 2, D(2026, 3, 2)),  # art. 30
    ("written", D(2026, 3, 2), [], 2, None),
    ("written", D(2026, 3, 2), [D(2026, 3, 2)], 2, None),  # one of two signed
    ("written", D(2026, 3, 2), [D(2026, 3, 4), D(2026, 3, 2)], 2, D(2026, 3, 4)),  # the last signature
    ("written", D(2026, 3, 2), [D(2026, 3, 2)] * 3, 3, D(2026, 3, 2)),
])
def test_agreement_in_force(form, reached, signed, parties, expected):
    assert rules.agreement_effective_on(form, reached, signed, parties) == expected


HOLIDAYS = {D(2026, 10, day): "holiday" for day in range(1, 9)} | {D(2026, 10, 10): "workday"}


@pytest.mark.parametrize(("effective", "exceptions", "last"), [
    (D(2026, 3, 2), None, D(2026, 4, 1)),  # the first day is not counted
    (D(2026, 1, 31), None, D(2026, 3, 2)),
    (D(2028, 1, 31), None, D(2028, 3, 1)),  # leap year
    (D(2026, 3, 7), {}, D(2026, 4, 6)),  # a Monday: no change
    (D(2026, 3, 4), {}, D(2026, 4, 3)),  # a Friday
    (D(2026, 3, 5), {}, D(2026, 4, 6)),  # Saturday 4 April → Monday 6 April
    (D(2026, 9, 2), HOLIDAYS, D(2026, 10, 9)),  # 2 October, in the National Day holiday → the 9th
    (D(2026, 9, 10), HOLIDAYS, D(2026, 10, 10)),  # a make-up Saturday is a working day
])
def test_confirmation_last_day(effective, exceptions, last):
    assert rules.confirmation_last_day(effective, exceptions) == last


@pytest.mark.parametrize(("effective", "applied", "both", "expected"), [
    (None, D(2026, 3, 2), True, "agreement_not_in_force"),
    (D(2026, 3, 2), D(2026, 3, 2), True, None),
    (D(2026, 3, 2), D(2026, 4, 1), True, None),  # the 30th day
    (D(2026, 3, 2), D(2026, 4, 2), True, "window_passed"),
    (D(2026, 3, 2), D(2026, 3, 1), True, "before_in_force"),
    (D(2026, 3, 2), D(2026, 3, 10), False, "jointly"),
])
def test_confirmation_problem(effective, applied, both, expected):
    problem = rules.confirmation_problem(effective, applied, None, both_parties=both)
    assert (problem[0] if problem else None) == expected


@pytest.mark.parametrize(("agreements", "concluded", "expected"), [
    (12, 13, Decimal("92.3")),
    (0, 0, None),
    (3, 3, Decimal("100.0")),
    (1, 3, Decimal("33.3")),
    (2, 3, Decimal("66.7")),
])
def test_success_rate(agreements, concluded, expected):
    assert rules.success_rate(agreements, concluded) == expected
