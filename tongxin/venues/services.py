"""Every write of venues, one transaction each (``docs/venues.md``)."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access, once, outbox
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.venues import rules, selectors
from tongxin.venues.apps import MANAGE
from tongxin.venues.models import Booking, BookingSlot, Venue


def _hours(venue: Venue) -> rules.Hours:
    return rules.Hours(venue.opens, venue.closes, venue.open_days, venue.capacity)


def create_venue(user, place: Place, *, name: str, capacity: int, opens: datetime.time, closes: datetime.time,
                 open_days: str = "1234567", requires_approval: bool = True, description: str = "") -> Venue:
    if not access.can_see_path(user, MANAGE, place.path):
        raise RefusedError("not_allowed", "您不能在这里添加场地", "You may not add venues here")
    name = name.strip()
    if not name:
        raise RefusedError("venue_name", "请填写场地名称", "Give the venue a name")
    days = "".join(sorted(set(open_days) & set("1234567")))
    if not days:
        raise RefusedError("venue_days", "请至少选择一天开放", "Choose at least one opening day")
    if closes <= opens:
        raise RefusedError("venue_hours", "关门时间要晚于开门时间", "Closing must be after opening")
    if capacity < 1:
        raise RefusedError("venue_capacity_missing", "请填写可容纳人数", "Give the capacity")
    if Venue.objects.filter(place=place, name=name).exists():
        raise RefusedError("venue_exists", "这里已有同名场地", "There is already a venue of that name here")
    return Venue.objects.create(place=place, place_path=place.path, name=name, capacity=capacity, opens=opens,
                                closes=closes, open_days=days, requires_approval=requires_approval,
                                description=description.strip()[:300])


def book(user, venue: Venue, *, starts_at: datetime.datetime, ends_at: datetime.datetime, purpose: str,
         attendees: int, group: str = "", form_key: str | None = None) -> Booking:
    """Hold the venue's half hours for ``user``; a clash with a pending or approved booking is
    refused by the database (``venues_slot_once``), however close together two requests come."""
    purpose = purpose.strip()
    if not purpose:
        raise RefusedError("booking_purpose", "请填写用途（如：舞蹈队排练）", "Say what the room is for")
    if not selectors.can_book(user, venue):
        raise RefusedError("not_allowed", "您不能预约这个场地", "You may not book this venue")
    starts = rules.slots(starts_at, ends_at, _hours(venue), attendees=attendees, now=timezone.now())
    automatic = not venue.requires_approval
    with transaction.atomic():
        if form_key is not None:
            once.claim(form_key, user)
        booking = Booking.objects.create(
            venue=venue, place_path=venue.place_path, starts_at=starts_at, ends_at=ends_at, purpose=purpose[:120],
            group=group.strip()[:60], attendees=attendees, booked_by=user,
            state=rules.APPROVED if automatic else rules.PENDING, decided_at=timezone.now() if automatic else None,
        )
        try:
            with transaction.atomic():
                BookingSlot.objects.bulk_create([BookingSlot(venue=venue, starts_at=at, booking=booking)
                                                 for at in starts])
        except IntegrityError:
            raise RefusedError("booking_clash", "这个时间已被预约，请换一个时间",
                               "That time is already booked; choose another") from None
        if not automatic:
            outbox.notify(
                "venue_booking_requested", f"venue-booking:{booking.pk}:requested",
                users=[u for u in access.holders(venue.place, MANAGE) if u.pk != user.pk], place=venue.place,
                subject=f"{venue.name} {timezone.localtime(starts_at):%m-%d %H:%M} {purpose}"[:200],
                url=reverse("venues-awaiting"), webhooks=False,
            )
    return booking


def _locked(booking: Booking) -> Booking:
    return Booking.objects.select_for_update().select_related("venue__place").get(pk=booking.pk)


def decide(user, booking: Booking, *, approve: bool, note: str = "") -> Booking:
    with transaction.atomic():
        booking = _locked(booking)
        if not selectors.can_manage(user, booking.venue):
            raise RefusedError("not_allowed", "您不能审批这个场地的预约", "You may not decide this venue's bookings")
        booking.state = rules.next_state(booking.state, "approve" if approve else "decline")
        booking.decided_by, booking.decided_at, booking.note = user, timezone.now(), note.strip()[:200]
        booking.save(update_fields=["state", "decided_by", "decided_at", "note"])
        if not approve:
            BookingSlot.objects.filter(booking=booking).delete()
        verdict = "已批准" if approve else "未批准"
        outbox.notify(
            "venue_booking_decided", f"venue-booking:{booking.pk}:{booking.state}", users=[booking.booked_by],
            place=booking.venue.place, webhooks=False, url=reverse("venues-mine"),
            subject=f"场地预约{verdict}：{booking.venue.name} {timezone.localtime(booking.starts_at):%m-%d %H:%M}",
            body=booking.note,
        )
    return booking


def cancel(user, booking: Booking) -> Booking:
    """By the one who booked, or a manager of the venue; before it starts. The slots go free."""
    with transaction.atomic():
        booking = _locked(booking)
        if booking.booked_by_id != user.pk and not selectors.can_manage(user, booking.venue):
            raise RefusedError("not_allowed", "只有预约人或场地管理员可以取消",
                               "Only the booker or a manager may cancel")
        if booking.starts_at <= timezone.now():
            raise RefusedError("booking_started", "已经开始的预约不能取消",
                               "A booking that has started cannot be cancelled")
        booking.state = rules.next_state(booking.state, "cancel")
        booking.decided_by, booking.decided_at = user, timezone.now()
        booking.save(update_fields=["state", "decided_by", "decided_at"])
        BookingSlot.objects.filter(booking=booking).delete()
    return booking
