"""Pure rules of activities and the ledger (no database): which dates a plan happens on,
how many minutes an attendance counts, and the periods the ledger sums over."""

from __future__ import annotations

import calendar
import datetime

#: Sessions are made this far ahead (``services.activities.ensure_sessions``).
HORIZON_DAYS = 92
#: A check-out may count this much beyond the session's length (helping to tidy up).
MARGIN_MINUTES = 30
#: How early before the start one may check in.
EARLY_CHECK_IN = datetime.timedelta(minutes=60)

ONCE, WEEKLY, MONTHLY = "once", "weekly", "monthly"


def monthly_date(first_date: datetime.date, year: int, month: int) -> datetime.date:
    """The fixed day in ``year``-``month``: ``first_date``'s day of the month, or the month's
    last day when the month is shorter (a plan on the 31st falls on 30 April, 28/29 February)."""
    last = calendar.monthrange(year, month)[1]
    return datetime.date(year, month, min(first_date.day, last))


def _next_month(year: int, month: int) -> tuple[int, int]:
    return (year + 1, 1) if month == 12 else (year, month + 1)


def session_dates(recurrence: str, first_date: datetime.date, last_date: datetime.date | None,
                  start: datetime.date, until: datetime.date) -> list[datetime.date]:
    """The dates a plan happens on within [``start``, ``until``] (both included), never before
    ``first_date`` nor after ``last_date``."""
    end = min(until, last_date) if last_date else until
    begin = max(start, first_date)
    if begin > end:
        return []
    if recurrence == ONCE:
        return [first_date] if begin <= first_date <= end else []
    if recurrence == WEEKLY:
        offset = (begin - first_date).days % 7
        day = begin + datetime.timedelta(days=(7 - offset) % 7)
        found = []
        while day <= end:
            found.append(day)
            day += datetime.timedelta(days=7)
        return found
    if recurrence == MONTHLY:
        found = []
        year, month = begin.year, begin.month
        while (year, month) <= (end.year, end.month):
            day = monthly_date(first_date, year, month)
            if begin <= day <= end:
                found.append(day)
            year, month = _next_month(year, month)
        return found
    raise ValueError(f"unknown recurrence {recurrence!r}")


def counted_minutes(checked_in: datetime.datetime, checked_out: datetime.datetime, session_minutes: int,
                    margin: int = MARGIN_MINUTES) -> int:
    """Minutes of service from a check-in and a check-out: whole minutes, never negative,
    at most the session's length plus ``margin`` (someone who forgot to check out does not
    serve all night)."""
    served = int((checked_out - checked_in).total_seconds() // 60)
    return max(0, min(served, session_minutes + margin))


def can_check_in(now: datetime.datetime, starts_at: datetime.datetime, ends_at: datetime.datetime) -> bool:
    """From an hour before the start until the end."""
    return starts_at - EARLY_CHECK_IN <= now <= ends_at


def period_bounds(kind: str, year: int, number: int) -> tuple[datetime.date, datetime.date]:
    """[first day, first day after) of a month (``number`` 1–12) or a quarter (1–4)."""
    if kind == "month":
        if not 1 <= number <= 12:
            raise ValueError("month out of range")
        first = datetime.date(year, number, 1)
        ny, nm = _next_month(year, number)
        return first, datetime.date(ny, nm, 1)
    if kind == "quarter":
        if not 1 <= number <= 4:
            raise ValueError("quarter out of range")
        month = 3 * (number - 1) + 1
        first = datetime.date(year, month, 1)
        return first, (datetime.date(year + 1, 1, 1) if number == 4 else datetime.date(year, month + 3, 1))
    raise ValueError(f"unknown period {kind!r}")


def quarter_of(day: datetime.date) -> int:
    return (day.month - 1) // 3 + 1


def hours(minutes: int | None) -> float:
    """Minutes as hours with one decimal, as the ledger shows them."""
    return round((minutes or 0) / 60, 1)
