"""Every read of the property accounts, scoped through ``core.access`` (``docs/property.md``)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.http import Http404

from tongxin.core import access
from tongxin.core.models import Household, Place
from tongxin.property import rules
from tongxin.property.apps import CHECK, KEEP, VIEW
from tongxin.property.models import Bill, FeeStandard, IncomeReport


def compounds(user, permission: str = VIEW):
    return Place.objects.filter(access.path_filter(user, permission), kind="compound", retired_on__isnull=True)


def can_view(user, compound: Place) -> bool:
    return access.can_see_path(user, VIEW, compound.path)


def can_check(user, compound: Place) -> bool:
    return access.can_see_path(user, CHECK, compound.path)


def can_keep(user, compound: Place) -> bool:
    """Property staff of the company that manages the compound now (a company that only
    *serves* it does not keep its accounts), or an administrator."""
    granted = access.ranges(user, KEEP)
    if granted == access.ALL:
        return True
    if not access.can_see_path(user, KEEP, compound.path):
        return False
    return access.active_assignments(user.person_id).filter(
        role="property_staff", organisation__place_links__relation="manages",
        organisation__place_links__valid_to__isnull=True,
        organisation__place_links__place__path__lte=compound.path,
        organisation__place_links__place__path_end__gt=compound.path,
    ).exists()


def compound_for(user, code: str) -> Place:
    """A compound the user may see the accounts of, or 404 (the same whether it exists or not)."""
    compound = Place.objects.filter(code=code, kind="compound").first()
    if compound is None or not can_view(user, compound):
        raise Http404("no such compound")
    return compound


def public_compound(code: str) -> Place:
    compound = Place.objects.filter(code=code, kind="compound").first()
    if compound is None:
        raise Http404("no such compound")
    return compound


# --- common-parts income --------------------------------------------------------------------
def reports(compound: Place):
    return IncomeReport.objects.filter(place=compound).annotate(
        gross=Sum("lines__gross_fen"), cost=Sum("lines__cost_fen"))


def published_reports(compound: Place):
    return reports(compound).filter(published_at__isnull=False)


@dataclass
class Totals:
    gross_fen: int
    cost_fen: int
    net_fen: int


def totals(lines) -> Totals:
    gross, cost = sum(line.gross_fen for line in lines), sum(line.cost_fen for line in lines)
    return Totals(gross, cost, gross - cost)


# --- fee standards --------------------------------------------------------------------------
def standards(compound: Place):
    """Every standard of the compound, newest first, with its items (two queries)."""
    return FeeStandard.objects.filter(place=compound).select_related("decision").prefetch_related(
        "items__building")


def standard_in_force(compound: Place, on: datetime.date | None = None) -> FeeStandard | None:
    on = on or datetime.date.today()
    pk = rules.in_force(FeeStandard.objects.filter(place=compound).values_list("effective_from", "pk"), on)
    return standards(compound).filter(pk=pk).first() if pk else None


# --- collection -----------------------------------------------------------------------------
@dataclass
class Rate:
    building: str
    households: int
    settled: int
    due_fen: int
    paid_fen: int

    @property
    def household_rate(self) -> Decimal | None:
        return rules.rate(self.settled, self.households)

    @property
    def amount_rate(self) -> Decimal | None:
        return rules.rate(self.paid_fen, self.due_fen)


def collection(compound: Place, year: int, *, user=None) -> tuple[list[Rate], Rate]:
    """The collection rate of each building for the year, and the compound's: households
    fully paid (every bill of the year settled) over households billed, amount paid over due.
    Aggregated in SQL: two queries however many buildings and households. With ``user``, only
    the bills of households they may see (a staff table); without, the whole compound (the
    public page shows these rates, never a household's arrears)."""
    bills = Bill.objects.filter(compound=compound, year=year)
    if user is not None:
        bills = bills.filter(access.path_filter(user, VIEW, "place_path"))
    unpaid = Bill.objects.filter(household=OuterRef("household"), year=year, paid_fen__lt=F("due_fen"))
    grouped = (bills.annotate(open_=Exists(unpaid)).values("building_id").order_by("building_id").annotate(
        households=Count("household", distinct=True),
        settled=Count("household", distinct=True, filter=Q(open_=False)),
        due=Sum("due_fen"), paid=Sum("paid_fen")))
    rows = list(grouped)
    places = {pk: (path, name) for pk, path, name in Place.objects.filter(
        pk__in=[r["building_id"] for r in rows if r["building_id"]]).values_list("pk", "path", "name")}
    rows.sort(key=lambda r: places.get(r["building_id"], ("~", ""))[0])
    found = [Rate(places.get(r["building_id"], ("", "—"))[1], r["households"], r["settled"], r["due"] or 0,
                  r["paid"] or 0) for r in rows]
    total = Rate("", sum(r.households for r in found), sum(r.settled for r in found),
                 sum(r.due_fen for r in found), sum(r.paid_fen for r in found))
    return found, total


def billed_years(compound: Place) -> list[int]:
    return sorted(set(Bill.objects.filter(compound=compound).values_list("year", flat=True).distinct()),
                  reverse=True)


def scope_rate(user, year: int) -> Decimal | None:
    """Amount paid over due this year across the user's compounds (the dashboard figure)."""
    found = Bill.objects.filter(access.path_filter(user, VIEW, "place_path"), year=year).aggregate(
        due=Sum("due_fen"), paid=Sum("paid_fen"))
    return rules.rate(found["paid"] or 0, found["due"] or 0)


def bills(user, compound: Place, building: Place | None = None):
    """The bills of the compound a staff member may see (individual arrears: staff only)."""
    found = Bill.objects.filter(access.path_filter(user, VIEW, "place_path"), compound=compound)
    if building is not None:
        found = found.filter(building=building)
    return found.select_related("household", "building", "payment").order_by("id")


# --- a resident's own -----------------------------------------------------------------------
def households_of(user):
    if not user.is_authenticated or not user.person_id:
        return Household.objects.none()
    return Household.objects.filter(members__person_id=user.person_id, members__valid_to__isnull=True,
                                    closed_on__isnull=True).distinct()


def my_bills(user):
    return (Bill.objects.filter(household__in=households_of(user)).select_related("household", "compound", "payment")
            .order_by("-year", "-month", "id"))
