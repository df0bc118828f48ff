"""Meeting rules (会议规则): schedules, reminders, action items. Pure functions, no database.

- **Schedules**: a series meets every 1, 2, 3 or 12 months (monthly, bimonthly, quarterly,
  yearly), counted from the month it starts in, on a day of the month (the 31st becomes the
  month's last day in a shorter month) or on the n-th (or last) weekday of the month.
- **Reminders**: the day before and two hours before a meeting; when the job first sees a
  meeting inside both windows only the later reminder goes (one notice, not two at once).
- **Action items**: open → done (with a note) or dropped (with a reason); overdue when open
  past the deadline; the owner and convener are told once per overdue episode (a new
  deadline starts a new episode).
"""

from __future__ import annotations

import calendar
import datetime

MONTHLY, BIMONTHLY, QUARTERLY, YEARLY = "monthly", "bimonthly", "quarterly", "yearly"
#: frequency -> months between meetings
STEP_MONTHS = {MONTHLY: 1, BIMONTHLY: 2, QUARTERLY: 3, YEARLY: 12}
LAST = -1  # week_of_month: the last such weekday of the month

#: reminder slot -> how long before the meeting it goes; later slots last (see ``reminder_due``)
REMINDERS = (("day", datetime.timedelta(days=1)), ("2h", datetime.timedelta(hours=2)))

OPEN, DONE, DROPPED = "open", "done", "dropped"
NOTIFY = "notify"


def _add_months(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + months
    return index // 12, index % 12 + 1


def day_in_month(year: int, month: int, *, day: int | None = None, weekday: int | None = None,
                 week: int | None = None) -> datetime.date:
    """The meeting day in one month: ``day`` (clamped to the month's end), or the ``week``-th
    ``weekday`` (0 Monday; ``week`` 1–4, or ``LAST``)."""
    last_day = calendar.monthrange(year, month)[1]
    if weekday is None:
        return datetime.date(year, month, min(max(day or 1, 1), last_day))
    if week == LAST:
        last = datetime.date(year, month, last_day)
        return last - datetime.timedelta(days=(last.weekday() - weekday) % 7)
    first = datetime.date(year, month, 1)
    first_match = first + datetime.timedelta(days=(weekday - first.weekday()) % 7)
    return first_match + datetime.timedelta(weeks=max(1, min(week or 1, 4)) - 1)


def occurrences(frequency: str, starts_on: datetime.date, *, on_or_after: datetime.date, count: int = 1,
                day: int | None = None, weekday: int | None = None, week: int | None = None) -> list[datetime.date]:
    """The next ``count`` meeting dates of a series on or after ``on_or_after`` (never before
    ``starts_on``)."""
    step = STEP_MONTHS[frequency]
    if weekday is None and day is None:
        day = starts_on.day
    floor = max(starts_on, on_or_after)
    # Skip whole periods up to the floor's month, then walk forward.
    months_between = (floor.year - starts_on.year) * 12 + floor.month - starts_on.month
    k = max(0, months_between // step - 1)
    found: list[datetime.date] = []
    while len(found) < count:
        year, month = _add_months(starts_on.year, starts_on.month, k * step)
        date = day_in_month(year, month, day=day, weekday=weekday, week=week)
        if date >= floor:
            found.append(date)
        k += 1
    return found


def reminder_due(starts_at: datetime.datetime, now: datetime.datetime) -> str | None:
    """The reminder slot to send now for a meeting at ``starts_at``, or None (past, or too early)."""
    if now >= starts_at:
        return None
    due = None
    for slot, before in REMINDERS:
        if now >= starts_at - before:
            due = slot
    return due


def is_overdue(status: str, deadline: datetime.date, today: datetime.date) -> bool:
    return status == OPEN and deadline < today


def overdue_step(status: str, deadline: datetime.date, notified_on: datetime.date | None,
                 today: datetime.date) -> str | None:
    """What the daily job does for an action item: tell its owner and the convener once per
    overdue episode, else nothing. A notice dated before the deadline belongs to an earlier
    episode (the deadline was moved)."""
    if not is_overdue(status, deadline, today):
        return None
    if notified_on is None or notified_on <= deadline:
        return NOTIFY
    return None


def close_refusal(status: str, new_status: str, note: str) -> str | None:
    """Why an action item cannot go from ``status`` to ``new_status``, or None when it can:
    only an open item closes; done needs a note of what was done, dropped a reason."""
    if status != OPEN:
        return "not_open"
    if new_status not in (DONE, DROPPED):
        return "status_invalid"
    if len((note or "").strip()) < 2:
        return "note_missing"
    return None
