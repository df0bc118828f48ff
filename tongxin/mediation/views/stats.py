"""Outcome figures by place: received, settled, success rate, by type and by month."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from tongxin.core import access
from tongxin.mediation.apps import VIEW_STATS
from tongxin.mediation.selectors import stats as selectors


@login_required
def stats(request):
    if not access.has_permission(request.user, VIEW_STATS):
        raise Http404("no mediation figures here")
    roots = selectors.places(request.user)
    chosen = request.GET.get("place", "")
    place = selectors.visible_place(request.user, chosen) if chosen else (roots[0] if roots else None)
    if chosen and place is None:
        raise Http404("no such place here")
    children = list(place.children.filter(retired_on__isnull=True).order_by("path")) if place else []
    return render(request, "mediation/stats.html", {
        "roots": roots, "place": place, "children": children,
        "figures": selectors.place_stats(place) if place else None,
    })
