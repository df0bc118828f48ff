"""Working days on the Chinese calendar: holidays off, make-up weekend days (调休) on."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from tongxin.core import holidays, workdays

TZ = ZoneInfo("Asia/Shanghai")
D = datetime.date


@pytest.fixture
def calendar_2026(db):
    from tongxin.core.models import CalendarDay

    holidays.seed(CalendarDay)  # a migration's rows: an earlier transactional test may have flushed them
    return workdays.exceptions_between(D(2026, 1, 1), D(2026, 12, 31))


def at(y, m, d, hour=10):
    return datetime.datetime(y, m, d, hour, tzinfo=TZ)


def end_of(y, m, d):
    return datetime.datetime(y, m, d, tzinfo=TZ) + datetime.timedelta(days=1)


@pytest.mark.parametrize(("start", "n", "expected", "why"), [
    (at(2026, 11, 20), 1, end_of(2026, 11, 23), "a Friday: the weekend does not count"),
    (at(2026, 11, 23), 1, end_of(2026, 11, 24), "the day of the request does not count"),
    (at(2026, 9, 18), 1, end_of(2026, 9, 20), "Sunday 20 September is worked (调休 for 国庆)"),
    (at(2026, 9, 30), 1, end_of(2026, 10, 8), "1–7 October are off"),
    (at(2026, 10, 3), 1, end_of(2026, 10, 8), "a request on a holiday counts from the next working day"),
    (at(2026, 10, 9), 1, end_of(2026, 10, 10), "Saturday 10 October is worked"),
    (at(2026, 10, 8), 2, end_of(2026, 10, 10), "… and counts as a working day"),
    (at(2026, 2, 13), 1, end_of(2026, 2, 14), "Saturday 14 February is worked (调休 for 春节)"),
    (at(2026, 2, 13), 2, end_of(2026, 2, 24), "15–23 February are off"),
    (at(2026, 12, 31, 23), 1, end_of(2027, 1, 1), "beyond the calendar: Monday to Friday"),
    (at(2026, 4, 30), 7, end_of(2026, 5, 13), "劳动节 1–5 May off, Saturday 9 May worked"),
])
def test_add_working_days(calendar_2026, start, n, expected, why):
    assert workdays.add_working_days(start, n, calendar_2026, TZ) == expected, why


def test_a_request_late_at_night_utc_counts_in_local_time(calendar_2026):
    # 2026-11-22 17:00 UTC is Monday 01:00 in Shanghai: Monday is the request day
    start = datetime.datetime(2026, 11, 22, 17, tzinfo=datetime.UTC)
    assert workdays.add_working_days(start, 1, calendar_2026, TZ) == end_of(2026, 11, 24)


def test_the_calendar_holds_the_2026_schedule(calendar_2026):
    assert calendar_2026[D(2026, 10, 1)] == "holiday" and calendar_2026[D(2026, 9, 20)] == "workday"
    assert not workdays.is_working_day(D(2026, 2, 16), calendar_2026)
    assert workdays.is_working_day(D(2026, 2, 28), calendar_2026)
    assert sum(kind == "holiday" for kind in calendar_2026.values()) == 33  # 3+9+3+5+3+3+7


def test_n_must_be_positive():
    with pytest.raises(ValueError):
        workdays.nth_working_day_after(D(2026, 1, 5), 0, {})
