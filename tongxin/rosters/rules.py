"""Roster and patrol rules, pure (``tests/test_rules.py``): shift times, the overlap rule,
when a reminder is due, weeks, and what a round missed."""

from __future__ import annotations

import datetime

from tongxin.core.errors import RefusedError

#: A shift lasts at most a day (a 24-hour duty office turn).
MAX_SHIFT = datetime.timedelta(hours=24)
#: Holders are told of a shift starting within this long.
REMIND_BEFORE = datetime.timedelta(hours=2)
#: A shift needs at most this many people (a school gate of police, school and parents).
MAX_NEEDED = 20


def shift_times(date: datetime.date, start: datetime.time, end: datetime.time,
                zone: datetime.tzinfo) -> tuple[datetime.datetime, datetime.datetime]:
    """A shift on ``date`` from ``start`` to ``end``; an end at or before the start is the next
    morning (a night patrol 22:00–02:00)."""
    starts = datetime.datetime.combine(date, start, tzinfo=zone)
    ends = datetime.datetime.combine(date, end, tzinfo=zone)
    if ends <= starts:
        ends += datetime.timedelta(days=1)
    if ends - starts > MAX_SHIFT:
        raise RefusedError("shift_too_long", "一个班次最长 24 小时", "A shift lasts 24 hours at most")
    return starts, ends


def overlaps(a_start: datetime.datetime, a_end: datetime.datetime,
             b_start: datetime.datetime, b_end: datetime.datetime) -> bool:
    """Two shifts overlap when each starts before the other ends; back to back (one ends when
    the other starts) is not an overlap: the night patrol may follow the evening duty."""
    return a_start < b_end and b_start < a_end


def check_needed(needed: int) -> int:
    if not 1 <= needed <= MAX_NEEDED:
        raise RefusedError("shift_needed", f"每班需要 1 到 {MAX_NEEDED} 人", f"A shift needs 1 to {MAX_NEEDED} people")
    return needed


def reminder_due(starts_at: datetime.datetime, now: datetime.datetime) -> bool:
    """A holder is told once the shift starts within ``REMIND_BEFORE``, and not after it started."""
    return now < starts_at <= now + REMIND_BEFORE


def week_start(day: datetime.date) -> datetime.date:
    """The Monday of ``day``'s week."""
    return day - datetime.timedelta(days=day.weekday())


def free_seat(taken: set[int], needed: int) -> int | None:
    """The lowest seat of a shift not taken, or None when the shift is full."""
    return next((seat for seat in range(needed) if seat not in taken), None)


def missed(checkpoints: int, done_rounds: int, check_ins: int) -> int:
    """Checkpoints skipped over the finished rounds: each round should pass every checkpoint."""
    return max(checkpoints * done_rounds - check_ins, 0)
