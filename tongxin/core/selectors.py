"""Reads of the tree with counts, at a fixed number of queries whatever the data size.

A physical place's figures are its rollup counters (``core.counts``). An area's (片区,
grid, grid point) are the sum of the counters of the places it and its sub-areas
currently cover, nested covered places dropped so that overlapping coverage (a grid
point covering one entrance of a building its grid covers) is counted once. Two
statements for any set of places: the coverage rows, then the counters.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field

from tongxin.core import access, tree
from tongxin.core.counts import HOUSEHOLDS, RENTED, RESIDENTS, VACANT
from tongxin.core.models import GridCoverage, Place, PlaceCount
from tongxin.core.tags import PARTY_MEMBER


@dataclass
class Counts:
    households: int = 0
    rented: int = 0
    vacant: int = 0
    residents: int = 0
    tags: dict[str, int] = field(default_factory=dict)

    @property
    def party_members(self) -> int:
        return self.tags.get(PARTY_MEMBER, 0)

    @classmethod
    def from_metrics(cls, metrics: Counter) -> Counts:
        return cls(
            households=metrics[HOUSEHOLDS], rented=metrics[RENTED], vacant=metrics[VACANT],
            residents=metrics[RESIDENTS],
            tags={m.removeprefix("tag:"): v for m, v in metrics.items() if m.startswith("tag:") and v},
        )


def _covered_tops(areas: list[Place]) -> dict[int, list[int]]:
    """For each area, the outermost physical places it and its sub-areas cover."""
    if not areas:
        return {}
    within = access.ranges_q([(area.path, area.path_end) for area in areas], "grid__path")
    rows = list(
        GridCoverage.objects.filter(within, valid_to__isnull=True).values_list("grid__path", "place_id", "place__path")
    )
    tops: dict[int, list[int]] = {}
    for area in areas:
        covered = sorted({(path, pid) for grid_path, pid, path in rows if tree.is_within(grid_path, area.path)})
        kept: list[tuple[str, int]] = []
        for path, pid in covered:  # sorted by path: an ancestor comes before its descendants
            if not kept or not tree.is_within(path, kept[-1][0]):
                kept.append((path, pid))
        tops[area.pk] = [pid for _path, pid in kept]
    return tops


def counts_for(places: list[Place]) -> dict[int, Counts]:
    """Counts for each place (any mix of physical places and areas), by place id."""
    tops = _covered_tops([p for p in places if p.is_responsibility_area])
    wanted = {p.pk for p in places if not p.is_responsibility_area} | {pid for ids in tops.values() for pid in ids}
    metrics: dict[int, Counter] = defaultdict(Counter)
    for pid, metric, value in PlaceCount.objects.filter(place_id__in=wanted).values_list("place_id", "metric", "value"):
        metrics[pid][metric] = value
    result = {}
    for place in places:
        if place.is_responsibility_area:
            total = Counter()
            for pid in tops[place.pk]:
                total.update(metrics[pid])
            result[place.pk] = Counts.from_metrics(total)
        else:
            result[place.pk] = Counts.from_metrics(metrics[place.pk])
    return result


def children(place: Place, user=None, permission: str | None = None):
    """The place's children in tree order, restricted to what the user may see."""
    from tongxin.core import access

    queryset = Place.objects.filter(parent=place).order_by("path")
    if user is not None and permission:
        queryset = queryset.filter(access.path_filter(user, permission))
    return list(queryset)


def covered_places(area: Place) -> list[Place]:
    """Physical places an area or its sub-areas cover now."""
    return list(Place.objects.filter(pk__in=area.coverage_now().values("place_id")).order_by("path"))
