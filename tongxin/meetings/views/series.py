"""Series: the list (with upcoming meetings) and creating one; a series' meetings; a one-off meeting."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.meetings.apps import MANAGE
from tongxin.meetings.models import Frequency, MeetingKind
from tongxin.meetings.selectors import meetings as selectors
from tongxin.meetings.services import meetings as services
from tongxin.meetings.views.common import date_from, int_or_none, managed_places, moment_from, place_from, time_from

WEEKS = ((1, gettext_lazy("first")), (2, gettext_lazy("second")), (3, gettext_lazy("third")),
         (4, gettext_lazy("fourth")), (-1, gettext_lazy("last")))


def _form_context(request, values):
    places = managed_places(request.user)
    place = place_from(request.user, values.get("place")) or (places[0] if places else None)
    organisations = list(services.organisations_for(place)) if place else []
    chosen = set(values.getlist("organisations")) if hasattr(values, "getlist") else set()
    return {"places": places, "place": place, "organisations": organisations, "chosen": chosen,
            "kinds": MeetingKind.choices, "frequencies": Frequency.choices, "values": values}


def _chosen_orgs(request, place):
    ids = [int(v) for v in request.POST.getlist("organisations") if v.isdigit()]
    return [o for o in services.organisations_for(place) if o.pk in ids]


@login_required
def series_list(request):
    user = request.user
    if not selectors.can_see_any(user):
        raise Http404("no meetings here")
    manager = access.has_permission(user, MANAGE)
    error, values = None, request.POST if request.method == "POST" else request.GET
    if request.method == "POST" and manager:
        post = request.POST
        place = place_from(user, post.get("place"))
        try:
            if place is None:
                raise RefusedError("place_missing", "请选择开会的地方", "Choose the place")
            by_weekday = post.get("rule") == "weekday"
            series = services.create_series(
                user, title=post.get("title", ""), kind=post.get("kind", ""), place=place,
                frequency=post.get("frequency", ""),
                starts_on=date_from(post.get("starts_on", "")) or timezone.localdate(),
                time=time_from(post.get("time", "")), day=None if by_weekday else int_or_none(post.get("day")),
                weekday=int_or_none(post.get("weekday")) if by_weekday else None,
                week=int_or_none(post.get("week")) if by_weekday else None, location=post.get("location", ""),
                organisations=_chosen_orgs(request, place),
            )
        except RefusedError as refused:
            error = refused.message
        else:
            messages.success(request, _("Meeting series created; its next meeting is scheduled."))
            return HttpResponseRedirect(reverse("meetings-series-detail", args=[series.pk]))
    rows, cursor = selectors.series_page(user, request.GET.get("after", ""))
    upcoming, _more = selectors.meetings_page(user, upcoming=True)
    context = {"rows": rows, "next_cursor": cursor, "upcoming": upcoming[:10], "manager": manager, "error": error,
               "weeks": WEEKS}
    if manager:
        context.update(_form_context(request, values))
    return render(request, "meetings/series_list.html", context, status=400 if error else 200)


@login_required
def series_detail(request, pk):
    series = selectors.series_for(request.user, pk)
    rows, cursor = selectors.meetings_page(request.user, series=series, after=request.GET.get("after", ""))
    return render(request, "meetings/series_detail.html", {
        "series": series, "rows": rows, "next_cursor": cursor,
        "organisations": list(series.organisations.order_by("kind", "name")),
    })


@login_required
def meeting_new(request):
    """A one-off meeting (a 恳谈会, a 屋场会) at a place one manages."""
    user = request.user
    if not access.has_permission(user, MANAGE):
        raise Http404("no meetings to hold here")
    error, values = None, request.POST if request.method == "POST" else request.GET
    if request.method == "POST":
        post = request.POST
        place = place_from(user, post.get("place"))
        try:
            if place is None:
                raise RefusedError("place_missing", "请选择开会的地方", "Choose the place")
            meeting = services.create_meeting(
                user, title=post.get("title", ""), kind=post.get("kind", ""), place=place,
                starts_at=moment_from(post.get("starts_at", "")), location=post.get("location", ""),
                organisations=_chosen_orgs(request, place))
        except RefusedError as refused:
            error = refused.message
        else:
            messages.success(request, _("Meeting scheduled."))
            return HttpResponseRedirect(reverse("meetings-meeting", args=[meeting.pk]))
    context = {"error": error, **_form_context(request, values)}
    return render(request, "meetings/meeting_new.html", context, status=400 if error else 200)
