"""The three links' page (三联系): coverage by building, suggestions, link and unlink."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, Place
from tongxin.volunteering.apps import MANAGE
from tongxin.volunteering.models import HouseholdLink
from tongxin.volunteering.selectors import links as selectors
from tongxin.volunteering.services import links as services


def _back(code: str) -> HttpResponseRedirect:
    url = reverse("volunteering-coverage")
    return HttpResponseRedirect(f"{url}?{urlencode({'place': code})}" if code else url)


@login_required
def coverage(request):
    if not selectors.can_view(request.user):
        raise PermissionDenied
    options = selectors.choices(request.user)
    place = selectors.chosen_place(request.user, request.GET.get("place", "").strip(), options)
    result = selectors.coverage(request.user, place) if place else None
    single = result.blocks[0] if result and len(result.blocks) == 1 and place.kind in selectors.BLOCK_KINDS else None
    return render(request, "volunteering/links/coverage.html", {
        "place": place, "options": options, "coverage": result, "single": single,
        "can_manage": access.has_permission(request.user, MANAGE) and place is not None
        and selectors.can_manage_path(request.user, place.path),
        "link_all_up_to": services.LINK_ALL_UP_TO, "form_key": once.new_key(),
    })


@login_required
@require_POST
def link(request):
    """Link a member to the ticked households of a building, or to all its households with
    nobody (up to ``LINK_ALL_UP_TO`` for the member)."""
    if not access.has_permission(request.user, MANAGE):
        raise PermissionDenied
    post = request.POST
    block = get_object_or_404(Place, code=post.get("block", ""), kind__in=selectors.BLOCK_KINDS)
    if not selectors.can_manage_path(request.user, block.path):
        raise Http404
    back = post.get("back", "") or block.code
    try:
        enrolment = selectors.enrolment_for_link(request.user, post.get("enrolment", ""))
        ids = [int(v) for v in post.getlist("households") if v.isdigit()]
        households = list(
            Household.objects.filter(pk__in=ids, place_path__gte=block.path, place_path__lt=block.path_end)
            .select_related("place").order_by("place_path", "unit_number")
        )
        if len(households) != len(set(ids)):
            raise Http404
        with transaction.atomic():  # a refused link leaves the form key unused: the same form may try again
            once.claim(post.get("form_key", "")[:64], request.user)
            if post.get("all"):
                done = services.link_all(request.user, enrolment, block)
            else:
                done = services.link(request.user, enrolment, households)
    except RefusedError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("%(name)s now looks after %(n)d more households.") % {
            "name": enrolment.person.name, "n": done})
    return _back(back)


@login_required
@require_POST
def unlink(request, pk):
    if not access.has_permission(request.user, MANAGE):
        raise PermissionDenied
    row = get_object_or_404(HouseholdLink, pk=pk)
    if not selectors.can_manage_path(request.user, row.place_path):
        raise Http404
    try:
        services.unlink(request.user, row)
    except RefusedError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The link has ended; it stays in the history."))
    return _back(request.POST.get("back", ""))
