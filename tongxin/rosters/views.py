"""Pages of rosters (``docs/rosters.md``): the rosters and routes one takes part in, a roster's
week with sign-up / offer / take buttons, one's shifts and rounds, a route with its printable
QR sheet, the scan page of a checkpoint, a round, and the weekly coverage."""

import datetime

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.rosters import rules, selectors, services
from tongxin.rosters.apps import MANAGE, TAKE_PART
from tongxin.rosters.forms import IncidentForm, PlaceNameForm, RosterForm, ShiftForm
from tongxin.rosters.models import Checkpoint, Roster, Round, Route, Shift, ShiftAssignment


def _week(value: str) -> datetime.date:
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        day = timezone.localdate()
    return rules.week_start(day)


def _days(monday: datetime.date) -> list[datetime.date]:
    return [monday + datetime.timedelta(days=n) for n in range(7)]


@login_required
def home(request):
    user = request.user
    manages = access.has_permission(user, MANAGE)
    if not (manages or access.has_permission(user, TAKE_PART)):
        raise PermissionDenied
    roster_form = route_form = None
    if manages:
        places = list(selectors.manageable_places(user)[:300])
        posted = request.POST if request.method == "POST" else None
        what = request.POST.get("what")
        roster_form = RosterForm(places, posted if what == "roster" else None, prefix="roster")
        route_form = PlaceNameForm(places, posted if what == "route" else None, prefix="route")
        form = roster_form if what == "roster" else route_form if what == "route" else None
        if form is not None and form.is_valid():
            data = form.cleaned_data
            place = next(p for p in places if p.code == data["place"])
            try:
                if what == "roster":
                    made = services.create_roster(user, place, name=data["name"], kind=data["kind"])
                    return redirect("rosters-roster", pk=made.pk)
                made = services.create_route(user, place, name=data["name"])
                return redirect("rosters-route", pk=made.pk)
            except RefusedError as refused:
                form.add_error(None, refused.message)
        elif request.method == "POST" and form is None:
            raise PermissionDenied
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "rosters/list.html", {
        "rosters": list(selectors.rosters(user).order_by("place_path", "name")[:200]),
        "routes": list(selectors.routes(user).order_by("place_path", "name")[:200]),
        "manages": manages, "roster_form": roster_form, "route_form": route_form,
    })


@login_required
def roster_detail(request, pk):
    roster = get_object_or_404(Roster.objects.select_related("place"), pk=pk)
    if not selectors.can_see(request.user, roster):
        raise Http404
    manages = selectors.can_manage(request.user, roster)
    monday = _week(request.GET.get("week", ""))
    form = None
    if manages:
        form = ShiftForm(request.POST if request.method == "POST" else None, initial={"date": monday})
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                shift = services.add_shift(request.user, roster, date=data["date"], start=data["start"],
                                           end=data["end"], needed=data["needed"])
            except RefusedError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The shift is added."))
                week = rules.week_start(timezone.localdate(shift.starts_at))
                return redirect(f"{reverse('rosters-roster', args=[roster.pk])}?week={week.isoformat()}")
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "rosters/roster.html", {
        "roster": roster, "rows": selectors.week_shifts(roster, monday), "form": form, "manages": manages,
        "monday": monday, "previous": monday - datetime.timedelta(days=7), "next": monday + datetime.timedelta(days=7),
        "may_take_part": selectors.can_take_part(request.user, roster), "now": timezone.now(),
    })


@login_required
@require_POST
def shift_action(request, pk):
    shift = get_object_or_404(Shift.objects.select_related("roster"), pk=pk)
    if not selectors.can_see(request.user, shift.roster):
        raise Http404
    action = request.POST.get("action")
    try:
        if action == "sign_up":
            services.sign_up(request.user, shift)
            messages.success(request, _("You are on this shift."))
        elif action in ("offer", "keep"):
            services.offer(request.user, shift, offered=action == "offer")
            messages.success(request, _("Your shift is offered to others.") if action == "offer"
                             else _("You keep your shift."))
        elif action == "take":
            assignment = get_object_or_404(ShiftAssignment, pk=request.POST.get("assignment") or 0, shift=shift)
            services.take(request.user, shift, assignment)
            messages.success(request, _("You took the shift."))
        else:
            raise Http404
    except RefusedError as refused:
        messages.error(request, refused.message)
    week = rules.week_start(timezone.localdate(shift.starts_at))
    return redirect(f"{reverse('rosters-roster', args=[shift.roster_id])}?week={week.isoformat()}")


@login_required
def mine(request):
    return render(request, "rosters/mine.html", {
        "shifts": selectors.my_shifts(request.user), "rounds": selectors.my_rounds(request.user),
    })


@login_required
def route_detail(request, pk):
    route = get_object_or_404(Route.objects.select_related("place"), pk=pk)
    if not selectors.can_see(request.user, route):
        raise Http404
    manages = selectors.can_manage(request.user, route)
    may_walk = selectors.can_walk(request.user, route)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "start" and may_walk:
                patrol = services.start_round(request.user, route)
                return redirect("rosters-round", pk=patrol.pk)
            if action == "checkpoint" and manages:
                services.add_checkpoint(request.user, route, name=request.POST.get("name", ""))
                messages.success(request, _("The checkpoint is added."))
            elif action == "plan" and manages:
                monday = _week(request.POST.get("week", ""))
                services.plan_rounds(request.user, route, _days(monday))
                messages.success(request, _("A round is planned for each day of that week."))
            else:
                raise PermissionDenied
        except RefusedError as refused:
            messages.error(request, refused.message)
        return redirect("rosters-route", pk=route.pk)
    return render(request, "rosters/route.html", {
        "route": route, "checkpoints": list(route.checkpoints.all()), "manages": manages, "may_walk": may_walk,
        "rounds": list(route.rounds.select_related("walker").order_by("-planned_for", "-id")[:30]),
        "open_round": selectors.open_round(request.user, route) if may_walk else None,
        "next_week": rules.week_start(timezone.localdate()) + datetime.timedelta(days=7),
    })


@login_required
def route_qr(request, pk):
    route = get_object_or_404(Route.objects.select_related("place"), pk=pk)
    if not selectors.can_manage(request.user, route):
        raise Http404
    sheet = []
    for point in route.checkpoints.all():
        url = request.build_absolute_uri(reverse("rosters-scan", args=[point.token]))
        sheet.append({"point": point, "url": url,
                      "qr": segno.make(url, error="m", micro=False).svg_data_uri(border=0, omitsize=True)})
    return render(request, "rosters/qr.html", {"route": route, "sheet": sheet})


@login_required
def scan(request, token):
    """The page a checkpoint's QR code opens: a walker confirms the check-in with one tap (a
    GET writes nothing: a chat app previewing the link must not check anyone in)."""
    point = get_object_or_404(Checkpoint.objects.select_related("route__place"), token=token)
    if not selectors.can_walk(request.user, point.route):
        raise Http404
    if request.method == "POST":
        try:
            done = services.check_in(request.user, point)
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Checked in at %(point)s.") % {"point": point.name})
            return redirect("rosters-round", pk=done.round_id)
    return render(request, "rosters/scan.html", {
        "point": point, "open_round": selectors.open_round(request.user, point.route)})


@login_required
def round_detail(request, pk):
    from tongxin.demands.models import Category

    patrol = get_object_or_404(Round.objects.select_related("route__place", "walker"), pk=pk)
    manages = selectors.can_manage(request.user, patrol.route)
    walker = patrol.walker_id == request.user.pk
    if not (walker or manages):
        raise Http404
    categories = list(Category.objects.filter(active=True, sensitive=False).order_by("order", "id"))
    form = IncidentForm(categories, request.POST if request.method == "POST" else None)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "finish":
                services.finish_round(request.user, patrol)
                messages.success(request, _("The round is finished. Thank you."))
                return redirect("rosters-round", pk=patrol.pk)
            if action == "incident" and form.is_valid():
                code = form.cleaned_data["category"]
                category = next((c for c in categories if c.code == code), None)
                incident = services.log_incident(request.user, patrol, text=form.cleaned_data["text"],
                                                 category=category, form_key=request.POST.get("form_key", ""))
                messages.success(request, _("Logged; a demand was raised.") if incident.demand_id else _("Logged."))
                return redirect("rosters-round", pk=patrol.pk)
            if action not in ("finish", "incident"):
                raise PermissionDenied
        except RefusedError as refused:
            if refused.code == "already_submitted":
                return redirect("rosters-round", pk=patrol.pk)
            form.add_error(None, refused.message)
    return render(request, "rosters/round.html", {
        "round": patrol, "points": selectors.round_view(patrol), "incidents": list(patrol.incidents.all()),
        "form": form, "form_key": once.new_key(), "walker": walker,
        "open": patrol.started_at is not None and patrol.finished_at is None,
    })


@login_required
def coverage(request):
    if not access.has_permission(request.user, MANAGE):
        raise PermissionDenied
    places = list(selectors.manageable_places(request.user)[:300])
    chosen = next((p for p in places if p.code == request.GET.get("place")), places[0] if places else None)
    monday = _week(request.GET.get("week", ""))
    return render(request, "rosters/coverage.html", {
        "places": places, "chosen": chosen, "monday": monday,
        "rows": selectors.coverage(request.user, chosen, monday) if chosen else [],
        "previous": monday - datetime.timedelta(days=7), "next": monday + datetime.timedelta(days=7),
    })
