"""The pure rules of activities and the ledger: the monthly fixed day, session dates, minutes."""

import datetime as dt

import pytest

from tongxin.volunteering import activity_rules as rules

D = dt.date


@pytest.mark.parametrize(("first", "year", "month", "expected"), [
    (D(2026, 1, 15), 2026, 2, D(2026, 2, 15)),   # an ordinary day
    (D(2026, 1, 31), 2026, 2, D(2026, 2, 28)),   # the 31st in February: its last day
    (D(2026, 1, 31), 2028, 2, D(2028, 2, 29)),   # a leap year
    (D(2026, 1, 31), 2026, 4, D(2026, 4, 30)),   # a 30-day month
    (D(2026, 1, 30), 2026, 2, D(2026, 2, 28)),
    (D(2026, 1, 29), 2026, 3, D(2026, 3, 29)),   # back to the fixed day after February
    (D(2026, 1, 31), 2026, 12, D(2026, 12, 31)),
    (D(2026, 1, 1), 2026, 6, D(2026, 6, 1)),
])
def test_the_monthly_fixed_day(first, year, month, expected):
    assert rules.monthly_date(first, year, month) == expected


@pytest.mark.parametrize(("recurrence", "first", "last", "start", "until", "expected"), [
    ("once", D(2026, 3, 5), None, D(2026, 3, 1), D(2026, 4, 1), [D(2026, 3, 5)]),
    ("once", D(2026, 3, 5), None, D(2026, 3, 6), D(2026, 4, 1), []),  # already past
    ("weekly", D(2026, 3, 5), None, D(2026, 3, 1), D(2026, 3, 25), [D(2026, 3, 5), D(2026, 3, 12),
                                                                     D(2026, 3, 19)]),
    ("weekly", D(2026, 3, 5), None, D(2026, 3, 13), D(2026, 3, 27), [D(2026, 3, 19), D(2026, 3, 26)]),
    ("weekly", D(2026, 3, 5), D(2026, 3, 12), D(2026, 3, 1), D(2026, 4, 30), [D(2026, 3, 5), D(2026, 3, 12)]),
    ("monthly", D(2026, 1, 31), None, D(2026, 1, 1), D(2026, 5, 1), [D(2026, 1, 31), D(2026, 2, 28),
                                                                      D(2026, 3, 31), D(2026, 4, 30)]),
    ("monthly", D(2026, 1, 10), None, D(2026, 2, 11), D(2026, 4, 9), [D(2026, 3, 10)]),
    ("monthly", D(2026, 1, 10), D(2026, 2, 10), D(2026, 1, 1), D(2026, 12, 31), [D(2026, 1, 10), D(2026, 2, 10)]),
    ("monthly", D(2026, 12, 15), None, D(2026, 12, 1), D(2027, 2, 20), [D(2026, 12, 15), D(2027, 1, 15),
                                                                        D(2027, 2, 15)]),
])
def test_session_dates(recurrence, first, last, start, until, expected):
    assert rules.session_dates(recurrence, first, last, start, until) == expected


T = dt.datetime(2026, 3, 5, 9, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(("out_after", "session", "expected"), [
    (dt.timedelta(minutes=90), 120, 90),                 # ordinary
    (dt.timedelta(minutes=90, seconds=59), 120, 90),     # whole minutes
    (dt.timedelta(minutes=150), 120, 150),               # within the margin
    (dt.timedelta(minutes=151), 120, 150),               # capped at length + margin
    (dt.timedelta(hours=14), 120, 150),                  # forgot to check out until the next morning
    (dt.timedelta(seconds=30), 120, 0),
    (dt.timedelta(minutes=-5), 120, 0),                  # a clock gone backwards: never negative
])
def test_counted_minutes(out_after, session, expected):
    assert rules.counted_minutes(T, T + out_after, session) == expected


@pytest.mark.parametrize(("kind", "year", "n", "expected"), [
    ("month", 2026, 2, (D(2026, 2, 1), D(2026, 3, 1))),
    ("month", 2026, 12, (D(2026, 12, 1), D(2027, 1, 1))),
    ("quarter", 2026, 1, (D(2026, 1, 1), D(2026, 4, 1))),
    ("quarter", 2026, 4, (D(2026, 10, 1), D(2027, 1, 1))),
])
def test_period_bounds(kind, year, n, expected):
    assert rules.period_bounds(kind, year, n) == expected


@pytest.mark.parametrize(("kind", "n"), [("month", 13), ("quarter", 0), ("week", 1)])
def test_period_bounds_refuses_nonsense(kind, n):
    with pytest.raises(ValueError):
        rules.period_bounds(kind, 2026, n)


def test_check_in_window():
    start, end = T, T + dt.timedelta(hours=2)
    assert rules.can_check_in(T - dt.timedelta(minutes=60), start, end)
    assert not rules.can_check_in(T - dt.timedelta(minutes=61), start, end)
    assert rules.can_check_in(end, start, end)
    assert not rules.can_check_in(end + dt.timedelta(seconds=1), start, end)
