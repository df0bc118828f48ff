"""Evaluation pages: the list by place, a new campaign, its results, the phone answer page."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, Place
from tongxin.evaluation.apps import MANAGE, VIEW
from tongxin.evaluation.models import Campaign, PanelMember, SubjectKind
from tongxin.evaluation.selectors import campaigns as selectors
from tongxin.evaluation.services import campaigns as services

PLACE_KINDS = ("street", "community", "compound", "building")


@login_required
def campaign_list(request):
    """Campaigns by place with their weighted results (staff and leaders); what I may answer (anyone)."""
    sees = access.has_permission(request.user, VIEW)
    campaigns = list(selectors.visible(request.user).select_related("place", "organisation")[:200]) if sees else []
    found = selectors.results(campaigns)
    return render(request, "evaluation/list.html", {
        "rows": [found[c.pk] for c in campaigns], "open_to_me": selectors.open_to(request.user),
        "can_create": access.has_permission(request.user, MANAGE),
    })


def _date(raw: str, field: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw.strip())
    except ValueError:
        raise RefusedError("date_invalid", f"日期格式不对：{field}", f"Not a date: {field}") from None


@login_required
def campaign_new(request):
    if not access.has_permission(request.user, MANAGE):
        raise PermissionDenied
    places = Place.objects.filter(access.path_filter(request.user, MANAGE), kind__in=PLACE_KINDS).order_by("path")[:300]
    organisations = Organisation.objects.filter(
        access.path_filter(request.user, MANAGE, "place_links__place__path"), kind="property_company",
    ).distinct().order_by("name")
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        post = request.POST
        try:
            place = Place.objects.filter(access.path_filter(request.user, MANAGE), kind__in=PLACE_KINDS,
                                         code=post.get("place", "")).first()
            if place is None:
                raise RefusedError("place_missing", "请选择地点", "Choose a place")
            org_id = post.get("organisation", "")
            organisation = organisations.filter(pk=org_id).first() if org_id.isdigit() else None
            weight = post.get("resident_weight", "60").strip()
            panel = []
            for line in post.get("panel", "").splitlines():
                parts = line.split(None, 1)
                if parts:
                    panel.append((parts[0], parts[1] if len(parts) > 1 else ""))
            campaign = services.create(
                request.user, place, title=post.get("title", ""), subject_kind=post.get("subject_kind", ""),
                organisation=organisation, subject_name=post.get("subject_name", ""),
                opens_on=_date(post.get("opens_on", ""), _("Opens on")),
                closes_on=_date(post.get("closes_on", ""), _("Closes on")),
                resident_weight=int(weight) if weight.isdigit() else -1,
                questions=post.get("questions", "").splitlines(), panel=panel,
            )
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The evaluation is created."))
            return redirect("evaluation-campaign", pk=campaign.pk)
    return render(request, "evaluation/new.html", {
        "places": places, "organisations": organisations[:100], "kinds": SubjectKind.choices, "values": values,
    })


def _visible_or_404(user, pk) -> Campaign:
    campaign = get_object_or_404(Campaign.objects.select_related("place", "organisation"), pk=pk)
    if not access.can_see_path(user, VIEW, campaign.place_path):
        raise Http404
    return campaign


@login_required
def campaign_detail(request, pk):
    """Results per question and overall, the series over time; staff close it here."""
    campaign = _visible_or_404(request.user, pk)
    manages = selectors.can_manage(request.user, campaign)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        services.close(request.user, campaign)
        messages.success(request, _("The evaluation is closed."))
        return redirect("evaluation-campaign", pk=campaign.pk)
    series = list(selectors.series(campaign))
    found = selectors.results(series)
    return render(request, "evaluation/detail.html", {
        "campaign": campaign, "result": found[campaign.pk], "series": [found[c.pk] for c in series],
        "panel": selectors.panel_of(campaign), "manages": manages, "is_open": selectors.is_open(campaign),
    })


@login_required
def answer(request, pk):
    """The phone page: a resident answers for the household, a panel member scores."""
    campaign = get_object_or_404(Campaign.objects.select_related("place"), pk=pk)
    member = PanelMember.objects.filter(campaign=campaign, user=request.user).first()
    household = None if member else selectors.household_for(request.user, campaign)
    if member is None and household is None:
        raise Http404
    questions = list(campaign.questions.all())
    if request.method == "POST":
        ratings = {q.pk: request.POST.get(f"q{q.pk}", "") for q in questions}
        comment = request.POST.get("comment", "")
        try:
            if member:
                services.answer_as_panel(request.user, campaign, ratings, comment)
            else:
                services.answer_as_resident(request.user, campaign, ratings, comment)
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("Thank you, your answer is saved."))
            return redirect("evaluation-campaigns")
    return render(request, "evaluation/answer.html", {
        "campaign": campaign, "questions": questions, "member": member, "household": household,
        "is_open": selectors.is_open(campaign), "posted": request.POST, "scale": range(1, 6),
    })


@login_required
def results(request):
    """Results by place and over time: each subject's closed campaigns at the chosen place, a line
    chart (ECharts, vendored) and the same figures in tables."""
    if not access.has_permission(request.user, VIEW):
        raise PermissionDenied
    places = list(selectors.result_places(request.user)[:300])
    code = request.GET.get("place", "")
    place = (selectors.result_places(request.user).filter(code=code).first() if code
             else places[0] if places else None)
    if code and place is None:
        raise Http404
    return render(request, "evaluation/results.html", {
        "places": places, "place": place, "series": selectors.series_at(request.user, place) if place else [],
        "can_export": place is not None and access.can_see_path(request.user, VIEW, place.path),
    })
