"""Working-day arithmetic on the Chinese calendar: Monday to Friday, minus public holidays,
plus the weekend days worked to make up for them (调休, ``CalendarDay``).

Pure functions take the exceptions as a dict ``{date: "holiday" | "workday"}``;
:func:`exceptions_between` reads them from the database for a range of dates.

**N working days** (``add_working_days``) follows the way offices count a time limit of
"N个工作日": the day of the request does not count; the limit ends at the end (24:00,
local time) of the Nth working day after it.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

HOLIDAY, WORKDAY = "holiday", "workday"


def is_working_day(day: datetime.date, exceptions: dict[datetime.date, str]) -> bool:
    kind = exceptions.get(day)
    if kind == HOLIDAY:
        return False
    if kind == WORKDAY:
        return True
    return day.weekday() < 5


def nth_working_day_after(day: datetime.date, n: int, exceptions: dict[datetime.date, str]) -> datetime.date:
    """The Nth working day after ``day`` (``day`` itself not counted); n ≥ 1."""
    if n < 1:
        raise ValueError("n must be at least 1")
    found = 0
    while found < n:
        day += datetime.timedelta(days=1)
        if is_working_day(day, exceptions):
            found += 1
    return day


def end_of_day(day: datetime.date, tz: ZoneInfo) -> datetime.datetime:
    """24:00 of ``day`` in ``tz`` (as the first instant of the next day)."""
    return datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(0, 0), tzinfo=tz)


def add_working_days(start: datetime.datetime, n: int, exceptions: dict[datetime.date, str],
                     tz: ZoneInfo) -> datetime.datetime:
    """The end of the Nth working day after the (local) day of ``start``."""
    local = start.astimezone(tz).date()
    return end_of_day(nth_working_day_after(local, n, exceptions), tz)


def working_days_span(n: int) -> int:
    """How many calendar days N working days can take at most (the longest break is 9 days,
    the Spring Festival): the range :func:`exceptions_between` must cover."""
    return n * 2 + 14


def exceptions_between(first: datetime.date, last: datetime.date) -> dict[datetime.date, str]:
    from tongxin.core.models import CalendarDay

    return dict(CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list("date", "kind"))
