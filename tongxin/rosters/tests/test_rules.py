import datetime
from zoneinfo import ZoneInfo

import pytest

from tongxin.core.errors import RefusedError
from tongxin.rosters import rules

ZONE = ZoneInfo("Asia/Shanghai")


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize("a, b, expected", [
    ((at(2, 8), at(2, 12)), (at(2, 10), at(2, 14)), True),    # b starts inside a
    ((at(2, 8), at(2, 12)), (at(2, 6), at(2, 9)), True),      # b ends inside a
    ((at(2, 8), at(2, 12)), (at(2, 9), at(2, 10)), True),     # b inside a
    ((at(2, 9), at(2, 10)), (at(2, 8), at(2, 12)), True),     # a inside b
    ((at(2, 8), at(2, 12)), (at(2, 8), at(2, 12)), True),     # the same times
    ((at(2, 8), at(2, 12)), (at(2, 12), at(2, 16)), False),   # back to back
    ((at(2, 12), at(2, 16)), (at(2, 8), at(2, 12)), False),   # back to back, the other way
    ((at(2, 8), at(2, 12)), (at(2, 13), at(2, 16)), False),   # apart
    ((at(2, 22), at(3, 2)), (at(3, 1), at(3, 8)), True),      # a night patrol and an early duty
    ((at(2, 22), at(3, 2)), (at(3, 2), at(3, 8)), False),
])
def test_overlap(a, b, expected):
    assert rules.overlaps(*a, *b) is expected


@pytest.mark.parametrize("start, end, expected", [
    ((8, 30), (17, 30), (at(2, 8, 30), at(2, 17, 30))),
    ((22, 0), (2, 0), (at(2, 22), at(3, 2))),       # overnight
    ((8, 0), (8, 0), (at(2, 8), at(3, 8))),         # a 24-hour duty
])
def test_shift_times(start, end, expected):
    assert rules.shift_times(datetime.date(2026, 11, 2), datetime.time(*start), datetime.time(*end), ZONE) == expected


@pytest.mark.parametrize("starts, now, due", [
    (at(2, 10), at(2, 7, 59), False),   # more than two hours ahead
    (at(2, 10), at(2, 8), True),        # exactly two hours
    (at(2, 10), at(2, 9, 59), True),
    (at(2, 10), at(2, 10), False),      # started
    (at(2, 10), at(2, 11), False),
])
def test_reminder_due(starts, now, due):
    assert rules.reminder_due(starts, now) is due


@pytest.mark.parametrize("taken, needed, seat", [
    (set(), 1, 0), ({0}, 1, None), ({0}, 3, 1), ({0, 2}, 3, 1), ({0, 1, 2}, 3, None), ({1}, 2, 0),
])
def test_free_seat(taken, needed, seat):
    assert rules.free_seat(taken, needed) == seat


@pytest.mark.parametrize("needed, ok", [(0, False), (1, True), (20, True), (21, False)])
def test_needed(needed, ok):
    if ok:
        assert rules.check_needed(needed) == needed
    else:
        with pytest.raises(RefusedError):
            rules.check_needed(needed)


@pytest.mark.parametrize("points, done, hits, missed", [(4, 0, 0, 0), (4, 5, 20, 0), (4, 5, 19, 1), (3, 2, 7, 0)])
def test_missed(points, done, hits, missed):
    assert rules.missed(points, done, hits) == missed


@pytest.mark.parametrize("day, monday", [
    (datetime.date(2026, 11, 26), datetime.date(2026, 11, 23)),
    (datetime.date(2026, 11, 23), datetime.date(2026, 11, 23)),
    (datetime.date(2026, 11, 29), datetime.date(2026, 11, 23)),
])
def test_week_start(day, monday):
    assert rules.week_start(day) == monday
