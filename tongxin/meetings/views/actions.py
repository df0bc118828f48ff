"""Action items: overdue ones (逾期事项), mine, and closing one."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.meetings.apps import VIEW
from tongxin.meetings.models import ActionStatus
from tongxin.meetings.selectors import meetings as selectors
from tongxin.meetings.services import actions as services


@login_required
def overdue(request):
    user = request.user
    if not selectors.can_see_any(user):
        raise Http404("no meetings here")
    place = None
    if (value := request.GET.get("place", "")).isdigit():
        place = Place.objects.filter(pk=int(value)).first()
        if place is not None and not access.can_see_path(user, VIEW, place.path):
            place = None
    rows, cursor = selectors.overdue_page(user, place=place, after=request.GET.get("after", ""))
    return render(request, "meetings/overdue.html", {"rows": rows, "next_cursor": cursor, "place": place,
                                                     "first_page": not request.GET.get("after")})


@login_required
def my_actions(request):
    closed = request.GET.get("closed") == "1"
    rows, cursor = selectors.my_actions(request.user, after=request.GET.get("after", ""), closed=closed)
    return render(request, "meetings/my_actions.html", {"rows": rows, "next_cursor": cursor, "closed": closed,
                                                        "first_page": not request.GET.get("after")})


@login_required
def action_detail(request, pk):
    action = selectors.action_for(request.user, pk)
    closable = services.can_close(request.user, action)
    error = None
    if request.method == "POST":
        if not closable:
            raise Http404("not your action item")
        try:
            services.close(request.user, action, status=request.POST.get("status", ""),
                           note=request.POST.get("note", ""))
        except RefusedError as refused:
            error = refused.message
        else:
            messages.success(request, _("Action item closed. Thank you."))
            return HttpResponseRedirect(reverse("meetings-action", args=[action.pk]))
    return render(request, "meetings/action.html", {
        "action": action, "closable": closable, "error": error, "values": request.POST,
        "statuses": [(ActionStatus.DONE.value, ActionStatus.DONE.label),
                     (ActionStatus.DROPPED.value, ActionStatus.DROPPED.label)],
        "see_meeting": selectors.Meeting.objects.filter(selectors.meeting_q(request.user), pk=action.meeting_id)
        .exists(),
    }, status=400 if error else 200)
