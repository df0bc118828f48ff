"""Every allowed and every forbidden transition, per role (the table is the rule)."""

import itertools

import pytest

from tongxin.demands import rules
from tongxin.demands.rules import ACTIONS, ACTOR_ROLES, STATES, NotAllowed, next_state

D, H, S, Y, R = rules.DISPATCHER, rules.HANDLER, rules.SUPERVISOR, rules.SYSTEM, rules.REPORTER

ALLOWED = [
    ("received", "accept", D, "accepted"), ("received", "accept", S, "accepted"),
    ("received", "reject", D, "rejected"), ("received", "merge", D, "merged"), ("received", "escalate", Y, "escalated"),
    ("accepted", "dispatch", D, "dispatched"), ("accepted", "resolve", D, "resolved"),
    ("dispatched", "start", H, "in_progress"), ("dispatched", "decline", H, "accepted"),
    ("dispatched", "resolve", H, "resolved"), ("dispatched", "extend", D, "dispatched"),
    ("dispatched", "dispatch", D, "dispatched"),
    ("in_progress", "resolve", H, "resolved"), ("in_progress", "suspend", S, "suspended"),
    ("in_progress", "escalate", D, "escalated"),
    ("suspended", "resume", S, "in_progress"),
    ("resolved", "verify", D, "verified"), ("resolved", "rework", D, "rework"),
    ("rework", "start", H, "in_progress"), ("rework", "resolve", H, "resolved"),
    ("verified", "close", D, "closed"),
    ("escalated", "dispatch", S, "dispatched"), ("escalated", "accept", S, "accepted"),
    ("closed", "reopen", Y, "rework"),
    ("in_progress", "comment", R, "in_progress"), ("received", "comment", H, "received"),
    ("in_progress", "reassign", D, "in_progress"), ("rework", "reassign", S, "rework"),
    ("suspended", "reassign", D, "suspended"),
    ("accepted", "refer", D, "referred"), ("in_progress", "refer", H, "referred"),
    ("referred", "resolve", D, "resolved"), ("referred", "dispatch", D, "dispatched"),
    ("referred", "comment", R, "referred"),
    ("in_progress", "escalate", H, "escalated"),  # a handler asks for help above
    ("escalated", "escalate", Y, "escalated"), ("escalated", "escalate", S, "escalated"),
]


@pytest.mark.parametrize(("state", "action", "role", "target"), ALLOWED)
def test_allowed(state, action, role, target):
    assert next_state(state, action, role) == target


FORBIDDEN = [
    ("received", "dispatch", D),  # accept first (立案)
    ("received", "accept", H), ("received", "accept", R),
    ("dispatched", "resolve", D),  # the handler reports the result, not the dispatcher
    ("in_progress", "suspend", D),  # 缓办 is approved one level up
    ("resolved", "close", D),  # checked before closed
    ("resolved", "verify", H),  # nobody checks their own work
    ("closed", "reopen", R), ("closed", "reopen", D),  # only a rating reopens
    ("closed", "comment", R), ("rejected", "accept", D), ("merged", "accept", S),
    ("escalated", "dispatch", D),  # the street takes it
    ("in_progress", "reassign", H),  # a handler hands back (decline); only staff reassign
    ("received", "reassign", D), ("accepted", "reassign", D),  # nobody holds it yet: dispatch
    ("received", "refer", D),  # accept first
    ("referred", "resolve", H),  # the community records the office's answer
    ("accepted", "refer", H),
    ("escalated", "escalate", D),  # the level it reached decides
    ("suspended", "escalate", Y),  # 缓办 approved above: no deadline runs
]


@pytest.mark.parametrize(("state", "action", "role"), FORBIDDEN)
def test_forbidden(state, action, role):
    with pytest.raises(NotAllowed):
        next_state(state, action, role)


def test_the_whole_table_is_consistent():
    """Every (state, action, role) is either in the table or refused; targets are real states."""
    for state, action, role in itertools.product(STATES, ACTIONS, ACTOR_ROLES):
        entry = rules.TRANSITIONS.get((state, action))
        assert rules.allows(state, action, role) is (entry is not None and role in entry[1])
        if entry is None or role not in entry[1]:
            with pytest.raises(NotAllowed):
                next_state(state, action, role)
        else:
            assert next_state(state, action, role) in STATES
    closed = [code for code, s in STATES.items() if s.kind == rules.CLOSED]
    assert sorted(closed) == ["closed", "merged", "rejected"]
    assert all(action == "reopen" for (state, action) in rules.TRANSITIONS if state in closed)


def test_buttons_follow_the_table():
    assert rules.actions_for("resolved", {D}) == ["verify", "rework", "comment"]
    assert rules.actions_for("dispatched", {H}) == ["start", "decline", "resolve", "escalate", "refer", "comment"]
    assert rules.actions_for("closed", {D, H, S}) == []


@pytest.mark.parametrize(("a", "b", "alike"), [
    ("楼道灯坏了", "3单元5楼楼道灯坏了，晚上很黑", True),
    ("楼道灯坏了", "楼道堆满杂物，消防隐患", False),
    ("垃圾桶满了没人清运", "厨余垃圾桶满了两天没人清运", True),
    ("电梯坏了", "楼道灯坏了", False),
])
def test_likeness_of_short_chinese_reports(a, b, alike):
    from tongxin.demands.similar import THRESHOLD, likeness

    assert (likeness(a, b) >= THRESHOLD) is alike
