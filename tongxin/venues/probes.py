"""The scope walker's requests for venues' pages (``core.scopewalker``): a room at grid B's
building, booked by grid B's worker, which grid A's roles must neither see, book nor decide."""

from tongxin.core.registry import Probe


def probes(world) -> list:
    import datetime

    from django.utils import timezone

    from tongxin.core.testing import OUTSIDE_MARKER
    from tongxin.venues.models import Booking, BookingSlot, Venue

    building = world.places["b2"]
    venue = Venue.objects.create(place=building, place_path=building.path, name=f"{OUTSIDE_MARKER}活动室",
                                 capacity=20, opens=datetime.time(8), closes=datetime.time(21))
    starts = timezone.now().replace(minute=0, second=0, microsecond=0) + datetime.timedelta(days=2)
    booking = Booking.objects.create(venue=venue, place_path=venue.place_path, starts_at=starts,
                                     ends_at=starts + datetime.timedelta(hours=1), purpose=f"{OUTSIDE_MARKER}排练",
                                     attendees=5, booked_by=world.users["worker_b"])
    BookingSlot.objects.create(venue=venue, starts_at=starts, booking=booking)
    day = timezone.localtime(starts).date().isoformat()
    return [
        Probe("venues-list"),
        Probe("venues-list", method="post", data={"place": building.code, "name": "x", "capacity": "5",
                                                 "opens": "08:00", "closes": "20:00", "open_days": ["1"]}),
        Probe("venues-venue", {"pk": venue.pk}, query=f"date={day}"),
        Probe("venues-venue", {"pk": venue.pk}, method="post", data={
            "date": day, "start": "10:00", "end": "11:00", "purpose": "x", "attendees": "3", "form_key": "k1"}),
        Probe("venues-mine"),
        Probe("venues-awaiting"),
        Probe("venues-decide", {"pk": booking.pk}, method="post", data={"action": "approve"}),
        Probe("venues-cancel", {"pk": booking.pk}, method="post"),
        Probe("venues-usage", query=f"place={building.code}"),
    ]
