"""The demand workflow as data: states with a type, and a table of (state, action) → next state
and the roles that may act. Pure functions; the services call :func:`next_state` and record
every transition in the timeline. After the national city-management case flow (信息收集 →
案卷建立 → 任务派遣 → 任务处理 → 处理反馈 → 核实结案 → 综合评价).

Roles here are roles *in a demand*, worked out by ``demands.access``: the reporter; the
dispatcher (grid workers and community staff of the demand's place: they accept, dispatch,
verify, close); the handler (the person a demand is dispatched to); the supervisor (the
street above: escalations and suspensions); and the system (deadlines, ratings).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

OPEN, CLOSED = "open", "closed"

REPORTER, DISPATCHER, HANDLER, SUPERVISOR, SYSTEM = "reporter", "dispatcher", "handler", "supervisor", "system"
ACTOR_ROLES = (REPORTER, DISPATCHER, HANDLER, SUPERVISOR, SYSTEM)
#: How the timeline names who acted: by role, never by name (the resident sees it).
ROLE_LABELS = {
    REPORTER: _("Resident"), DISPATCHER: _("Grid worker / community"), HANDLER: _("Handler"),
    SUPERVISOR: _("Street"), SYSTEM: _("System"),
}


@dataclass(frozen=True)
class State:
    code: str
    label: object
    kind: str  # OPEN or CLOSED


STATES = {
    s.code: s
    for s in (
        State("received", _("Received"), OPEN),
        State("accepted", _("Accepted"), OPEN),
        State("rejected", _("Not accepted"), CLOSED),
        State("dispatched", _("Dispatched"), OPEN),
        State("in_progress", _("In progress"), OPEN),
        State("suspended", _("Suspended"), OPEN),
        State("resolved", _("Resolved, to be checked"), OPEN),
        State("rework", _("Returned for rework"), OPEN),
        State("verified", _("Checked"), OPEN),
        State("closed", _("Closed"), CLOSED),
        State("escalated", _("Escalated"), OPEN),
        State("referred", _("Referred to another office"), OPEN),
        State("merged", _("Merged into another"), CLOSED),
    )
}
OPEN_STATES = frozenset(code for code, state in STATES.items() if state.kind == OPEN)

ACTIONS = {
    "accept": _("Accept"), "reject": _("Do not accept"), "dispatch": _("Dispatch"), "start": _("Start work"),
    "decline": _("Hand back"), "resolve": _("Report as resolved"), "verify": _("Confirm the result"),
    "rework": _("Return for rework"), "close": _("Close with feedback"), "escalate": _("Escalate"),
    "suspend": _("Suspend"), "resume": _("Resume"), "extend": _("Extend the deadline"), "merge": _("Merge"),
    "reopen": _("Reopen"), "comment": _("Add information"), "reassign": _("Hand to another handler"),
    "refer": _("Refer to another office"),
}

D, H, S, Y, R = DISPATCHER, HANDLER, SUPERVISOR, SYSTEM, REPORTER

#: (state, action) → (next state, roles that may take it). ``None`` keeps the state.
TRANSITIONS: dict[tuple[str, str], tuple[str | None, frozenset[str]]] = {
    # The system accepts when a mechanism takes the demand on (a 微心愿 becomes a wish to claim).
    ("received", "accept"): ("accepted", frozenset({D, S, Y})),
    ("received", "reject"): ("rejected", frozenset({D, S})),
    ("received", "merge"): ("merged", frozenset({D, S})),
    ("received", "escalate"): ("escalated", frozenset({D, Y})),
    ("accepted", "dispatch"): ("dispatched", frozenset({D, S})),
    ("accepted", "merge"): ("merged", frozenset({D, S})),
    ("accepted", "escalate"): ("escalated", frozenset({D, Y})),
    ("accepted", "resolve"): ("resolved", frozenset({D})),  # 当天的事情当天解决: small things, fixed on the spot
    ("dispatched", "start"): ("in_progress", frozenset({H})),
    ("dispatched", "decline"): ("accepted", frozenset({H})),
    ("dispatched", "resolve"): ("resolved", frozenset({H})),
    ("dispatched", "dispatch"): ("dispatched", frozenset({D, S})),  # to someone else
    ("dispatched", "extend"): (None, frozenset({D, S})),
    ("dispatched", "escalate"): ("escalated", frozenset({D, H, Y})),  # a handler may ask for help above
    ("in_progress", "resolve"): ("resolved", frozenset({H})),
    ("in_progress", "decline"): ("accepted", frozenset({H})),
    ("in_progress", "extend"): (None, frozenset({D, S})),
    ("in_progress", "suspend"): ("suspended", frozenset({S})),  # 缓办 is approved one level up
    ("in_progress", "escalate"): ("escalated", frozenset({D, H, Y})),
    ("suspended", "resume"): ("in_progress", frozenset({S, D})),
    ("resolved", "verify"): ("verified", frozenset({D, S})),
    ("resolved", "rework"): ("rework", frozenset({D, S})),
    ("rework", "start"): ("in_progress", frozenset({H})),
    ("rework", "resolve"): ("resolved", frozenset({H})),
    ("rework", "escalate"): ("escalated", frozenset({D, H, Y})),
    ("verified", "close"): ("closed", frozenset({D, S})),
    ("escalated", "accept"): ("accepted", frozenset({S})),
    ("escalated", "dispatch"): ("dispatched", frozenset({S})),
    ("escalated", "reject"): ("rejected", frozenset({S})),
    ("escalated", "escalate"): ("escalated", frozenset({S, Y})),  # not taken up at this level either: one more up
    ("closed", "reopen"): ("rework", frozenset({Y})),  # an unsatisfied rating within 7 days
    # The work goes on with someone else (a handler leaves, falls ill, is the wrong one): same state.
    ("in_progress", "reassign"): (None, frozenset({D, S})),
    ("rework", "reassign"): (None, frozenset({D, S})),
    ("suspended", "reassign"): (None, frozenset({D, S})),
    # What the community cannot handle (a pension, a permit) goes to the office responsible,
    # with a recorded hand-off (``Referral``); the community follows it up and reports back.
    ("accepted", "refer"): ("referred", frozenset({D, S})),
    ("dispatched", "refer"): ("referred", frozenset({D, S, H})),
    ("in_progress", "refer"): ("referred", frozenset({D, S, H})),
    ("referred", "resolve"): ("resolved", frozenset({D, S})),  # the office's answer, recorded
    ("referred", "dispatch"): ("dispatched", frozenset({D, S})),  # the office sent it back
}
#: Actions that name a new handler.
HANDS_OVER = frozenset({"dispatch", "reassign"})
#: Actions with a route of their own, not the step form: a merge names the demand it goes into.
OWN_ROUTE = frozenset({"merge"})
#: Open states in which no deadline runs: someone else has it (缓办 approved above, another office).
PAUSED = frozenset({"suspended", "referred"})
#: Open states in which the result is given and being checked: the resolution deadline is met.
ANSWERED = frozenset({"resolved", "verified"})
# Anyone involved may add information to an open demand; it keeps its state.
for _state in OPEN_STATES:
    TRANSITIONS[(_state, "comment")] = (None, frozenset({R, D, H, S}))


class NotAllowed(Exception):
    """The action is not possible from this state, or not for this role."""


def next_state(state: str, action: str, role: str) -> str:
    """The state after ``role`` takes ``action`` in ``state``; raises :class:`NotAllowed`."""
    found = TRANSITIONS.get((state, action))
    if found is None:
        raise NotAllowed(f"{action} is not possible when a demand is {state}")
    target, roles = found
    if role not in roles:
        raise NotAllowed(f"a {role} cannot {action} a demand that is {state}")
    return target or state


def allows(state: str, action: str, role: str) -> bool:
    found = TRANSITIONS.get((state, action))
    return found is not None and role in found[1]


def actions_for(state: str, roles: set[str]) -> list[str]:
    """The actions these roles may take in this state, in the table's order (for buttons)."""
    return [action for (s, action), (_t, allowed) in TRANSITIONS.items() if s == state and allowed & roles]


def step_actions(state: str, roles: set[str]) -> list[str]:
    """The actions the step form (and the API's act route) offers: all but ``OWN_ROUTE``."""
    return [action for action in actions_for(state, roles) if action not in OWN_ROUTE]


def is_open(state: str) -> bool:
    return STATES[state].kind == OPEN
