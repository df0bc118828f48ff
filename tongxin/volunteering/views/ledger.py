"""The ledger's pages: a member's own hours and certificate, the leaders' ledger with its
Excel export and monthly ranking, the public ranking, and a work unit's view."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q, Sum
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, Place, PlaceKind
from tongxin.core.workbooks import XLSX
from tongxin.volunteering import activity_rules as rules
from tongxin.volunteering import ledger_files
from tongxin.volunteering.apps import MANAGE, VIEW_LEDGER
from tongxin.volunteering.models import PublishedRanking, ServiceSource
from tongxin.volunteering.selectors import ledger as selectors
from tongxin.volunteering.services.ranking import publish_ranking


def _period(request, default: str = "month") -> dict:
    """The period asked for (``?period=month|quarter&year=&n=``), this month or quarter by default."""
    today = timezone.localdate()
    kind = request.GET.get("period", default)
    kind = kind if kind in ("month", "quarter") else default
    current = today.month if kind == "month" else rules.quarter_of(today)
    try:
        year = int(request.GET.get("year", today.year))
        number = int(request.GET.get("n", current))
        start, end = rules.period_bounds(kind, year, number)
    except ValueError:
        year, number = today.year, current
        start, end = rules.period_bounds(kind, year, number)
    if kind == "month":
        label = _("%(year)s-%(month)02d") % {"year": year, "month": number}
    else:
        label = _("Q%(n)s %(year)s") % {"n": number, "year": year}
    return {"kind": kind, "year": year, "n": number, "start": start, "end": end, "label": label,
            "query": f"period={kind}&year={year}&n={number}"}


def _titles() -> dict[str, str]:
    return {"person": _("By person"), "team": _("Teams"), "unit": _("Work units"), "community": _("Communities")}


# --- a member's own ---------------------------------------------------------------------------
@login_required
def my_ledger(request):
    person_id = request.user.person_id
    if person_id is None:
        months, records = [], []
    else:
        months = [{**m, "hours": rules.hours(m["minutes"])} for m in selectors.my_months(person_id)]
        records = list(selectors.my_records(person_id)[:100])
    today = timezone.localdate()
    return render(request, "volunteering/ledger/mine.html", {
        "months": months, "records": records, "year": today.year,
        "default_from": datetime.date(today.year, 1, 1), "default_to": today,
    })


def _parse_day(value: str, default: datetime.date) -> datetime.date:
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return default


@login_required
def my_certificate(request):
    """服务证明 for the member's own service in a period (``?from=&to=``, this year by default)."""
    person_id = request.user.person_id
    if person_id is None:
        raise Http404("no person")
    today = timezone.localdate()
    start = _parse_day(request.GET.get("from", ""), datetime.date(today.year, 1, 1))
    last = _parse_day(request.GET.get("to", ""), today)
    if last < start:
        start, last = last, start
    end = last + datetime.timedelta(days=1)
    records = selectors.in_period(selectors.my_records(person_id), start, end)
    found = records.aggregate(minutes=Sum("minutes"), tasks=selectors.TASKS,
                              activities=Count("pk", filter=Q(source=ServiceSource.ACTIVITY)))
    communities = list(records.order_by().values_list("community__name", flat=True).distinct())
    pdf = ledger_files.certificate_pdf(
        name=request.user.person.name, communities=sorted(communities), start=start, end=end,
        minutes=found["minutes"] or 0, tasks=found["tasks"], activities=found["activities"])
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="service-certificate-{start:%Y%m%d}-{last:%Y%m%d}.pdf"'
    return response


# --- the leaders' ledger ------------------------------------------------------------------------
def _ledger(request):
    if not access.has_permission(request.user, VIEW_LEDGER):
        raise Http404("not allowed")
    period = _period(request)
    records = selectors.in_period(selectors.visible_records(request.user), period["start"], period["end"])
    groupings = {by: selectors.totals(records, by) for by in selectors.GROUPINGS}
    return period, records, groupings


@login_required
def ledger(request):
    period, records, groupings = _ledger(request)
    titles = _titles()
    sections = [{"by": by, "title": titles[by],
                 "rows": [{**r, "hours": rules.hours(r["minutes"])} for r in rows]}
                for by, rows in groupings.items()]
    total = selectors.grand_total(records)
    communities = Place.objects.filter(access.path_filter(request.user, MANAGE),
                                       kind=PlaceKind.COMMUNITY).order_by("path")
    published = PublishedRanking.objects.filter(
        access.path_filter(request.user, VIEW_LEDGER, "community__path")).select_related("community").order_by(
        "-month")[:12]
    return render(request, "volunteering/ledger/ledger.html", {
        "period": period, "sections": sections, "total": {**total, "hours": rules.hours(total["minutes"])},
        "communities": communities, "published": published, "today": timezone.localdate(),
    })


@login_required
def ledger_export(request):
    period, _records, groupings = _ledger(request)
    body = ledger_files.ledger_workbook(groupings, _titles())
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = (f'attachment; filename="service-ledger-{period["kind"]}-'
                                       f'{period["year"]}-{period["n"]}.xlsx"')
    return response


@login_required
@require_POST
def ranking_publish(request):
    """Publish a community's month (managers of the community)."""
    community = Place.objects.filter(pk=request.POST.get("community") or 0, kind=PlaceKind.COMMUNITY).first()
    if community is None or not access.can_see_path(request.user, MANAGE, community.path):
        raise Http404("not allowed")
    try:
        month = datetime.date.fromisoformat(request.POST.get("month", "") + "-01")
    except ValueError:
        messages.error(request, _("Choose a month."))
        return HttpResponseRedirect(reverse("volunteering-ledger"))
    try:
        ranking = publish_ranking(community, month, by=request.user)
    except RefusedError as refused:
        messages.error(request, refused.message)
        return HttpResponseRedirect(reverse("volunteering-ledger"))
    messages.success(request, _("The ranking is published."))
    return HttpResponseRedirect(reverse("volunteering-ranking", kwargs={"pk": ranking.pk}))


def ranking_public(request, pk):
    """A published ranking for the notice board: masked names only, as published."""
    ranking = get_object_or_404(PublishedRanking.objects.select_related("community"), pk=pk)
    return render(request, "volunteering/ledger/ranking.html", {"ranking": ranking})


# --- the work unit's view -------------------------------------------------------------------
def _unit(request, pk):
    unit = get_object_or_404(Organisation, pk=pk)
    scope = selectors.unit_scope(request.user, unit)
    if scope is None:
        raise Http404("not allowed")
    return unit, scope


@login_required
def my_units(request):
    """A branch secretary's way in (a menu entry): their unit's view, or a choice of units."""
    units = selectors.my_units(request.user)
    if len(units) == 1:
        return HttpResponseRedirect(reverse("volunteering-unit", kwargs={"pk": units[0].pk}))
    return render(request, "volunteering/ledger/my_units.html", {"units": units})


@login_required
def unit_view(request, pk):
    unit, scope = _unit(request, pk)
    period = _period(request)
    members = selectors.unit_members(unit, scope, period["start"], period["end"])
    for member in members:
        member["hours"] = rules.hours(member["minutes"])
    today = timezone.localdate()
    return render(request, "volunteering/ledger/unit.html", {
        "unit": unit, "members": members, "projects": selectors.unit_projects(unit, scope), "period": period,
        "total_hours": rules.hours(sum(m["minutes"] for m in members)), "total_tasks": sum(m["tasks"] for m in members),
        "quarter": rules.quarter_of(today), "year": today.year, "quarters": (1, 2, 3, 4),
    })


@login_required
def unit_export(request, pk):
    """The unit's quarter as Excel: members with hours and tasks, and the joint projects."""
    unit, scope = _unit(request, pk)
    period = _period(request, default="quarter")
    members = selectors.unit_members(unit, scope, period["start"], period["end"])
    body = ledger_files.unit_workbook(members, selectors.unit_projects(unit, scope))
    response = HttpResponse(body, content_type=XLSX)
    response["Content-Disposition"] = (f'attachment; filename="unit-{unit.pk}-{period["year"]}-'
                                       f'{period["kind"]}{period["n"]}.xlsx"')
    return response
