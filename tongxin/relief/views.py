"""Relief pages (``docs/relief.md``): the distributions, one distribution (items, stock, the
actions), the list by building with hand-over buttons, the hand-over, and the public list."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, Place
from tongxin.core.pagination import keyset_page
from tongxin.core.tree import is_within
from tongxin.relief import rules, selectors, services
from tongxin.relief.apps import MANAGE
from tongxin.relief.forms import AddHouseholdForm, DistributionForm, ItemForm
from tongxin.relief.models import Distribution, Entitlement, HandOver, Item

PAGE = 200


@login_required
def distribution_list(request):
    manages = access.has_permission(request.user, MANAGE)
    if not any(access.has_permission(request.user, p) for p in selectors.PERMISSIONS):
        raise PermissionDenied
    form = None
    if manages:
        places = list(selectors.manageable_places(request.user)[:300])
        form = DistributionForm(places, request.POST if request.method == "POST" else None)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            place = next(p for p in places if p.code == data["place"])
            try:
                distribution = services.create(request.user, place, title=data["title"], kind=data["kind"],
                                               rule_tags=data["rule_tags"])
            except RefusedError as refused:
                form.add_error(None, refused.message)
            else:
                messages.success(request, _("The distribution is created. Add its items, then open it."))
                return redirect("relief-detail", pk=distribution.pk)
    elif request.method == "POST":
        raise PermissionDenied
    return render(request, "relief/list.html", {
        "distributions": list(selectors.visible(request.user)[:100]), "form": form,
    })


def _visible(request, pk) -> Distribution:
    distribution = get_object_or_404(Distribution.objects.select_related("place"), pk=pk)
    if not selectors.can_see(request.user, distribution):
        raise Http404
    return distribution


def _act(request, distribution: Distribution):
    """A manager's action on the distribution page; returns the form with errors, if any."""
    action = request.POST.get("action", "")
    user = request.user
    if action == "add_item":
        form = ItemForm(request.POST)
        if not form.is_valid():
            return {"item_form": form}
        data = form.cleaned_data
        services.add_item(user, distribution, name=data["name"], unit=data["unit"], stock=data["stock"],
                          per_household=data["per_household"])
        messages.success(request, _("The item is added."))
    elif action == "add_stock":
        item = get_object_or_404(Item, pk=request.POST.get("item") or 0, distribution=distribution)
        try:
            quantity = int(request.POST.get("quantity", ""))
        except ValueError:
            quantity = 0
        services.add_stock(user, item, quantity)
        messages.success(request, _("The stock is updated."))
    elif action == "add_household":
        form = AddHouseholdForm(request.POST)
        if not form.is_valid():
            return {"household_form": form}
        data = form.cleaned_data
        place = Place.objects.filter(code=data["place"].strip()).first()
        household = place and Household.objects.filter(
            place=place, unit_number=data["unit_number"].strip(), closed_on__isnull=True).first()
        if household is None or not is_within(household.place_path, distribution.place_path):
            raise RefusedError("household_unknown", "找不到这一户，请核对楼栋（单元）编码和户号",
                               "No such household: check the building or entrance code and the unit number")
        services.add_household(user, distribution, household, reason=data["reason"])
        messages.success(request, _("The household is on the list."))
    elif action == "open":
        services.open_distribution(user, distribution)
        messages.success(request, _("The distribution is open: the list is fixed."))
    elif action == "close":
        services.close(user, distribution)
        messages.success(request, _("The distribution is closed."))
    elif action == "publish":
        services.publish(user, distribution)
        messages.success(request, _("The list is published and posted on the notice board."))
    return {}


@login_required
def distribution_detail(request, pk):
    distribution = _visible(request, pk)
    manages = selectors.can_manage(request.user, distribution)
    forms = {}
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        try:
            forms = _act(request, distribution)
        except RefusedError as refused:
            messages.error(request, refused.message)
        if not forms:
            return redirect("relief-detail", pk=distribution.pk)
        distribution.refresh_from_db()
    listed, served = selectors.counts(distribution)
    return render(request, "relief/detail.html", {
        "distribution": distribution, "manages": manages, "items": list(distribution.items.all()),
        "categories": selectors.rules_tags_label(distribution), "listed": listed, "served": served,
        "item_form": forms.get("item_form") or ItemForm(),
        "household_form": forms.get("household_form") or AddHouseholdForm(),
        "added": list(distribution.added.select_related("household__place")[:200]) if manages else [],
    })


@login_required
def eligible_list(request, pk):
    distribution = _visible(request, pk)
    after = request.GET.get("after", "")
    rows, next_after = keyset_page(selectors.entitlements(request.user, distribution).order_by("id"),
                                   int(after) if after.isdigit() else None, PAGE)
    return render(request, "relief/eligible.html", {
        "distribution": distribution, "buildings": selectors.by_building(rows), "next_after": next_after,
        "open": distribution.state == rules.OPEN,
    })


@login_required
def hand_over(request, pk):
    entitlement = get_object_or_404(
        Entitlement.objects.select_related("distribution", "household", "building"), pk=pk)
    if not selectors.can_hand_over(request.user, entitlement):
        raise Http404
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "send_code":
                told = services.send_code(request.user, entitlement)
                messages.success(request, _("The code is sent to %(n)d login(s) of the household.") % {"n": told})
                return redirect("relief-hand-over", pk=entitlement.pk)
            signature = rules.check_signature(request.POST.get("signature", "")) if action == "signature" else ""
            services.hand_over(request.user, entitlement, code=request.POST.get("code", ""), signature=signature,
                               form_key=request.POST.get("form_key", ""))
        except RefusedError as refused:
            messages.error(request, refused.message)
            return redirect("relief-hand-over", pk=entitlement.pk)
        messages.success(request, _("Handed over."))
        return redirect("relief-eligible", pk=entitlement.distribution_id)
    done = HandOver.objects.filter(entitlement=entitlement).select_related("handed_by").first()
    head = entitlement.household.members.filter(valid_to__isnull=True, is_head=True).select_related(
        "person").first()
    return render(request, "relief/hand_over.html", {
        "entitlement": entitlement, "distribution": entitlement.distribution, "done": done,
        "head": head.person if head else None, "items": list(entitlement.distribution.items.all()),
        "form_key": once.new_key(), "open": entitlement.distribution.state == rules.OPEN,
    })


def public_list(request, token):
    """No login: per building, the households served, as unit number and masked head name."""
    distribution = get_object_or_404(Distribution.objects.select_related("place"), public_token=token,
                                     published_at__isnull=False)
    buildings = selectors.public_list(distribution)
    return render(request, "relief/public.html", {
        "distribution": distribution, "buildings": buildings, "served": sum(len(b.rows) for b in buildings),
    })
