from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from tongxin.core import access
from tongxin.core.models import OrganisationKind
from tongxin.organisations import selectors
from tongxin.organisations.apps import VIEW_ORGANISATIONS


@login_required
def organisation_list(request):
    if not access.has_permission(request.user, VIEW_ORGANISATIONS):
        raise Http404("no organisations")
    kind = request.GET.get("kind") or None
    include_ended = request.GET.get("ended") == "1"
    after = request.GET.get("after", "")
    rows, next_after = selectors.page(
        request.user, kind=kind, include_ended=include_ended, after=int(after) if after.isdigit() else None
    )
    template = "organisations/_rows.html" if request.headers.get("HX-Request") else "organisations/list.html"
    return render(
        request,
        template,
        {
            "rows": rows, "next_after": next_after, "kinds": OrganisationKind.choices, "kind": kind,
            "include_ended": include_ended,
        },
    )


@login_required
def organisation_detail(request, code):
    if not access.has_permission(request.user, VIEW_ORGANISATIONS):
        raise Http404("no organisations")
    return render(request, "organisations/detail.html", selectors.detail(request.user, code))
