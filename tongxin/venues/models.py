"""Venues and their bookings (场地预约). ``docs/venues.md``.

A booking holds the half-hour slots it covers as rows of :class:`BookingSlot`, unique per
venue and slot start: two bookings of one room at overlapping times cannot both be written,
on SQLite as on PostgreSQL, whatever the timing. A declined or cancelled booking lets its
slots go (the rows are deleted); the booking itself is kept for the usage report.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongxin.venues import rules


class Venue(models.Model):
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(_("name"), max_length=60)
    capacity = models.PositiveIntegerField(_("capacity (people)"))
    description = models.CharField(_("description"), max_length=300, blank=True)
    opens = models.TimeField(_("opens at"))
    closes = models.TimeField(_("closes at"))
    #: ISO weekdays it is open on, "1234567" = every day, "12345" = Monday to Friday.
    open_days = models.CharField(_("open on (ISO weekdays)"), max_length=7, default="1234567")
    requires_approval = models.BooleanField(_("bookings need approval"), default=True)
    active = models.BooleanField(_("open for booking"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("venue")
        ordering = ["place_path", "name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["place", "name"], name="venues_venue_unique_name"),
            models.CheckConstraint(condition=Q(closes__gt=models.F("opens")), name="venues_venue_hours"),
            models.CheckConstraint(condition=Q(capacity__gte=1), name="venues_venue_capacity"),
        ]

    def __str__(self):
        return self.name


class BookingState(models.TextChoices):
    PENDING = rules.PENDING, _("Awaiting approval")
    APPROVED = rules.APPROVED, _("Approved")
    DECLINED = rules.DECLINED, _("Declined")
    CANCELLED = rules.CANCELLED, _("Cancelled")


class Booking(models.Model):
    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="bookings")
    place_path = models.CharField(max_length=255, editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    purpose = models.CharField(_("purpose"), max_length=120)
    #: The team, committee or group the room is for (free text: 舞蹈队, 业委会, 3栋楼组).
    group = models.CharField(_("for (team or group)"), max_length=60, blank=True)
    attendees = models.PositiveIntegerField(_("expected attendees"))
    booked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(max_length=10, choices=BookingState.choices, default=BookingState.PENDING)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["venue", "starts_at"], name="venues_booking_venue_start"),
            models.Index(fields=["place_path", "state", "starts_at"], name="venues_booking_path_state"),
            models.Index(fields=["booked_by", "starts_at"], name="venues_booking_booker"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="venues_booking_times"),
        ]


class BookingSlot(models.Model):
    """One half hour of a venue held by a booking (pending or approved)."""

    venue = models.ForeignKey(Venue, on_delete=models.PROTECT, related_name="+")
    starts_at = models.DateTimeField()
    booking = models.ForeignKey(Booking, on_delete=models.CASCADE, related_name="slots")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["venue", "starts_at"], name="venues_slot_once"),
        ]
