import datetime
from zoneinfo import ZoneInfo

import pytest

from tongxin.core.errors import RefusedError
from tongxin.venues import rules

ZONE = ZoneInfo("Asia/Shanghai")
HOURS = rules.Hours(datetime.time(8), datetime.time(21), "123456", capacity=30)
NOW = datetime.datetime(2026, 11, 25, 12, 0, tzinfo=ZONE)  # a Wednesday


def at(day: int, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 11, day, hour, minute, tzinfo=ZONE)


@pytest.mark.parametrize("start, end, attendees, slots", [
    (at(26, 9), at(26, 10), 5, 2),
    (at(26, 8), at(26, 18), 30, 20),
    (at(26, 20, 30), at(26, 21), 1, 1),
    (at(25, 12), at(25, 13), 1, 2),  # starting now is not the past
])
def test_slots_of_a_booking(start, end, attendees, slots):
    found = rules.slots(start, end, HOURS, attendees=attendees, now=NOW)
    assert len(found) == slots and found[0] == start and found[-1] == end - rules.SLOT


@pytest.mark.parametrize("start, end, attendees, code", [
    (at(26, 10), at(26, 10), 5, "booking_times"),
    (at(26, 11), at(26, 10), 5, "booking_times"),
    (at(26, 9, 15), at(26, 10), 5, "booking_half_hour"),
    (at(26, 9), at(26, 10, 45), 5, "booking_half_hour"),
    (at(26, 20), at(27, 9), 5, "booking_one_day"),
    (at(25, 9), at(25, 10), 5, "booking_past"),
    (at(29, 9), at(29, 10), 5, "venue_closed_day"),  # a Sunday
    (at(26, 7, 30), at(26, 9), 5, "venue_closed_hours"),
    (at(26, 20), at(26, 21, 30), 5, "venue_closed_hours"),
    (at(26, 9), at(26, 10), 31, "venue_capacity"),
    (at(26, 9), at(26, 10), 0, "booking_attendees"),
])
def test_refused_bookings(start, end, attendees, code):
    with pytest.raises(RefusedError) as refused:
        rules.slots(start, end, HOURS, attendees=attendees, now=NOW)
    assert refused.value.code == code and refused.value.message_zh and refused.value.message_en


def test_limits_of_length_and_notice():
    long_day = rules.Hours(datetime.time(6), datetime.time(23), "1234567", capacity=10)
    with pytest.raises(RefusedError, match="10 小时"):
        rules.slots(at(26, 7), at(26, 17, 30), long_day, attendees=1, now=NOW)
    far = NOW + rules.MAX_AHEAD + datetime.timedelta(days=1)
    with pytest.raises(RefusedError, match="三个月"):
        rules.slots(far.replace(hour=9, minute=0), far.replace(hour=10, minute=0), long_day, attendees=1, now=NOW)


@pytest.mark.parametrize("state, action, result", [
    ("pending", "approve", "approved"),
    ("pending", "decline", "declined"),
    ("pending", "cancel", "cancelled"),
    ("approved", "cancel", "cancelled"),
    ("approved", "approve", None),
    ("declined", "approve", None),
    ("declined", "cancel", None),
    ("cancelled", "cancel", None),
])
def test_transitions(state, action, result):
    if result is None:
        with pytest.raises(RefusedError):
            rules.next_state(state, action)
    else:
        assert rules.next_state(state, action) == result
