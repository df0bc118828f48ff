"""Venue pages (``docs/venues.md``): the venues one may book, a venue's day with the booking
form, one's bookings, the approvals, and the monthly usage."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.venues import selectors, services
from tongxin.venues.apps import MANAGE
from tongxin.venues.forms import BookingForm, VenueForm
from tongxin.venues.models import Booking, Venue


@login_required
def venue_list(request):
    manages = access.has_permission(request.user, MANAGE)
    form = None
    if manages:
        places = list(selectors.manageable_places(request.user)[:300])
        form = VenueForm(places, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            place = next(p for p in places if p.code == data["place"])
            try:
                venue = services.create_venue(
                    request.user, place, name=data["name"], capacity=data["capacity"], opens=data["opens"],
                    closes=data["closes"], open_days="".join(data["open_days"]),
                    requires_approval=data["requires_approval"], description=data["description"])
            except RefusedError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The venue is added."))
                return redirect("venues-venue", pk=venue.pk)
    elif request.method == "POST":
        raise PermissionDenied
    venues = list(selectors.bookable(request.user).order_by("place_path", "name")[:200])
    managed = list(selectors.managed(request.user).order_by("place_path", "name")[:200]) if manages else []
    known = {v.pk for v in venues}
    return render(request, "venues/list.html", {
        "venues": venues + [v for v in managed if v.pk not in known], "form": form, "manages": manages,
    })


def _date(value: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        return timezone.localdate()


@login_required
def venue_detail(request, pk):
    venue = get_object_or_404(Venue.objects.select_related("place"), pk=pk)
    manages = selectors.can_manage(request.user, venue)
    may_book = selectors.can_book(request.user, venue)
    if not (manages or may_book):
        raise Http404
    day = _date(request.GET.get("date", "") or request.POST.get("date", ""))
    form = BookingForm(venue, request.POST if request.method == "POST" else None,
                       initial={"date": day, "form_key": once.new_key()})
    if request.method == "POST":
        if not may_book:
            raise PermissionDenied
        if form.is_valid():
            starts_at, ends_at = form.times()
            data = form.cleaned_data
            try:
                booking = services.book(request.user, venue, starts_at=starts_at, ends_at=ends_at,
                                        purpose=data["purpose"], group=data["group"], attendees=data["attendees"],
                                        form_key=data["form_key"])
            except RefusedError as refused:
                if refused.code == "already_submitted":
                    messages.info(request, refused.message)
                    return redirect("venues-mine")
                form.add_error(None, refused.message)
                form.data = form.data.copy()
                form.data["form_key"] = once.new_key()  # what was typed stays; the next try is a new submission
            else:
                messages.success(request, _("Booked. It awaits the venue manager's approval.")
                                 if booking.state == "pending" else _("Booked."))
                return redirect("venues-mine")
    return render(request, "venues/venue.html", {
        "venue": venue, "day": day, "slots": selectors.day(venue, day), "form": form, "may_book": may_book,
        "manages": manages, "previous": day - datetime.timedelta(days=1), "next": day + datetime.timedelta(days=1),
    })


@login_required
def mine(request):
    return render(request, "venues/mine.html", {"bookings": selectors.mine(request.user), "now": timezone.now()})


@login_required
def awaiting(request):
    if not access.has_permission(request.user, MANAGE):
        raise PermissionDenied
    return render(request, "venues/awaiting.html", {"bookings": selectors.awaiting(request.user)})


@login_required
@require_POST
def decide(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("venue"), pk=pk)
    if not selectors.can_manage(request.user, booking.venue):
        raise Http404
    try:
        services.decide(request.user, booking, approve=request.POST.get("action") == "approve",
                        note=request.POST.get("note", ""))
    except RefusedError as refused:
        messages.error(request, refused.message)
    return redirect("venues-awaiting")


@login_required
@require_POST
def cancel(request, pk):
    booking = get_object_or_404(Booking.objects.select_related("venue"), pk=pk)
    if booking.booked_by_id != request.user.pk and not selectors.can_manage(request.user, booking.venue):
        raise Http404
    try:
        services.cancel(request.user, booking)
        messages.success(request, _("The booking is cancelled."))
    except RefusedError as refused:
        messages.error(request, refused.message)
    return redirect(request.POST.get("back") == "awaiting" and "venues-awaiting" or "venues-mine")


@login_required
def usage(request):
    if not access.has_permission(request.user, MANAGE):
        raise PermissionDenied
    places = list(selectors.manageable_places(request.user)[:300])
    chosen = next((p for p in places if p.code == request.GET.get("place")), places[0] if places else None)
    today = timezone.localdate()
    month = request.GET.get("month", "")
    try:
        year, number = (int(part) for part in month.split("-"))
        datetime.date(year, number, 1)
    except ValueError:
        year, number = today.year, today.month
    rows = selectors.usage(request.user, chosen, year, number) if chosen else []
    return render(request, "venues/usage.html", {
        "places": places, "chosen": chosen, "month": f"{year:04d}-{number:02d}", "rows": rows,
        "total_hours": sum(r.hours for r in rows), "total_bookings": sum(r.bookings for r in rows),
    })

