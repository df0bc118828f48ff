"""The indicators, defined once (``docs/indicators.md``): what one demand adds to the
counters (:func:`tally`), and the rates made of summed counters (:func:`rates`,
:func:`score`). Pure functions: the rollups, the rebuild, the dashboard, the export and
the tests all use these, and nothing else defines a figure.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext_lazy as _

STAFF_ROLES = frozenset({"dispatcher", "handler", "supervisor"})
#: Steps that are not a response: the report itself, information added, a rating.
NOT_A_RESPONSE = frozenset({"report", "comment", "rate"})
DONE_STATES = frozenset({"resolved", "verified", "closed"})
SATISFIED = 3  # 基本满意 and better


@dataclass(frozen=True)
class Step:
    """One timeline event, as much of it as the indicators read."""

    action: str
    actor_role: str
    at: datetime.datetime


def local_day(moment: datetime.datetime) -> datetime.date:
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).date()


def tally(demand: Mapping, steps: Iterable[Step]) -> list[list]:
    """What a demand adds to the rollups now: ``[[unit_id, unit_path, category_id, day, counters]]``.

    ``demand`` maps the fields ``unit_id, unit_path, place_id, place_path, category_id,
    created_at, state, respond_by, resolve_by, rating, reporter_phone, reporter_name,
    merged_into_id, taken_in_at``; ``steps`` is its timeline in order. A demand counts once
    it is taken in (``demands.services.take_in``, seconds after the report): before that it
    has no unit to count in.
    """
    if demand["taken_in_at"] is None:
        return []
    steps = list(steps)
    unit_id, unit_path = demand["unit_id"], demand["unit_path"]
    if not unit_id:  # reported before demands had a unit: counted where it was reported
        unit_id, unit_path = demand["place_id"], demand["place_path"]
    key = [unit_id, unit_path, demand["category_id"]]
    state = demand["state"]
    c = {"received": 1}
    if not (demand["reporter_phone"] or demand["reporter_name"]):
        c["anonymous"] = 1
    if state == "merged" or demand["merged_into_id"]:
        c["merged"] = 1  # a duplicate: counted once, as a duplicate; its target carries the work
        return [[*key, local_day(demand["created_at"]).isoformat(), c]]
    c["counted"] = 1
    staff = [s for s in steps if s.actor_role in STAFF_ROLES and s.action not in NOT_A_RESPONSE]
    responded_at = staff[0].at if staff else None
    late_escalation = any(
        s.action == "escalate" and s.actor_role == "system" and (responded_at is None or s.at <= responded_at)
        for s in steps
    )
    if responded_at is not None:
        c["responded"] = 1
        if not late_escalation and (demand["respond_by"] is None or responded_at <= demand["respond_by"]):
            c["responded_on_time"] = 1
    actions = [s.action for s in steps]
    rejected = state == "rejected"
    accepted = not rejected and ("accept" in actions or "dispatch" in actions)
    reworks = actions.count("rework") + actions.count("reopen")
    if rejected:
        c["rejected"] = 1
    if accepted:
        c["accepted"] = 1
        if "resolve" in actions:
            c["resolved_ever"] = 1
            if reworks:
                c["reworked"] = 1
        last_resolve = next((s.at for s in reversed(steps) if s.action == "resolve"), None)
        if state in DONE_STATES and last_resolve is not None:
            c["resolved"] = 1
            c["resolve_seconds"] = max(0, int((last_resolve - demand["created_at"]).total_seconds()))
            if not reworks and "escalate" not in actions:
                c["resolved_first_time"] = 1
        if "extend" in actions:
            c["extended"] = 1
    if "escalate" in actions:
        c["escalated"] = 1
    if demand["rating"] is not None:
        c["rated"] = 1
        if demand["rating"] >= SATISFIED:
            c["satisfied"] = 1
    rows = [[*key, local_day(demand["created_at"]).isoformat(), c]]
    if not rejected and demand["resolve_by"] is not None:
        d = {"due": 1}
        if state == "closed":
            d["due_closed"] = 1
            closed_at = next((s.at for s in reversed(steps) if s.action == "close"), None)
            if closed_at is not None and closed_at <= demand["resolve_by"]:
                d["due_closed_on_time"] = 1
        elif state == "suspended":
            d["due_suspended"] = 1
        rows.append([*key, local_day(demand["resolve_by"]).isoformat(), d])
    return rows


@dataclass(frozen=True)
class Rate:
    code: str
    label: object  # the Chinese name is the label's translation
    numerator: str
    denominator: tuple[str, ...]  # summed; a second item is subtracted
    weight: float = 0.0  # in the composite score


RATES = (
    Rate("response", _("Response rate"), "responded_on_time", ("counted",), 0.2),
    Rate("resolution", _("Resolution rate"), "resolved", ("accepted",), 0.3),
    Rate("satisfaction", _("Satisfaction rate"), "satisfied", ("rated",), 0.3),
    Rate("closure", _("Closure rate"), "due_closed", ("due", "due_suspended")),
    Rate("on_time_closure", _("On-time closure rate"), "due_closed_on_time", ("due", "due_suspended"), 0.2),
    Rate("rework", _("Rework rate"), "reworked", ("resolved_ever",)),
    Rate("extension", _("Extension rate"), "extended", ("accepted",)),
    Rate("first_time", _("First-time completion rate"), "resolved_first_time", ("accepted",)),
    Rate("duplicate", _("Duplicate rate"), "merged", ("received",)),
)
RATE_BY_CODE = {rate.code: rate for rate in RATES}


def ratio(counters: Mapping[str, int], rate: Rate) -> float | None:
    """The rate as a fraction, or ``None`` when nothing is in its denominator."""
    below = counters.get(rate.denominator[0], 0) - sum(counters.get(k, 0) for k in rate.denominator[1:])
    if below <= 0:
        return None
    return counters.get(rate.numerator, 0) / below


def average_resolve_hours(counters: Mapping[str, int]) -> float | None:
    resolved = counters.get("resolved", 0)
    return counters.get("resolve_seconds", 0) / resolved / 3600 if resolved else None


def score(values: Mapping[str, float | None]) -> float | None:
    """The composite score, 0–100: the weighted mean of the weighted rates that have a value
    (a rate with nothing to measure drops out and the others' weights scale up)."""
    present = [(rate.weight, values[rate.code]) for rate in RATES if rate.weight and values.get(rate.code) is not None]
    total = sum(weight for weight, _value in present)
    if not total:
        return None
    return 100 * sum(weight * value for weight, value in present) / total


def rates(counters: Mapping[str, int]) -> dict[str, float | None]:
    """Every rate (fractions), the average time to resolve (hours) and the composite score."""
    found: dict[str, float | None] = {rate.code: ratio(counters, rate) for rate in RATES}
    found["average_hours"] = average_resolve_hours(counters)
    found["score"] = score(found)
    return found


def add(total: dict[str, int], counters: Mapping[str, int], sign: int = 1) -> dict[str, int]:
    for name, value in counters.items():
        total[name] = total.get(name, 0) + sign * value
    return total
