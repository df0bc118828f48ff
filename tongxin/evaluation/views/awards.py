"""Award pages: rounds at one's places, a round (nominate, review, vote, publish), the public winners."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.evaluation.apps import MANAGE, VIEW
from tongxin.evaluation.models import AwardKind, AwardRound, Nomination, NominationStatus
from tongxin.evaluation.selectors import awards as selectors
from tongxin.evaluation.services import awards as services
from tongxin.evaluation.views.campaigns import PLACE_KINDS


@login_required
def round_list(request):
    if not access.has_permission(request.user, VIEW):
        raise PermissionDenied
    manages = access.has_permission(request.user, MANAGE)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        post = request.POST
        place = Place.objects.filter(access.path_filter(request.user, MANAGE), kind__in=PLACE_KINDS,
                                     code=post.get("place", "")).first()
        try:
            if place is None:
                raise RefusedError("place_missing", "请选择地点", "Choose a place")
            year, quarter = post.get("year", ""), post.get("quarter", "")
            award_round = services.create_round(
                request.user, place, kind=post.get("kind", ""), year=int(year) if year.isdigit() else 0,
                quarter=int(quarter) if quarter.isdigit() else 0, public_vote=bool(post.get("public_vote")))
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            return redirect("evaluation-award-round", pk=award_round.pk)
    today = timezone.localdate()
    return render(request, "evaluation/awards.html", {
        "rounds": selectors.visible(request.user).select_related("place")[:200], "manages": manages,
        "places": Place.objects.filter(access.path_filter(request.user, MANAGE), kind__in=PLACE_KINDS)
        .order_by("path")[:300] if manages else [],
        "kinds": AwardKind.choices, "year": today.year, "quarter": (today.month - 1) // 3 + 1,
    })


@login_required
def round_detail(request, pk):
    award_round = get_object_or_404(AwardRound.objects.select_related("place"), pk=pk)
    if not selectors.can_take_part(request.user, award_round):
        raise Http404
    manages = selectors.can_manage(request.user, award_round)
    member = selectors.panel_member(request.user, award_round)
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        try:
            if action == "nominate":
                services.nominate(request.user, award_round, nominee=post.get("nominee", ""),
                                  reason=post.get("reason", ""), consent=bool(post.get("consent")))
                messages.success(request, _("Thank you, the nomination is recorded."))
            elif action == "panel":
                if not manages:
                    raise PermissionDenied
                services.set_panel(request.user, award_round, post.get("panel", "").split())
                messages.success(request, _("The award panel is saved."))
            elif action in ("approve", "decline", "vote", "panel_approve", "panel_decline"):
                nomination = get_object_or_404(Nomination.objects.select_related("award_round"),
                                               pk=post.get("nomination", "0") or 0, award_round=award_round)
                if action == "vote":
                    services.vote(request.user, nomination)
                    messages.success(request, _("Thank you, your household's vote is counted."))
                elif action.startswith("panel_"):
                    services.panel_review(request.user, nomination, approve=action == "panel_approve",
                                          note=post.get("note", ""))
                else:
                    services.review(request.user, nomination, approve=action == "approve", note=post.get("note", ""))
            elif action == "publish":
                winners = post.get("winners", "")
                services.publish(request.user, award_round, winners=int(winners) if winners.isdigit() else None)
                messages.success(request, _("The winners are published on the notice board."))
        except RefusedError as refused:
            messages.error(request, refused.message)
        return redirect("evaluation-award-round", pk=award_round.pk)
    rows = list(selectors.nominations(award_round))
    insider = manages or member is not None
    if not insider:  # residents see the approved nominees only, named as they consented
        rows = [n for n in rows if n.status == NominationStatus.APPROVED]
    panel = selectors.panel_of(award_round)
    reviews = selectors.panel_reviews(award_round) if insider and panel else {}
    for row in rows:
        row.shown_name = row.nominee_name if insider else selectors.public_name(row)
        row.reviews = reviews.get(row.pk, [])
        row.reviewed_by_me = member is not None and any(r.member_id == member.pk for r in row.reviews)
    query = request.GET.get("q", "") if manages else ""
    if award_round.published_at:
        choices = []
    elif manages:
        choices = selectors.staff_choices(award_round, query) + selectors.building_choices(award_round)
    else:
        choices = selectors.resident_choices(request.user, award_round)
    return render(request, "evaluation/award_round.html", {
        "round": award_round, "label": selectors.round_label(award_round), "rows": rows, "manages": manages,
        "member": member, "panel": panel, "panel_phones": "\n".join(m.user.phone for m in panel),
        "choices": choices, "query": query,
        "can_nominate": manages or selectors.household_for(request.user, award_round) is not None,
        "can_vote": award_round.public_vote and not award_round.published_at
        and selectors.household_for(request.user, award_round) is not None,
    })


def winners(request, token):
    """Public (the token is the grant): the winners, named as each consented."""
    award_round = get_object_or_404(AwardRound.objects.select_related("place"), token=token,
                                    published_at__isnull=False)
    rows = [(selectors.public_name(n), n.get_nominee_kind_display(), n.reason)
            for n in Nomination.objects.filter(award_round=award_round, winner=True).order_by("pk")]
    return render(request, "evaluation/winners.html", {"label": selectors.round_label(award_round), "rows": rows})
