"""Reads, scoped (``docs/venues.md``): which venues a user may book or manage, a day's
slots, one's bookings, the bookings awaiting approval, and the monthly usage."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Person, Place, PlaceKind
from tongxin.core.tree import ancestor_paths, lineage, path_end
from tongxin.venues import rules
from tongxin.venues.apps import BOOK, MANAGE
from tongxin.venues.models import Booking, BookingSlot, Venue

#: A resident books the venues of the community (or village) they live in.
HOME_KINDS = (PlaceKind.COMMUNITY, PlaceKind.VILLAGE)


def home_area_path(user) -> str:
    """The path of the community or village a signed-in resident lives in, or ""."""
    if not user.is_authenticated or not user.person_id:
        return ""
    cached = getattr(user, "_venues_home", None)
    if cached is None:
        home = Person.objects.filter(pk=user.person_id).values_list("home_path", flat=True).first() or ""
        cached = ""
        if home:
            cached = Place.objects.filter(path__in=lineage(home), kind__in=HOME_KINDS).order_by(
                "-path").values_list("path", flat=True).first() or ""
        user._venues_home = cached
    return cached


def bookable_q(user) -> Q:
    """Venues ``user`` may book: within or above the places where a role grants ``venues.book``
    (a grid worker of building 1 books the community's hall), and in or above their home
    community if they live here."""
    if access.ranges(user, BOOK) == access.ALL:
        return Q()  # (an empty Q would narrow, not widen, the OR below)
    q = access.within_or_above_q(user, BOOK, "place_path")
    home = home_area_path(user)
    if home:
        q |= Q(place_path__gte=home, place_path__lt=path_end(home)) | Q(place_path__in=ancestor_paths(home))
    return q


def bookable(user):
    return Venue.objects.filter(bookable_q(user), active=True).select_related("place")


def can_book(user, venue: Venue) -> bool:
    return venue.active and Venue.objects.filter(bookable_q(user), pk=venue.pk).exists()


def can_manage(user, venue: Venue) -> bool:
    return access.can_see_path(user, MANAGE, venue.place_path)


def managed(user):
    return Venue.objects.filter(access.path_filter(user, MANAGE, "place_path")).select_related("place")


def manageable_places(user):
    return Place.objects.filter(access.path_filter(user, MANAGE)).exclude(
        kind__in=(PlaceKind.ENTRANCE, PlaceKind.GRID)).order_by("path")


@dataclass
class Slot:
    starts_at: datetime.datetime
    booking: Booking | None  # the holding booking, or None when free


def day(venue: Venue, date: datetime.date) -> list[Slot]:
    """Every half hour of ``date`` within the venue's hours, with the booking holding it
    (one query, whatever the number of bookings)."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(date, venue.opens, tzinfo=zone)
    end = datetime.datetime.combine(date, venue.closes, tzinfo=zone)
    held = {slot.starts_at: slot.booking for slot in BookingSlot.objects.filter(
        venue=venue, starts_at__gte=start, starts_at__lt=end).select_related("booking")}
    found, at = [], start
    while at + rules.SLOT <= end:
        found.append(Slot(at, held.get(at)))
        at += rules.SLOT
    return found


def mine(user, *, limit: int = 50):
    return (Booking.objects.filter(booked_by=user).select_related("venue__place")
            .order_by("-starts_at", "-id")[:limit])


def awaiting(user, *, limit: int = 100):
    """Pending bookings at the venues ``user`` manages, soonest first."""
    return (Booking.objects.filter(access.path_filter(user, MANAGE, "place_path"), state=rules.PENDING,
                                   ends_at__gt=timezone.now())
            .select_related("venue", "booked_by").order_by("starts_at", "id")[:limit])


@dataclass
class Usage:
    venue: Venue
    bookings: int
    hours: float


def month_bounds(year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    zone = timezone.get_current_timezone()
    start = datetime.datetime(year, month, 1, tzinfo=zone)
    end = datetime.datetime(year + (month == 12), month % 12 + 1, 1, tzinfo=zone)
    return start, end


def usage(user, place: Place, year: int, month: int) -> list[Usage]:
    """Approved use of each venue under ``place`` that ``user`` manages, in a month: bookings
    and hours (held half hours / 2). Three queries, whatever the number of venues or bookings."""
    start, end = month_bounds(year, month)
    venues = list(managed(user).filter(place_path__gte=place.path, place_path__lt=path_end(place.path))
                  .order_by("place_path", "name"))
    held = dict(BookingSlot.objects.filter(
        venue__in=venues, starts_at__gte=start, starts_at__lt=end, booking__state=rules.APPROVED,
    ).values("venue").annotate(n=Count("id")).values_list("venue", "n"))
    counted = dict(Booking.objects.filter(
        venue__in=venues, starts_at__gte=start, starts_at__lt=end, state=rules.APPROVED,
    ).values("venue").annotate(n=Count("id")).values_list("venue", "n"))
    return [Usage(venue, counted.get(venue.pk, 0), held.get(venue.pk, 0) / 2) for venue in venues]
