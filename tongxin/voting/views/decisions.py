"""Staff pages of owners' decisions: the list, a new decision, a decision's page (turnout, the
electorate with the personal links), opening and closing."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.voting import rules
from tongxin.voting.apps import MANAGE, VIEW
from tongxin.voting.models import DecisionKind, DecisionState
from tongxin.voting.selectors import decisions as selectors
from tongxin.voting.services import decisions as services
from tongxin.voting.services.register import can_manage

PLACE_KINDS = ("compound", "building", "village", "community")
PAGE = 100


@login_required
def decision_list(request):
    if not access.has_permission(request.user, VIEW):
        raise PermissionDenied("no voting here")
    show = request.GET.get("state", "")
    rows = selectors.visible_decisions(request.user)
    if show in DecisionState.values:
        rows = rows.filter(state=show)
    return render(request, "voting/decisions/list.html", {
        "decisions": list(rows[:PAGE]), "states": DecisionState.choices, "show": show,
        "can_create": access.has_permission(request.user, MANAGE),
    })


def _places(user):
    return list(Place.objects.filter(access.path_filter(user, MANAGE), kind__in=PLACE_KINDS).order_by("path")[:300])


@login_required
def decision_new(request):
    if not access.has_permission(request.user, MANAGE):
        raise PermissionDenied("not allowed to run decisions")
    places = _places(request.user)
    values, error, status = {}, None, 200
    if request.method == "POST":
        values = request.POST
        try:
            with transaction.atomic():
                once.claim(values.get("form_key", ""), request.user)
                place = next((p for p in places if str(p.pk) == values.get("place")), None)
                if place is None:
                    raise RefusedError("no_place", "请选择小区或楼栋", "Choose a compound or building")
                closes_at = parse_datetime(values.get("closes_at") or "")
                if closes_at is not None and timezone.is_naive(closes_at):
                    closes_at = timezone.make_aware(closes_at)
                decision = services.create_decision(
                    request.user, place, title=values.get("title", ""), item=values.get("item", ""),
                    description=values.get("description", ""), closes_at=closes_at, kind=values.get("kind"),
                    allow_change=values.get("allow_change") == "on", count_by=values.get("count_by"),
                    seats=values.get("seats") or 0, candidates=(values.get("candidates") or "").splitlines(),
                )
            return redirect(decision.get_absolute_url())
        except RefusedError as refused:
            error, status = refused.message, 400
        except ValueError:
            error, status = _("Check the figures you entered."), 400
    return render(request, "voting/decisions/new.html", {
        "places": places, "items": rules.ITEMS, "kinds": DecisionKind.choices, "values": values, "error": error,
        "form_key": once.new_key(),
    }, status=status)


def _decision_or_404(request, pk):
    decision = selectors.visible_decision(request.user, pk)
    if decision is None:
        raise Http404("no such decision here")
    return decision


def _detail(request, decision, *, error=None, status=200):
    manager = can_manage(request.user, decision.place)
    voters = []
    if manager:
        voters = list(decision.voters.select_related("person", "organisation", "ballot").order_by("id")[:2000])
    return render(request, "voting/decisions/detail.html", {
        "decision": decision, "manager": manager, "voters": voters, "error": error,
        "turnout": selectors.turnout(decision) if decision.state != DecisionState.DRAFT else None,
        "candidates": list(decision.candidates.all()), "item_label": dict(
            (n, zh) for n, zh, _en in rules.ITEMS)[decision.item],
    }, status=status)


@login_required
def decision_detail(request, pk):
    return _detail(request, _decision_or_404(request, pk))


@login_required
@require_POST
def decision_open(request, pk):
    decision = _decision_or_404(request, pk)
    try:
        services.open_decision(request.user, decision)
    except RefusedError as refused:
        return _detail(request, decision, error=refused.message, status=400)
    messages.success(request, _("Voting is open: the electorate is frozen."))
    return redirect(decision.get_absolute_url())


@login_required
@require_POST
def decision_close(request, pk):
    decision = _decision_or_404(request, pk)
    try:
        services.close_now(request.user, decision)
    except RefusedError as refused:
        return _detail(request, decision, error=refused.message, status=400)
    messages.success(request, _("Voting is closed and the result is published."))
    return redirect(decision.get_absolute_url())


@login_required
def decision_letters(request, pk):
    """Printable letters, one per owner: the decision, their units and their personal QR code."""
    import segno
    from django.conf import settings

    decision = _decision_or_404(request, pk)
    if not can_manage(request.user, decision.place) or decision.state != DecisionState.OPEN:
        raise Http404("no letters for this decision")
    base = settings.TONGXIN_SITE_URL.rstrip("/")
    letters = []
    for voter in decision.voters.select_related("person", "organisation").order_by("id")[:2000]:
        url = base + reverse("voting-ballot", args=[voter.token])
        letters.append({"voter": voter, "url": url,
                        "qr": segno.make(url, error="m", micro=False).svg_data_uri(border=0, omitsize=True)})
    return render(request, "voting/decisions/letters.html", {"decision": decision, "letters": letters})
