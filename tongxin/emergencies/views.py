"""Emergency pages (``docs/emergencies.md``): the notices, raising one, the live board, a
block's households with the tick-off buttons, the household's own link, and the report."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household
from tongxin.core.workbooks import XLSX
from tongxin.emergencies import exports, links, selectors, services
from tongxin.emergencies.apps import RAISE, VIEW
from tongxin.emergencies.models import EmergencyNotice, NoticeKind, Reach, Way


def _notice(user, pk) -> EmergencyNotice:
    notice = EmergencyNotice.objects.select_related("place", "raised_by").filter(pk=pk).first()
    if notice is None or not selectors.can_see(user, notice):
        raise Http404("no such notice")
    return notice


@login_required
def notice_list(request):
    if not access.has_permission(request.user, VIEW):
        raise PermissionDenied
    places = list(selectors.can_raise_at(request.user)[:300]) if access.has_permission(request.user, RAISE) else []
    values = {}
    if request.method == "POST":
        if not places:
            raise PermissionDenied
        values = request.POST
        place = next((p for p in places if p.code == values.get("place")), None)
        try:
            if place is None:
                raise RefusedError("place_missing", "请选择地点", "Choose a place")
            notice = services.raise_notice(request.user, place, kind=values.get("kind", ""),
                                           title=values.get("title", ""), body=values.get("body", ""),
                                           form_key=values.get("form_key", ""))
        except RefusedError as refused:
            if refused.code == "already_submitted":
                return redirect("emergencies-list")
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The notice is going out to every household."))
            return redirect("emergencies-board", pk=notice.pk)
    return render(request, "emergencies/list.html", {
        "notices": selectors.visible(request.user)[:100], "places": places, "kinds": NoticeKind.choices,
        "values": values, "form_key": once.new_key(),
    })


@login_required
def board(request, pk):
    notice = _notice(request.user, pk)
    shown = selectors.board(request.user, notice)
    context = {"board": shown, "notice": notice, "can_reach": selectors.can_reach(request.user, notice),
               "can_close": selectors.can_close(request.user, notice), "ways": Way.choices}
    if request.headers.get("HX-Request"):  # the board refreshes itself every 15 s
        return render(request, "emergencies/_board.html", context)
    return render(request, "emergencies/board.html", context)


@login_required
def block(request, pk, code):
    notice = _notice(request.user, pk)
    place = selectors.block_in(request.user, notice, code)
    if place is None:
        raise Http404("no such block")
    return render(request, "emergencies/block.html", {
        "notice": notice, "area": place, "rows": selectors.block_households(request.user, notice, place),
        "can_reach": selectors.can_reach(request.user, notice), "ways": [w for w in Way.choices if w[0] != "self"],
    })


@login_required
@require_POST
def tick(request, pk):
    notice = _notice(request.user, pk)
    household = Household.objects.filter(pk=request.POST.get("household", "0") or 0).select_related("place").first()
    if household is None:
        raise Http404("no such household")
    try:
        services.tick(request.user, notice, household, way=request.POST.get("way", ""),
                      needs_help=bool(request.POST.get("needs_help")), note=request.POST.get("note", ""))
    except RefusedError as refused:
        messages.error(request, refused.message)
    back = request.POST.get("block", "")
    return redirect("emergencies-block", pk=notice.pk, code=back) if back else redirect("emergencies-board",
                                                                                         pk=notice.pk)


@login_required
@require_POST
def handle_help(request, pk, reach_pk):
    notice = _notice(request.user, pk)
    reach = get_object_or_404(Reach, pk=reach_pk, notice=notice)
    try:
        services.handle_help(request.user, reach, note=request.POST.get("note", ""))
    except RefusedError as refused:
        messages.error(request, refused.message)
    return redirect("emergencies-board", pk=notice.pk)


@login_required
@require_POST
def close(request, pk):
    notice = _notice(request.user, pk)
    try:
        services.close(request.user, notice, note=request.POST.get("note", ""))
    except RefusedError as refused:
        messages.error(request, refused.message)
        return redirect("emergencies-board", pk=notice.pk)
    return redirect("emergencies-report", pk=notice.pk)


@login_required
def report(request, pk):
    notice = _notice(request.user, pk)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(exports.reaches_workbook(request.user, notice), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="emergency-{notice.pk}.xlsx"'
        return response
    return render(request, "emergencies/report.html", {"report": selectors.report(request.user, notice),
                                                       "notice": notice})


def confirm(request, notice_pk, household_pk, signature):
    """The household's own link (no login: the signed link is the grant)."""
    if not links.is_valid(notice_pk, household_pk, signature):
        raise Http404("no such link")
    notice, household = selectors.household_for_link(notice_pk, household_pk)
    if notice is None or household is None:
        raise Http404("no such link")
    reach = Reach.objects.filter(notice=notice, household=household).first()
    if request.method == "POST":
        try:
            reach = services.confirm(notice, household, needs_help=request.POST.get("answer") == "help",
                                     note=request.POST.get("note", ""))
        except RefusedError as refused:
            messages.error(request, refused.message)
        return redirect(request.path)
    return render(request, "emergencies/confirm.html", {
        "notice": notice, "household": household, "reach": reach, "now": timezone.now(),
    })
