from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from tongxin.core import access
from tongxin.volunteering.apps import MANAGE, VIEW_LEDGER
from tongxin.volunteering.selectors import home


@login_required
def staff_home(request):
    """Volunteering's front page for community staff and leaders: what waits, in figures."""
    permission = MANAGE if access.has_permission(request.user, MANAGE) else VIEW_LEDGER
    if not access.has_permission(request.user, permission):
        raise Http404("not volunteering staff")
    return render(request, "volunteering/home.html", {
        "figures": home.figures(request.user, permission), "manages": permission == MANAGE,
    })
