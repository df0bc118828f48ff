"""Visit schedule rules (走访频次): pure functions, no database.

A subject's care categories are the core's person tags (``core.tags``). Each category has a
visit interval in days, shorter for a high-risk subject; the shortest interval of the
subject's categories applies, and ``CareSubject.visit_every_days`` overrides it. The next
visit is due that many days after the last visit (or after the register date when never
visited). Overdue subjects are told to their grid worker once per episode, and escalated
to the community's staff when still overdue ``ESCALATE_AFTER_DAYS`` after that.
"""

from __future__ import annotations

import datetime

#: category (person tag) -> (days, days when the subject's risk is high)
INTERVALS: dict[str, tuple[int, int]] = {
    "elderly_alone": (7, 3),       # 独居老人: weekly, every 3 days at high risk
    "empty_nest": (14, 7),         # 空巢老人 (a tag the register may add)
    "left_behind_child": (14, 7),  # 留守儿童
    "disabled": (14, 7),           # 残疾人
    "serious_illness": (14, 7),    # 重病 (a tag the register may add)
    "special_hardship": (30, 14),  # 特困
    "five_guarantee": (30, 14),    # 五保
    "low_income": (30, 14),        # 低保
}
#: A subject with none of the categories above (kept on the register for another reason).
DEFAULT_DAYS = (30, 14)
HIGH = "high"
#: Escalate to the community's staff when still overdue this many days after the grid worker was told.
ESCALATE_AFTER_DAYS = 7

NOTIFY, ESCALATE = "notify", "escalate"


def interval_days(categories, risk: str, override: int | None = None) -> int:
    """Days between visits: the override when set, else the shortest of the categories'."""
    if override:
        return int(override)
    index = 1 if risk == HIGH else 0
    known = [INTERVALS[c][index] for c in categories if c in INTERVALS]
    return min(known) if known else DEFAULT_DAYS[index]


def next_due(last_visit: datetime.date | None, registered_on: datetime.date, days: int) -> datetime.date:
    """The date the next visit is due."""
    return (last_visit or registered_on) + datetime.timedelta(days=days)


def is_overdue(due: datetime.date | None, today: datetime.date) -> bool:
    return due is not None and due < today


def overdue_step(due: datetime.date | None, notified_on: datetime.date | None, today: datetime.date) -> str | None:
    """What the daily job does for a subject: tell the grid worker (once per overdue episode),
    escalate (once, ``ESCALATE_AFTER_DAYS`` after telling), or nothing."""
    if not is_overdue(due, today):
        return None
    if notified_on is None or notified_on < due:  # a new episode: an earlier one's date is stale
        return NOTIFY
    if (today - notified_on).days >= ESCALATE_AFTER_DAYS:
        return ESCALATE
    return None


#: Campaign outcomes, weakest first: a later tick replaces the outcome unless it says less.
OUTCOME_RANK = {"nobody_home": 0, "declined": 1, "reached": 2}


def merged_outcome(old: str | None, new: str) -> str:
    """The outcome a household keeps after another tick: nobody home → reached replaces; a
    household once reached stays reached (a later "nobody home" does not undo a talk);
    declined → reached replaces, reached → declined does not."""
    if old is None:
        return new
    return new if OUTCOME_RANK.get(new, 0) >= OUTCOME_RANK.get(old, 0) else old


def is_done(outcome: str | None) -> bool:
    """A household needs no more knocking once reached or once it declined; nobody home: try again."""
    return outcome in ("reached", "declined")
