"""The property register for staff: the units of their places, and a unit's owners, area and status."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, Person, Place
from tongxin.core.validators import normalise_phone
from tongxin.voting.apps import MANAGE
from tongxin.voting.models import UnitOwner, UnitStatus
from tongxin.voting.selectors.decisions import visible_units
from tongxin.voting.services import register as services

PAGE = 200
#: The developer is an Organisation of kind work_unit with this subtype (``docs/voting.md``).
DEVELOPER_SUBTYPE = "开发商"


@login_required
def unit_list(request):
    if not access.has_permission(request.user, MANAGE):
        raise PermissionDenied("not allowed to see the property register")
    notice = None
    if request.method == "POST":
        place = Place.objects.filter(access.path_filter(request.user, MANAGE), pk=request.POST.get("place")).first()
        if place is None:
            raise Http404("no such place here")
        made = services.seed_from_households(place)
        notice = _("%(n)d units added from the residents' register.") % {"n": made}
    units = visible_units(request.user, MANAGE)
    query = request.GET.get("q", "").strip()
    if query:
        units = units.filter(unit_number__icontains=query)
    places = Place.objects.filter(access.path_filter(request.user, MANAGE), kind__in=("compound", "building")
                                  ).order_by("path")[:200]
    return render(request, "voting/units/list.html", {
        "units": list(units[:PAGE]), "query": query, "places": places, "notice": notice,
    })


@login_required
def unit_detail(request, pk):
    unit = visible_units(request.user, MANAGE).filter(pk=pk).first()
    if unit is None:
        raise Http404("no such unit here")
    error, status = None, 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "update":
                developer = Organisation.objects.filter(pk=request.POST.get("developer") or 0).first()
                services.update_unit(request.user, unit, register_area=request.POST.get("register_area"),
                                     survey_area=request.POST.get("survey_area"),
                                     contract_area=request.POST.get("contract_area"),
                                     status=request.POST.get("status", ""), developer=developer)
            elif action == "add_owner":
                try:
                    phone = normalise_phone(request.POST.get("phone", ""))
                except ValidationError:
                    raise RefusedError("bad_phone", "请填写11位手机号", "Enter an 11-digit mobile number") from None
                person = Person.objects.filter(access.person_filter(request.user, MANAGE), phone=phone).first() \
                    if phone else None
                if person is None:
                    raise RefusedError("no_person", "找不到这位居民", "No such resident")
                services.add_owner(request.user, unit, person, is_voter=request.POST.get("is_voter") == "on")
            elif action in ("voter", "end"):
                owner = UnitOwner.objects.filter(unit=unit, pk=request.POST.get("owner") or 0,
                                                 valid_to__isnull=True).first()
                if owner is None:
                    raise RefusedError("no_owner", "找不到这位业主", "No such owner")
                (services.name_voter if action == "voter" else services.end_owner)(request.user, owner)
            return redirect("voting-unit", pk=unit.pk)
        except RefusedError as refused:
            error, status = refused.message, 400
    owners = list(unit.owners.filter(valid_to__isnull=True).select_related("person").order_by("-is_voter", "id"))
    developers = Organisation.objects.filter(
        Q(place__isnull=True) | access.path_filter(request.user, MANAGE, "place__path"), kind="work_unit",
        subtype=DEVELOPER_SUBTYPE).order_by("name")[:50]
    return render(request, "voting/units/detail.html", {
        "unit": unit, "owners": owners, "statuses": UnitStatus.choices, "developers": developers,
        "error": error,
    }, status=status)
