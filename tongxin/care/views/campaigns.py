"""Door-to-door campaigns: the list (and a new one), a campaign's coverage, a household's tick."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.care.apps import MANAGE
from tongxin.care.models import Outcome
from tongxin.care.selectors import campaigns as selectors
from tongxin.care.services import campaigns as services
from tongxin.care.views.visits import _category, problem_categories
from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place


def _date(value: str, *, required: bool = False):
    if not value:
        if required:
            raise RefusedError("date_missing", "请填写开始日期", "Please give the start date")
        return None
    try:
        return datetime.date.fromisoformat(value)
    except ValueError:
        raise RefusedError("date_invalid", "日期格式不对", "The date is not valid") from None


@login_required
def campaign_list(request):
    manager = access.has_permission(request.user, MANAGE)
    campaigns = list(selectors.visible_campaigns(request.user).order_by("-starts_on", "-id")[:100])
    if not manager and not campaigns:
        raise Http404("no campaigns for you")
    error, values = None, request.POST
    if request.method == "POST":
        if not manager:
            raise Http404("not a manager")
        post = request.POST
        try:
            with transaction.atomic():  # the form key is spent only if the campaign is made
                once.claim(post.get("form_key", ""), request.user)
                chosen = post.get("place", "")
                place = Place.objects.filter(pk=int(chosen)).first() if chosen.isdigit() else None
                campaign = services.create(request.user, title=post.get("title", ""), place=place,
                                           starts_on=_date(post.get("starts_on", ""), required=True),
                                           ends_on=_date(post.get("ends_on", "")),
                                           questions=services.questions_from(post.get("questions", "")))
        except RefusedError as refused:
            error = refused.message
        else:
            messages.success(request, _("Campaign created. Visitors can open it on their phones now."))
            return HttpResponseRedirect(reverse("care-campaign", args=[campaign.pk]))
    return render(request, "care/visits/campaigns.html", {
        "campaigns": campaigns, "manager": manager, "error": error, "values": values, "form_key": once.new_key(),
        "places": selectors.places_for_new(request.user) if manager else [],
    }, status=400 if error else 200)


@login_required
def campaign_detail(request, pk):
    """Coverage by building; ``?building=`` lists that building's households by entrance to tick."""
    campaign = selectors.campaign_for(request.user, pk)
    block = selectors.block_in(campaign, request.GET["building"]) if request.GET.get("building") else None
    return render(request, "care/visits/campaign.html", {
        "campaign": campaign, "coverage": selectors.coverage(campaign), "block": block,
        "entrances": selectors.households_by_entrance(campaign, block) if block else [],
    })


@login_required
def campaign_household(request, pk, household_pk):
    campaign = selectors.campaign_for(request.user, pk)
    household = selectors.household_for(request.user, campaign, household_pk)
    error, values = None, request.POST
    if request.method == "POST":
        post = request.POST
        answers = {q: post.get(f"q{i}", "") for i, q in enumerate(campaign.questions)}
        try:
            services.tick(request.user, campaign, household, outcome=post.get("outcome", ""), answers=answers,
                          note=post.get("note", ""), problem=post.get("problem", ""),
                          problem_category=_category(post.get("category")), form_key=post.get("form_key", ""))
        except RefusedError as refused:
            if refused.code != "already_submitted":
                error = refused.message
        if error is None:  # ticked, or the second click of a double click (the first one counted)
            messages.success(request, _("Household ticked off."))
            block = household.place if household.place.kind in selectors.BLOCK_KINDS else household.place.parent
            return HttpResponseRedirect(reverse("care-campaign", args=[campaign.pk]) + f"?building={block.pk}")
    from tongxin.care.models import CampaignVisit

    earlier = CampaignVisit.objects.filter(campaign=campaign, household=household).first()
    building = household.place.parent if household.place.kind == "entrance" else None
    return render(request, "care/visits/household.html", {
        "campaign": campaign, "household": household, "building": building, "earlier": earlier,
        "outcomes": Outcome.choices, "questions": [(f"q{i}", q, values.get(f"q{i}", "")) for i, q in
                                                    enumerate(campaign.questions)],
        "categories": problem_categories(), "error": error, "values": values, "form_key": once.new_key(),
        "manager": services.can_manage(request.user, campaign),
    }, status=400 if error else 200)
