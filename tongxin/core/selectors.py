"""Reads of the tree with counts, at a fixed number of queries whatever the data size.

Counts for a set of places come from range joins on the materialised paths:
``household.place_path >= place.path AND household.place_path < place.path_end`` is an
index range scan per place, on SQLite and PostgreSQL. A responsibility area's counts are
over the places it and its sub-areas currently cover (``DISTINCT``, since coverage may
overlap). Six statements at most for any set of places: households, residents and tags,
once for physical places and once for areas.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import connection

from tongxin.core.models import GridCoverage, Household, Person, PersonTag, Place
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


def _t(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def _physical_sql(select: str, source: str, path_column: str, group_extra: str = "") -> str:
    return (
        f"SELECT p.id, {select} FROM {_t(Place)} p JOIN {source} "
        f"ON x.{path_column} >= p.path AND x.{path_column} < p.path_end "
        f"WHERE p.id IN ({{ids}}) GROUP BY p.id{group_extra}"
    )


def _area_sql(select: str, source: str, path_column: str, group_extra: str = "") -> str:
    # area g ⊇ sub-areas d (by path) → current coverage c → covered place p → rows x.
    return (
        f"SELECT g.id, {select} FROM {_t(Place)} g "
        f"JOIN {_t(Place)} d ON d.path >= g.path AND d.path < g.path_end "
        f"JOIN {_t(GridCoverage)} c ON c.grid_id = d.id AND c.valid_to IS NULL "
        f"JOIN {_t(Place)} p ON p.id = c.place_id "
        f"JOIN {source} ON x.{path_column} >= p.path AND x.{path_column} < p.path_end "
        f"WHERE g.id IN ({{ids}}) GROUP BY g.id{group_extra}"
    )


def _run(sql_template: str, ids: list[int]) -> list[tuple]:
    if not ids:
        return []
    sql = sql_template.format(ids=", ".join(["%s"] * len(ids)))
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return cursor.fetchall()


def _collect(builder, ids: list[int], result: dict[int, Counts]) -> None:
    households = f"(SELECT id, place_path, tenure FROM {_t(Household)} WHERE closed_on IS NULL) x"
    for pid, total, rented, vacant in _run(
        builder(
            "COUNT(DISTINCT x.id), COUNT(DISTINCT CASE WHEN x.tenure = 'rented' THEN x.id END), "
            "COUNT(DISTINCT CASE WHEN x.tenure = 'vacant' THEN x.id END)",
            households, "place_path",
        ),
        ids,
    ):
        counts = result[pid]
        counts.households, counts.rented, counts.vacant = total, rented, vacant
    people = f"(SELECT id, home_path FROM {_t(Person)} WHERE home_path <> '') x"
    for pid, total in _run(builder("COUNT(DISTINCT x.id)", people, "home_path"), ids):
        result[pid].residents = total
    tagged = (
        f"(SELECT t.person_id AS id, t.tag, r.home_path FROM {_t(PersonTag)} t "
        f"JOIN {_t(Person)} r ON r.id = t.person_id WHERE r.home_path <> '') x"
    )
    for pid, tag, total in _run(builder("x.tag, COUNT(DISTINCT x.id)", tagged, "home_path", ", x.tag"), ids):
        result[pid].tags[tag] = total


def counts_for(places: list[Place]) -> dict[int, Counts]:
    """Counts for each place (any mix of physical places and areas), by place id."""
    result: dict[int, Counts] = defaultdict(Counts)
    physical = [p.pk for p in places if not p.is_responsibility_area]
    areas = [p.pk for p in places if p.is_responsibility_area]
    _collect(_physical_sql, physical, result)
    _collect(_area_sql, areas, result)
    return {place.pk: result[place.pk] for place in places}


def children(place: Place, user=None, permission: str | None = None):
    """The place's children in tree order, restricted to what the user may see."""
    from tongxin.core import access

    queryset = Place.objects.filter(parent=place).order_by("path")
    if user is not None and permission:
        queryset = queryset.filter(access.path_filter(user, permission))
    return list(queryset)


def covered_places(area: Place) -> list[Place]:
    """Physical places an area or its sub-areas cover now."""
    ids = GridCoverage.objects.filter(
        grid__path__gte=area.path, grid__path__lt=area.path_end, valid_to__isnull=True
    ).values("place_id")
    return list(Place.objects.filter(pk__in=ids).order_by("path"))
