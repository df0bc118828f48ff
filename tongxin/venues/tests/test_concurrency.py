"""On PostgreSQL, two groups book one room for overlapping times at the same moment: one
booking is written, the other gets the clear refusal; nothing half-written remains."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.testing import at_once, two_grids
from tongxin.venues import services
from tongxin.venues.models import Booking, BookingSlot, Venue

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("second_start, second_end", [((10, 0), (12, 0)), ((11, 30), (13, 0))])
def test_two_bookings_of_one_room_and_time_at_once_leave_one(second_start, second_end):
    assert connection.vendor == "postgresql"
    world = two_grids()
    venue = services.create_venue(world.users["staff"], world.places["community"], name="多功能厅", capacity=50,
                                  opens=datetime.time(8), closes=datetime.time(21))
    date = timezone.localdate() + datetime.timedelta(days=3)
    zone = timezone.get_current_timezone()

    def at(hour_minute):
        return datetime.datetime.combine(date, datetime.time(*hour_minute), tzinfo=zone)

    def book(user, start, end):
        return lambda: services.book(user, Venue.objects.get(pk=venue.pk), starts_at=at(start), ends_at=at(end),
                                     purpose="活动", attendees=10)

    outcomes = at_once([book(world.users["worker_a"], (10, 0), (12, 0)),
                        book(world.users["chief_b1"], second_start, second_end)])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and isinstance(refused[0], RefusedError), outcomes
    assert refused[0].code == "booking_clash"
    kept = Booking.objects.get()
    assert set(BookingSlot.objects.values_list("booking", flat=True)) == {kept.pk}
