"""Reading the indicators: every figure is a sum of rollup rows over path ranges
(``models.DailyFigures``), never a read of demands. A page costs the same few statements
however many demands there are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, Sum
from django.http import Http404

from tongxin.core import access
from tongxin.core.models import GridCoverage, Place
from tongxin.core.models.places import RESPONSIBILITY_KINDS
from tongxin.core.tree import ancestor_paths, merge_ranges
from tongxin.indicators import rates as definitions
from tongxin.indicators.apps import VIEW_INDICATORS
from tongxin.indicators.models import COUNTERS, DUE_COUNTERS, DailyFigures, MonthlyFigures
from tongxin.indicators.periods import MONTH, Period

#: The levels figures are shown at, from the district down to the grid (and its points).
LEVEL_KINDS = ("city", "district", "street", "town", "community", "village", "area", "grid", "grid_point")
COMMUNITY_KINDS = ("community", "village")


@dataclass
class Figures:
    """Summed counters and the rates made of them, for one place, category or period."""

    label: str
    counters: dict[str, int] = field(default_factory=dict)
    place: Place | None = None

    @property
    def values(self) -> dict[str, float | None]:
        return definitions.rates(self.counters)

    def add(self, counters: dict[str, int]) -> None:
        definitions.add(self.counters, counters)


def _sums(period: Period) -> dict:
    """Report-day counters over the whole period; due counters up to today (what fell due)."""
    due_by = Q(day__lte=period.due_end())
    return {name: Sum(name, filter=due_by) if name in DUE_COUNTERS else Sum(name) for name in COUNTERS}


def _clean(row: dict) -> dict[str, int]:
    return {name: row[name] or 0 for name in COUNTERS}


def _in_ranges(ranges: list[tuple[str, str]]) -> Q:
    return access.ranges_q(ranges, "unit_path")


def _coverage(places: list[Place]) -> dict[int, list[tuple[str, str]]]:
    """Each place's ranges: its subtree, and what a grid (area, point) covers now. One statement."""
    found = {place.pk: [(place.path, place.path_end)] for place in places}
    areas = [place.pk for place in places if place.kind in RESPONSIBILITY_KINDS]
    if areas:
        covered = GridCoverage.objects.filter(grid_id__in=areas, valid_to__isnull=True)
        for grid_id, path, end in covered.values_list("grid_id", "place__path", "place__path_end"):
            found[grid_id].append((path, end))
    return {pk: merge_ranges(ranges) for pk, ranges in found.items()}


def visible_place(user, code: str | None) -> Place:
    """The place asked for if the user may see its figures; else their highest place (404 if none)."""
    if code:
        place = Place.objects.filter(code=code).first()
        if place is None or not access.can_see_path(user, VIEW_INDICATORS, place.path):
            raise Http404("no such place")
        return place
    roots = sorted(access.root_places(user, VIEW_INDICATORS), key=lambda p: (p.kind not in LEVEL_KINDS, p.path))
    if not roots:
        raise Http404("no places")
    return roots[0]


def trail(user, place: Place) -> list[Place]:
    """The levels above ``place`` the user may also see: the way back up."""
    above = Place.objects.filter(path__in=ancestor_paths(place.path), kind__in=LEVEL_KINDS).order_by("path")
    return [p for p in above if access.can_see_path(user, VIEW_INDICATORS, p.path)]


@dataclass
class Board:
    place: Place
    period: Period
    total: Figures
    children: list[Figures]
    categories: list[Figures]
    trend: list[Figures]
    grid_ranking: list[Figures]
    community_ranking: list[Figures]


def _period_rows(own: Q, period: Period, group: tuple[str, ...]) -> list[dict]:
    """The period's counters grouped by ``group``. A month reads its monthly rows, then takes
    back the due counters of the days not reached yet (deadlines still ahead); a week sums
    its days. Either way the rows read follow the tree, not the number of demands."""
    if period.kind != MONTH:
        rows = DailyFigures.objects.filter(own, day__gte=period.start, day__lte=period.end)
        return [{**row, **_clean(row)} for row in rows.values(*group).annotate(**_sums(period)).order_by(*group)]
    rows = MonthlyFigures.objects.filter(own, month=period.start).values(*group).annotate(
        **{n: Sum(n) for n in COUNTERS}).order_by(*group)
    found = [{**row, **_clean(row)} for row in rows]
    # Always asked, empty once the month is over: the page's statements stay the same every day.
    ahead = DailyFigures.objects.filter(own, day__gt=period.due_end(), day__lte=period.end).values(*group).annotate(
        **{n: Sum(n) for n in DUE_COUNTERS})
    later = {tuple(row[g] for g in group): row for row in ahead}
    for row in found:
        for name in DUE_COUNTERS:
            row[name] -= (later.get(tuple(row[g] for g in group)) or {}).get(name) or 0
    return found


def board(place: Place, period: Period, *, trend_periods: int = 12) -> Board:
    """Everything the dashboard shows for a place and a period, in a fixed number of statements."""
    children = list(Place.objects.filter(parent=place, kind__in=LEVEL_KINDS, retired_on__isnull=True).order_by("path"))
    ranges = _coverage([place, *children])
    own = _in_ranges(ranges[place.pk])

    total = Figures(place.name, place=place)
    rows = [Figures(child.name, place=child) for child in children]
    other = Figures("")
    by_unit = _period_rows(own, period, ("unit_id", "unit_path"))
    for row in by_unit:
        counters = _clean(row)
        total.add(counters)
        home = next((r for r in rows if any(s <= row["unit_path"] < e for s, e in ranges[r.place.pk])), other)
        home.add(counters)
    if other.counters and rows:
        rows.append(other)

    categories = [
        Figures(row["category__name"], _clean(row))
        for row in _period_rows(own, period, ("category__order", "category_id", "category__name"))
    ]

    periods = period.back(trend_periods)
    trend = [Figures(p.short_label) for p in periods]
    totals = {n: Sum(n) for n in COUNTERS}
    if period.kind == MONTH:
        # Whole months before this one from the monthly rows; this month is the total above.
        months = MonthlyFigures.objects.filter(own, month__gte=periods[0].start, month__lt=period.start)
        for row in months.values("month").annotate(**totals).order_by("month"):
            trend[next(i for i, p in enumerate(periods) if p.start == row["month"])].add(_clean(row))
        trend[-1].add(total.counters)
    else:
        history = DailyFigures.objects.filter(own, day__gte=periods[0].start, day__lte=period.end)
        due_end = period.due_end()
        for row in history.values("day").annotate(**totals).order_by("day"):
            index = next(i for i, p in enumerate(periods) if p.start <= row["day"] <= p.end)
            counters = _clean(row)
            if row["day"] > due_end:
                counters.update({name: 0 for name in DUE_COUNTERS})
            trend[index].add(counters)

    grids, communities = _rankings(place, by_unit)
    return Board(place, period, total, rows, categories, trend, grids, communities)


def _ranked(found: list[Figures]) -> list[Figures]:
    scored = [f for f in found if f.values["score"] is not None]
    return sorted(scored, key=lambda f: (-f.values["score"], f.label))


def _rankings(place: Place, by_unit: list[dict]) -> tuple[list[Figures], list[Figures]]:
    """Grids (their units) and communities under the place, best composite score first."""
    units = Place.objects.in_bulk([row["unit_id"] for row in by_unit])
    grids: dict[int, Figures] = {}
    for row in by_unit:
        unit = units[row["unit_id"]]
        if unit.kind in RESPONSIBILITY_KINDS:
            grids.setdefault(unit.pk, Figures(unit.name, place=unit)).add(_clean(row))
    communities = Place.objects.filter(
        path__gte=place.path, path__lt=place.path_end, kind__in=COMMUNITY_KINDS
    ).order_by("path")
    if place.kind not in COMMUNITY_KINDS:
        communities = communities.exclude(pk=place.pk)
    found = []
    for community in communities:
        figures = Figures(community.name, place=community)
        for row in by_unit:
            if community.path <= row["unit_path"] < community.path_end:
                figures.add(_clean(row))
        found.append(figures)
    return _ranked(list(grids.values())), _ranked(found)


def home_figures(user, period: Period) -> Figures | None:
    """The user's highest place's figures for the home page (two statements)."""
    try:
        place = visible_place(user, None)
    except Http404:
        return None
    ranges = _coverage([place])[place.pk]
    row = DailyFigures.objects.filter(_in_ranges(ranges), day__gte=period.start, day__lte=period.end).aggregate(
        **_sums(period))
    return Figures(place.name, _clean(row), place=place)
