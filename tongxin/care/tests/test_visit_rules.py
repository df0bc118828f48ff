"""The visit schedule's rules, as tables."""

import datetime

import pytest

from tongxin.care import visit_rules as rules

D = datetime.date


@pytest.mark.parametrize(("categories", "risk", "override", "days"), [
    (["elderly_alone"], "medium", None, 7),
    (["elderly_alone"], "low", None, 7),
    (["elderly_alone"], "high", None, 3),
    (["empty_nest"], "medium", None, 14),
    (["left_behind_child"], "medium", None, 14),
    (["disabled"], "medium", None, 14),
    (["special_hardship"], "medium", None, 30),
    (["special_hardship"], "high", None, 14),
    (["special_hardship", "elderly_alone"], "medium", None, 7),  # the shortest applies
    (["special_hardship", "disabled", "party_member"], "medium", None, 14),
    (["party_member"], "medium", None, 30),  # no care category: the default
    ([], "high", None, 14),
    (["elderly_alone"], "high", 10, 10),  # the subject's own interval overrides
    (["special_hardship"], "medium", 2, 2),
])
def test_interval(categories, risk, override, days):
    assert rules.interval_days(categories, risk, override) == days


@pytest.mark.parametrize(("last", "registered", "days", "due"), [
    (None, D(2026, 3, 1), 7, D(2026, 3, 8)),
    (D(2026, 3, 10), D(2026, 3, 1), 7, D(2026, 3, 17)),
    (D(2026, 2, 27), D(2026, 1, 1), 3, D(2026, 3, 2)),
])
def test_next_due(last, registered, days, due):
    assert rules.next_due(last, registered, days) == due


@pytest.mark.parametrize(("due", "notified", "today", "step"), [
    (None, None, D(2026, 3, 10), None),
    (D(2026, 3, 10), None, D(2026, 3, 10), None),  # due today: not overdue yet
    (D(2026, 3, 9), None, D(2026, 3, 10), rules.NOTIFY),
    (D(2026, 3, 9), D(2026, 3, 10), D(2026, 3, 11), None),  # told already
    (D(2026, 3, 9), D(2026, 3, 10), D(2026, 3, 16), None),
    (D(2026, 3, 9), D(2026, 3, 10), D(2026, 3, 17), rules.ESCALATE),  # ESCALATE_AFTER_DAYS later
    (D(2026, 3, 20), D(2026, 3, 10), D(2026, 3, 25), rules.NOTIFY),  # a later episode: told again
])
def test_overdue_step(due, notified, today, step):
    assert rules.overdue_step(due, notified, today) == step


@pytest.mark.parametrize(("old", "new", "kept"), [
    (None, "nobody_home", "nobody_home"),
    ("nobody_home", "reached", "reached"),
    ("nobody_home", "declined", "declined"),
    ("declined", "reached", "reached"),
    ("reached", "nobody_home", "reached"),
    ("reached", "declined", "reached"),
    ("nobody_home", "nobody_home", "nobody_home"),
])
def test_merged_outcome(old, new, kept):
    assert rules.merged_outcome(old, new) == kept


@pytest.mark.parametrize(("outcome", "done"), [(None, False), ("nobody_home", False), ("declined", True),
                                                ("reached", True)])
def test_is_done(outcome, done):
    assert rules.is_done(outcome) is done
