"""The meeting rules on worked examples: schedules (month ends, year ends, weekdays), reminder
slots, and action items' states."""

import datetime

import pytest

from tongxin.meetings import rules

D = datetime.date


@pytest.mark.parametrize(("frequency", "starts_on", "on_or_after", "kwargs", "count", "expected"), [
    # monthly on the 10th
    ("monthly", D(2026, 1, 1), D(2026, 1, 1), {"day": 10}, 3, [D(2026, 1, 10), D(2026, 2, 10), D(2026, 3, 10)]),
    ("monthly", D(2026, 1, 1), D(2026, 1, 11), {"day": 10}, 1, [D(2026, 2, 10)]),
    ("monthly", D(2026, 1, 1), D(2026, 1, 10), {"day": 10}, 1, [D(2026, 1, 10)]),  # the day itself counts
    # the 31st: the last day of a shorter month; February in a leap year and not
    ("monthly", D(2026, 1, 1), D(2026, 1, 1), {"day": 31}, 4, [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31),
                                                               D(2026, 4, 30)]),
    ("monthly", D(2028, 1, 1), D(2028, 2, 1), {"day": 30}, 1, [D(2028, 2, 29)]),
    # across the year end
    ("monthly", D(2026, 11, 1), D(2026, 12, 16), {"day": 15}, 2, [D(2027, 1, 15), D(2027, 2, 15)]),
    # every two months from January: Jan, Mar, May …; after May 20 comes July
    ("bimonthly", D(2026, 1, 1), D(2026, 5, 20), {"day": 20}, 2, [D(2026, 5, 20), D(2026, 7, 20)]),
    ("bimonthly", D(2026, 11, 1), D(2026, 11, 21), {"day": 20}, 1, [D(2027, 1, 20)]),
    # quarterly from March: Mar, Jun, Sep, Dec, then next March
    ("quarterly", D(2026, 3, 1), D(2026, 12, 31), {"day": 31}, 2, [D(2026, 12, 31), D(2027, 3, 31)]),
    ("quarterly", D(2026, 3, 1), D(2026, 4, 1), {"day": 31}, 1, [D(2026, 6, 30)]),
    # yearly at the year end (the owners' assembly), and 29 February in a common year
    ("yearly", D(2025, 12, 1), D(2026, 1, 1), {"day": 28}, 2, [D(2026, 12, 28), D(2027, 12, 28)]),
    ("yearly", D(2028, 2, 1), D(2029, 1, 1), {"day": 29}, 1, [D(2029, 2, 28)]),
    # never before the series starts; no day given: the start's day
    ("monthly", D(2026, 6, 15), D(2026, 1, 1), {"day": 10}, 1, [D(2026, 7, 10)]),
    ("monthly", D(2026, 6, 15), D(2026, 1, 1), {}, 1, [D(2026, 6, 15)]),
    # n-th weekday: the first Monday; the last Friday; the last Sunday of a month ending on Sunday
    ("monthly", D(2026, 1, 1), D(2026, 1, 1), {"weekday": 0, "week": 1}, 2, [D(2026, 1, 5), D(2026, 2, 2)]),
    ("monthly", D(2026, 1, 1), D(2026, 1, 1), {"weekday": 4, "week": rules.LAST}, 2,
     [D(2026, 1, 30), D(2026, 2, 27)]),
    ("monthly", D(2026, 5, 1), D(2026, 5, 1), {"weekday": 6, "week": rules.LAST}, 1, [D(2026, 5, 31)]),
    ("quarterly", D(2026, 1, 1), D(2026, 1, 3), {"weekday": 3, "week": 1}, 1, [D(2026, 4, 2)]),
    ("monthly", D(2026, 1, 1), D(2026, 1, 1), {"weekday": 3, "week": 4}, 1, [D(2026, 1, 22)]),
    # far ahead: periods are skipped, not walked
    ("monthly", D(2000, 1, 1), D(2026, 3, 11), {"day": 10}, 1, [D(2026, 4, 10)]),
])
def test_occurrences(frequency, starts_on, on_or_after, kwargs, count, expected):
    assert rules.occurrences(frequency, starts_on, on_or_after=on_or_after, count=count, **kwargs) == expected


T = datetime.datetime(2026, 3, 10, 15, 0, tzinfo=datetime.UTC)
H = datetime.timedelta(hours=1)


@pytest.mark.parametrize(("now", "expected"), [
    (T - 30 * H, None),              # too early
    (T - 24 * H, "day"),             # exactly a day before
    (T - 3 * H, "day"),
    (T - 2 * H, "2h"),               # exactly two hours before
    (T - datetime.timedelta(minutes=5), "2h"),
    (T, None),                       # started
    (T + H, None),
])
def test_reminder_slot(now, expected):
    assert rules.reminder_due(T, now) == expected


@pytest.mark.parametrize(("status", "deadline", "notified", "today", "step"), [
    ("open", D(2026, 3, 10), None, D(2026, 3, 10), None),           # due today: not overdue yet
    ("open", D(2026, 3, 10), None, D(2026, 3, 11), "notify"),       # a day late: tell
    ("open", D(2026, 3, 10), D(2026, 3, 11), D(2026, 3, 20), None),  # told in this episode
    ("open", D(2026, 3, 25), D(2026, 3, 11), D(2026, 3, 26), "notify"),  # deadline moved: a new episode
    ("done", D(2026, 3, 10), None, D(2026, 3, 20), None),
    ("dropped", D(2026, 3, 10), None, D(2026, 3, 20), None),
])
def test_overdue_step(status, deadline, notified, today, step):
    assert rules.overdue_step(status, deadline, notified, today) == step


@pytest.mark.parametrize(("status", "new", "note", "refusal"), [
    ("open", "done", "已修好", None),
    ("open", "dropped", "业主大会否决", None),
    ("open", "done", " ", "note_missing"),
    ("open", "done", "好", "note_missing"),
    ("open", "open", "还在办", "status_invalid"),
    ("done", "dropped", "不办了", "not_open"),
    ("dropped", "done", "又办了", "not_open"),
])
def test_closing(status, new, note, refusal):
    assert rules.close_refusal(status, new, note) == refusal
