"""Thin views of the property accounts: staff pages (scoped), a resident's own bills, and two
public pages (a compound's standards and rates; a published quarter's income)."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.core.pagination import keyset_page
from tongxin.finance.shares import to_yuan
from tongxin.property import selectors
from tongxin.property.apps import VIEW
from tongxin.property.models import Bill, FeeKind, FeeUnit, IncomeKind, IncomeLine, IncomeReport
from tongxin.property.services import bills as bill_services
from tongxin.property.services import income as income_services
from tongxin.property.services import standards as standard_services


def _int(value, default=None):
    value = (value or "").strip()
    return int(value) if value.isdigit() else default


def _rows(rates):
    return [{"building": r.building, "households": r.households, "settled": r.settled, "due": to_yuan(r.due_fen),
             "paid": to_yuan(r.paid_fen), "household_rate": r.household_rate, "amount_rate": r.amount_rate}
            for r in rates]


def _year(request, compound):
    years = selectors.billed_years(compound)
    year = _int(request.GET.get("year"), years[0] if years else datetime.date.today().year)
    return year, years


@login_required
def home(request):
    if not access.has_permission(request.user, VIEW):
        raise PermissionDenied
    return render(request, "property/home.html", {
        "compounds": selectors.compounds(request.user).order_by("path")[:300]})


@login_required
def compound(request, code):
    place = selectors.compound_for(request.user, code)
    keeps = selectors.can_keep(request.user, place)
    if request.method == "POST":
        if not keeps:
            raise PermissionDenied
        post, action = request.POST, request.POST.get("action", "")
        try:
            if action == "open_report":
                report = income_services.open_report(request.user, place, _int(post.get("year"), 0),
                                                     _int(post.get("quarter"), 0))
                return redirect("property-income-edit", pk=report.pk)
            if action == "generate":
                made = bill_services.generate(request.user, place, _int(post.get("year"), 0),
                                              _int(post.get("month")))
                messages.success(request, _("%(count)d bills made.") % {"count": made})
        except RefusedError as refused:
            messages.error(request, refused.message)
        return redirect("property-compound", code=place.code)
    year, years = _year(request, place)
    rates, total = selectors.collection(place, year, user=request.user)
    today = datetime.date.today()
    return render(request, "property/compound.html", {
        "compound": place, "keeps": keeps, "in_force": selectors.standard_in_force(place),
        "standards": selectors.standards(place)[:50], "reports": selectors.reports(place)[:40],
        "year": year, "years": years, "rates": _rows(rates), "total": _rows([total])[0],
        "this_year": today.year, "this_quarter": (today.month - 1) // 3 + 1,
    })


@login_required
def standard_new(request, code):
    place = selectors.compound_for(request.user, code)
    if not selectors.can_keep(request.user, place):
        raise PermissionDenied
    buildings = list(Place.objects.filter(path__gte=place.path, path__lt=place.path_end, kind="building")
                     .order_by("path")[:300])
    if request.method == "POST":
        post = request.POST
        by_code = {b.code: b for b in buildings}
        items = []
        for n in range(1, 6):
            price = (post.get(f"price{n}") or "").strip()
            if not price:
                continue
            items.append(standard_services.Item(
                kind=post.get(f"kind{n}", ""), name=post.get(f"name{n}", ""), unit=post.get(f"unit{n}", ""),
                price_yuan=price, building=by_code.get(post.get(f"building{n}", ""))))
        try:
            effective = datetime.date.fromisoformat(post.get("effective_from", ""))
        except ValueError:
            messages.error(request, _("Give the date the standard takes effect."))
        else:
            try:
                standard_services.create(request.user, place, effective_from=effective, basis=post.get("basis", ""),
                                         items=items)
            except RefusedError as refused:
                messages.error(request, refused.message)
            else:
                messages.success(request, _("The fee standard is recorded."))
                return redirect("property-compound", code=place.code)
    return render(request, "property/standard_new.html", {
        "compound": place, "buildings": buildings, "kinds": FeeKind.choices, "units": FeeUnit.choices,
        "slots": range(1, 6), "today": datetime.date.today().isoformat()})


@login_required
def bill_list(request, code):
    place = selectors.compound_for(request.user, code)
    buildings = list(Place.objects.filter(access.path_filter(request.user, VIEW), path__gte=place.path,
                                          path__lt=place.path_end, kind="building").order_by("path")[:300])
    building = next((b for b in buildings if b.code == request.GET.get("building")), None)
    found = selectors.bills(request.user, place, building)
    if request.GET.get("unpaid"):
        found = found.filter(paid_fen__lt=F("due_fen"))
    rows, after = keyset_page(found, _int(request.GET.get("after")), 50)
    return render(request, "property/bills.html", {
        "compound": place, "buildings": buildings, "building": building, "rows": rows, "after": after,
        "unpaid": bool(request.GET.get("unpaid")), "keeps": selectors.can_keep(request.user, place),
    })


@login_required
@require_POST
def bill_pay(request, pk):
    bill = Bill.objects.select_related("compound").filter(pk=pk).first()
    if bill is None or not access.can_see_path(request.user, VIEW, bill.place_path):
        raise Http404
    try:
        bill_services.pay(request.user, bill, amount_yuan=request.POST.get("amount", ""),
                          method=request.POST.get("method", ""))
    except RefusedError as refused:
        messages.error(request, refused.message)
    else:
        messages.success(request, _("The payment is recorded."))
    return redirect("property-bills", code=bill.compound.code)


@login_required
def income_edit(request, pk):
    report = get_object_or_404(IncomeReport.objects.select_related("place"), pk=pk)
    if not selectors.can_view(request.user, report.place):
        raise Http404
    keeps = selectors.can_keep(request.user, report.place)
    checks = selectors.can_check(request.user, report.place)
    if request.method == "POST":
        post, action = request.POST, request.POST.get("action", "")
        try:
            if action in ("add", "remove", "publish") and not keeps:
                raise PermissionDenied
            if action == "add":
                income_services.add_line(request.user, report, kind=post.get("kind", ""),
                                         description=post.get("description", ""), gross_yuan=post.get("gross", ""),
                                         cost_yuan=post.get("cost", ""))
            elif action == "remove":
                line = get_object_or_404(IncomeLine, pk=_int(post.get("line"), 0), report=report)
                income_services.remove_line(request.user, line)
            elif action == "publish":
                income_services.publish(request.user, report)
                messages.success(request, _("Published on the compound's notice board."))
            elif action == "check":
                income_services.check(request.user, report, agrees=post.get("agrees") != "no",
                                      note=post.get("note", ""))
                messages.success(request, _("Your check is recorded."))
        except RefusedError as refused:
            messages.error(request, refused.message)
        return redirect("property-income-edit", pk=report.pk)
    return render(request, "property/income_edit.html", {
        **_income_context(report), "keeps": keeps, "checks": checks, "kinds": IncomeKind.choices,
        "keeps_draft": keeps and report.published_at is None,
    })


def _income_context(report: IncomeReport) -> dict:
    lines = list(report.lines.all())
    totals = selectors.totals(lines)
    return {
        "report": report, "compound": report.place,
        "lines": [{"pk": line.pk, "kind": line.get_kind_display(), "description": line.description,
                   "gross": to_yuan(line.gross_fen), "cost": to_yuan(line.cost_fen), "net": to_yuan(line.net_fen)}
                  for line in lines],
        "gross": to_yuan(totals.gross_fen), "cost": to_yuan(totals.cost_fen), "net": to_yuan(totals.net_fen),
        "report_checks": list(report.checks.all()),
    }


def income_public(request, pk):
    report = IncomeReport.objects.select_related("place").filter(pk=pk, published_at__isnull=False).first()
    if report is None:
        raise Http404("no published report")
    return render(request, "property/income_public.html", _income_context(report))


def public_compound(request, code):
    place = selectors.public_compound(code)
    year, years = _year(request, place)
    rates, total = selectors.collection(place, year)
    return render(request, "property/public.html", {
        "compound": place, "in_force": selectors.standard_in_force(place), "standards": selectors.standards(place)[:50],
        "reports": selectors.published_reports(place)[:40], "year": year, "years": years, "rates": _rows(rates),
        "total": _rows([total])[0],
    })


@login_required
def my_bills(request):
    rows = list(selectors.my_bills(request.user)[:100])
    return render(request, "property/my_bills.html", {
        "rows": [{"bill": b, "due": to_yuan(b.due_fen), "paid": to_yuan(b.paid_fen),
                  "owing": to_yuan(b.due_fen - b.paid_fen)} for b in rows]})
