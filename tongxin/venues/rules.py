"""Booking rules, pure (``tests/test_rules.py``): which slots a booking covers, whether it fits
the venue's hours, and which state changes are allowed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from tongxin.core.errors import RefusedError

#: Bookings start and end on the half hour; a booking holds one row per half hour.
SLOT = datetime.timedelta(minutes=30)
#: Longest booking: a full day's event, not a room held for a week.
MAX_LENGTH = datetime.timedelta(hours=10)
#: How far ahead one may book (a quarter: long enough for a season's weekly dance class).
MAX_AHEAD = datetime.timedelta(days=92)

PENDING, APPROVED, DECLINED, CANCELLED = "pending", "approved", "declined", "cancelled"
#: Which states hold slots (a clash with them is refused).
HOLDING = frozenset({PENDING, APPROVED})
#: action -> (states it may start from, state it leads to).
TRANSITIONS = {
    "approve": ({PENDING}, APPROVED),
    "decline": ({PENDING}, DECLINED),
    "cancel": ({PENDING, APPROVED}, CANCELLED),
}


@dataclass(frozen=True)
class Hours:
    opens: datetime.time
    closes: datetime.time
    open_days: str  # ISO weekdays, "1234567"
    capacity: int


def _refuse(code: str, zh: str, en: str):
    raise RefusedError(code, zh, en)


def slots(starts_at: datetime.datetime, ends_at: datetime.datetime, hours: Hours, *, attendees: int,
          now: datetime.datetime) -> list[datetime.datetime]:
    """The half-hour slot starts a booking from ``starts_at`` to ``ends_at`` (local, aware)
    covers, or a refusal a resident understands."""
    if ends_at <= starts_at:
        _refuse("booking_times", "结束时间要晚于开始时间", "The end must be after the start")
    if starts_at.minute % 30 or ends_at.minute % 30 or starts_at.second or ends_at.second:
        _refuse("booking_half_hour", "请按整点或半点预约（如 9:00、9:30）",
                "Book on the hour or half hour (e.g. 9:00, 9:30)")
    if starts_at.date() != ends_at.date():
        _refuse("booking_one_day", "一次预约只能在同一天内", "A booking must stay within one day")
    if ends_at - starts_at > MAX_LENGTH:
        _refuse("booking_too_long", "一次预约最长 10 小时", "A booking lasts 10 hours at most")
    if starts_at < now:
        _refuse("booking_past", "不能预约已经过去的时间", "That time has already passed")
    if starts_at - now > MAX_AHEAD:
        _refuse("booking_too_far", "最多提前三个月预约", "Bookings open three months ahead at most")
    if str(starts_at.isoweekday()) not in hours.open_days:
        _refuse("venue_closed_day", "场地这一天不开放", "The venue is closed on that day")
    if starts_at.time() < hours.opens or ends_at.time() > hours.closes:
        _refuse("venue_closed_hours",
                f"场地开放时间为 {hours.opens:%H:%M}–{hours.closes:%H:%M}",
                f"The venue is open {hours.opens:%H:%M}–{hours.closes:%H:%M}")
    if attendees < 1:
        _refuse("booking_attendees", "请填写参加人数", "Give the number of people")
    if attendees > hours.capacity:
        _refuse("venue_capacity", f"场地最多容纳 {hours.capacity} 人",
                f"The venue holds {hours.capacity} people at most")
    found, at = [], starts_at
    while at < ends_at:
        found.append(at)
        at += SLOT
    return found


def next_state(state: str, action: str) -> str:
    """The state ``action`` leads to from ``state``, or a refusal."""
    if action not in TRANSITIONS:
        raise ValueError(action)
    allowed, to = TRANSITIONS[action]
    if state not in allowed:
        _refuse("booking_state", "这个预约已经处理过了", "This booking has already been dealt with")
    return to
