"""Screens for register upkeep: add a household, add a member, move, groups, move-out.

Thin: the form validates, ``registers.services`` checks scope and writes. A record the
user may not change is a 404, like one they may not see.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core.errors import RefusedError
from tongxin.core.models import HouseholdMember
from tongxin.core.places import resolve_place
from tongxin.registers import selectors, services
from tongxin.registers.forms import CoverageForm, HouseholdForm, MoveHouseholdForm, PersonForm, TagsForm


def _act(request, form, action, *, done, title, back, success):
    """Run ``action(cleaned_data)`` for a valid form; refusals become form errors."""
    if request.method == "POST" and form.is_valid():
        try:
            result = action(form.cleaned_data)
        except PermissionDenied:
            raise Http404("not allowed") from None
        except RefusedError as refused:
            if refused.code == "already_submitted":
                messages.info(request, refused.message)
                return HttpResponseRedirect(back)
            form.add_error(None, refused.message)
        else:
            messages.success(request, success)
            return HttpResponseRedirect(done(result))
    status = 400 if request.method == "POST" else 200
    return render(request, "registers/form.html", {"form": form, "title": title, "back": back}, status=status)


def _manageable(user, path):
    if not services.can_manage(user, path):
        raise Http404("not allowed")


@login_required
def household_new(request, code):
    place = selectors.visible_place(request.user, code)
    _manageable(request.user, place.path)
    if not place.holds_households:
        raise Http404("no households here")
    back = reverse("place-detail", args=[place.code])
    return _act(
        request, HouseholdForm(request.POST or None),
        lambda data: services.add_household(
            request.user, place, key=data["form_key"], unit_number=data["unit_number"],
            floor_area=data["floor_area"], tenure=data["tenure"],
        ),
        done=lambda household: reverse("household-detail", args=[household.pk]),
        title=_("Register a household at %(place)s") % {"place": place.name}, back=back,
        success=_("The household is registered."),
    )


def _household_to_change(request, pk):
    """The household if the user may change it (else 404), and the page to go back to."""
    household = selectors.visible_household(request.user, pk)
    _manageable(request.user, household.place_path)
    back = reverse("household-detail", args=[household.pk])
    return household, back, f"{household.place.name} {household.unit_number}"


@login_required
def member_new(request, pk):
    household, back, label = _household_to_change(request, pk)

    def action(data):
        return services.add_member(
            request.user, household, key=data["form_key"], relation=data["relation"], lives_here=data["lives_here"],
            name=data["name"], phone=data["phone"], id_number=data["id_number"], birth_date=data["birth_date"],
            gender=data["gender"], tags=tuple(data["tags"]), consent=form.consent(),
        )

    form = PersonForm(request.POST or None)
    return _act(
        request, form, action, done=lambda _person: back,
        title=_("Add a person to %(household)s") % {"household": label},
        back=back, success=_("The person is added."),
    )


@login_required
def household_move(request, pk):
    household, back, label = _household_to_change(request, pk)

    def action(data):
        target = resolve_place(data["to_place"])
        return services.move(request.user, household, target, key=data["form_key"], reason=data["reason"])

    return _act(
        request, MoveHouseholdForm(request.POST or None), action, done=lambda _h: back,
        title=_("Move %(household)s") % {"household": label},
        back=back, success=_("The household has moved; the move is kept in its history."),
    )


@login_required
def person_groups(request, pk):
    person = selectors.visible_person(request.user, pk)
    _manageable(request.user, person.home_path)
    back = reverse("person-detail", args=[person.pk])
    current = [t.tag for t in person.tags.all()]
    form = TagsForm(request.POST or None, initial={"tags": current}, held=set(current))
    return _act(
        request, form,
        lambda data: services.set_tags(
            request.user, person, key=data["form_key"], tags=set(data["tags"]), consent=form.consent()
        ),
        done=lambda _r: back, title=_("Groups of %(name)s") % {"name": person.name}, back=back,
        success=_("The groups are saved."),
    )


@login_required
@require_POST
def member_end(request, pk, member_pk):
    household = selectors.visible_household(request.user, pk)
    member = get_object_or_404(HouseholdMember, pk=member_pk, household=household, valid_to__isnull=True)
    try:
        services.end_membership(request.user, member)
    except PermissionDenied:
        raise Http404("not allowed") from None
    messages.success(request, _("%(name)s is recorded as moved out.") % {"name": member.person.name})
    return HttpResponseRedirect(reverse("household-detail", args=[household.pk]))


@login_required
def area_coverage(request, code):
    area = selectors.visible_place(request.user, code)
    if not services.can_redraw(request.user, area):
        raise Http404("not allowed")
    candidates = services.coverable_places(area)
    current = list(area.coverage.filter(valid_to__isnull=True).values_list("place_id", flat=True))
    form = CoverageForm(request.POST or None, candidates=candidates, initial={"places": current})
    back = reverse("place-detail", args=[area.code])
    return _act(
        request, form,
        lambda data: services.redraw_area(
            request.user, area, list(data["places"]), key=data["form_key"], on=data["on"]
        ),
        done=lambda _r: back, title=_("What %(area)s covers") % {"area": area.name}, back=back,
        success=_("The coverage is redrawn; the previous coverage is kept in the history."),
    )
