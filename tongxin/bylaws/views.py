"""Rules on the wall's pages: the staff list and editor, and the public pages (no login) that the
notice board and the doors' QR pages link to. Thin: reads in ``selectors``, writes in ``services``."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.bylaws import rules, selectors, services
from tongxin.bylaws.apps import MANAGE, VIEW
from tongxin.bylaws.models import BylawKind
from tongxin.core import access
from tongxin.core.errors import RefusedError


def _require(user, permission: str) -> None:
    if not access.has_permission(user, permission):
        raise PermissionDenied


@login_required
def bylaw_list(request):
    """The rules of the user's places, with the version in force and any draft."""
    _require(request.user, VIEW)
    after = request.GET.get("after", "")
    rows, following = selectors.staff_page(request.user, int(after) if after.isdigit() else None)
    return render(request, "bylaws/list.html", {
        "rows": rows, "following": following, "can_create": access.has_permission(request.user, MANAGE),
    })


@login_required
def bylaw_new(request):
    _require(request.user, MANAGE)
    places = selectors.manageable_places(request.user)
    values = request.POST if request.method == "POST" else {}
    if request.method == "POST":
        place = places.filter(code=request.POST.get("place", "")).first()
        try:
            if place is None:
                raise RefusedError("place_missing", "请选择地点", "Choose a place")
            bylaw = services.create_bylaw(request.user, place, kind=request.POST.get("kind", ""),
                                          title=request.POST.get("title", ""))
        except RefusedError as refused:
            messages.error(request, refused.message)
        else:
            messages.success(request, _("The rule is created. Now write its text."))
            return redirect("bylaws-bylaw", pk=bylaw.pk)
    return render(request, "bylaws/new.html", {"places": places[:300], "kinds": BylawKind.choices,
                                               "values": values})


def _date(raw: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat((raw or "").strip())
    except ValueError:
        raise RefusedError("effective_on", "请填写施行日期", "Give the date it takes effect") from None


@login_required
def bylaw_detail(request, pk):
    """The editor: the versions, the draft (started from the text in force), publish."""
    bylaw = selectors.bylaw_for(request.user, pk)
    if bylaw is None:
        raise Http404
    manages = selectors.can_manage(request.user, bylaw)
    if request.method == "POST":
        if not manages:
            raise PermissionDenied
        response = _act(request, bylaw)
        if response is not None:
            return response
    versions = selectors.versions_of(bylaw)
    published = [v for v in versions if v.is_published]
    draft = next((v for v in versions if not v.is_published), None)
    current_number, upcoming_number = rules.in_force(
        [rules.Dated(v.number, v.effective_on, True) for v in published], timezone.localdate())
    latest = published[-1] if published else None
    values = request.POST if request.method == "POST" and request.POST.get("action") == "draft" else {
        "text": draft.text if draft else (latest.text if latest else ""),
        "effective_on": (draft.effective_on.isoformat() if draft else ""),
        "cites": selectors.value_of(draft), "basis": draft.basis if draft else "",
    }
    return render(request, "bylaws/detail.html", {
        "bylaw": bylaw, "manages": manages, "versions": list(reversed(published)), "draft": draft,
        "current_number": current_number, "upcoming_number": upcoming_number, "values": values,
        "choices": selectors.decision_choices(bylaw) if manages else [],
        "draft_diff": rules.diff(latest.text, draft.text) if draft and latest else None,
    })


def _act(request, bylaw):
    action = request.POST.get("action", "")
    try:
        if action == "draft":
            cites = selectors.cited_by_value(request.POST.get("cites", ""))
            services.draft(request.user, bylaw, text=request.POST.get("text", ""),
                           effective_on=_date(request.POST.get("effective_on", "")),
                           basis=request.POST.get("basis", ""), **cites)
            messages.success(request, _("The draft is saved. Check it, then publish it."))
        elif action in ("publish", "discard"):
            version = next((v for v in selectors.versions_of(bylaw)
                            if str(v.pk) == request.POST.get("version", "")), None)
            if version is None:
                raise Http404
            if action == "publish":
                services.publish(request.user, version)
                messages.success(request, _("Published: it is on the notice board and the public page."))
            else:
                services.discard(request.user, version)
                messages.success(request, _("The draft is discarded."))
        else:
            raise Http404
    except RefusedError as refused:
        messages.error(request, refused.message)
        return None
    return redirect("bylaws-bylaw", pk=bylaw.pk)


# --- public, no login -------------------------------------------------------------------------
def public_place(request, code):
    """The rules in force at a place and at the places above it (小区、社区), for anyone."""
    place = selectors.public_place(code)
    bylaws = selectors.public_rules(place) if place is not None else []
    if not bylaws:
        raise Http404("no published rules here")
    return render(request, "bylaws/public/place.html", {"place": place, "bylaws": bylaws})


def public_rule(request, pk):
    """A rule's history: every published version with its date, the decision it cites and what
    changed from the version before."""
    bylaw, versions = selectors.public_rule(pk)
    if bylaw is None:
        raise Http404("no published rule")
    current_number, upcoming_number = rules.in_force(
        [rules.Dated(v.number, v.effective_on, True) for v in versions], timezone.localdate())
    rows, previous = [], None
    for version in versions:
        rows.append({"version": version, "cited": selectors.cited_link(version),
                     "diff": rules.diff(previous.text, version.text) if previous else None})
        previous = version
    rows.reverse()
    return render(request, "bylaws/public/rule.html", {
        "bylaw": bylaw, "rows": rows, "current_number": current_number, "upcoming_number": upcoming_number,
    })
