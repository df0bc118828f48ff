"""Reads, scoped (``docs/rosters.md``).

Who sees a roster or route: a holder of ``rosters.take_part`` at its place, below it or
above it (a grid worker of building 1 stands the community's duty office and walks the
compound's patrol), or of ``rosters.manage`` at or above it. A roster of building 2 is not
seen from building 1: a sibling is neither above nor below.

:func:`on_duty` is for other apps (alarms: whom to call at a place now); it is not scoped, the
caller decides who may ask.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Place, PlaceKind
from tongxin.core.tree import ancestor_paths, lineage, path_end
from tongxin.rosters import rules
from tongxin.rosters.apps import MANAGE, TAKE_PART
from tongxin.rosters.models import CheckIn, Checkpoint, Roster, Round, Route, Shift, ShiftAssignment


def on_duty(place: Place, at: datetime.datetime) -> list:
    """The users holding a shift at ``place`` or at a place above it (the community's duty office
    covers its compounds) at the moment ``at``. One query. For the alarms app: whom to call."""
    return list(get_user_model().objects.filter(
        pk__in=ShiftAssignment.objects.filter(shift__place_path__in=lineage(place.path), shift__starts_at__lte=at,
                                              shift__ends_at__gt=at).values("user_id"),
        is_active=True,
    ).order_by("pk"))


def _within_or_above_q(user, permission: str, field: str = "place_path") -> Q:
    granted = access.ranges(user, permission)
    if granted == access.ALL:
        return Q()
    condition = access.ranges_q(granted, field)
    above = {path for start, _end in granted for path in ancestor_paths(start)}
    if above:
        condition |= Q(**{f"{field}__in": sorted(above)})
    return condition


def visible_q(user) -> Q:
    """Rosters and routes ``user`` takes part in or manages: at, below or above their places."""
    take, manage = access.ranges(user, TAKE_PART), access.ranges(user, MANAGE)
    if access.ALL in (take, manage):
        return Q()
    return _within_or_above_q(user, TAKE_PART) | access.path_filter(user, MANAGE, "place_path")


def rosters(user):
    return Roster.objects.filter(visible_q(user)).select_related("place")


def routes(user):
    return Route.objects.filter(visible_q(user)).select_related("place")


def can_take_part(user, roster: Roster) -> bool:
    return Roster.objects.filter(_within_or_above_q(user, TAKE_PART), pk=roster.pk).exists()


def can_see(user, thing) -> bool:
    return type(thing).objects.filter(visible_q(user), pk=thing.pk).exists()


def can_walk(user, route: Route) -> bool:
    return Route.objects.filter(_within_or_above_q(user, TAKE_PART), pk=route.pk).exists()


def can_manage(user, thing) -> bool:
    return access.can_see_path(user, MANAGE, thing.place_path)


def manageable_places(user):
    return Place.objects.filter(access.path_filter(user, MANAGE)).exclude(
        kind__in=(PlaceKind.ENTRANCE, PlaceKind.GRID)).order_by("path")


@dataclass
class ShiftRow:
    shift: Shift
    holders: list = field(default_factory=list)  # ShiftAssignment, user loaded

    @property
    def free(self) -> int:
        return self.shift.needed - len(self.holders)


def week_shifts(roster: Roster, monday: datetime.date) -> list[ShiftRow]:
    """The roster's shifts starting in the week from ``monday``, with their holders: two queries."""
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(monday, datetime.time(), tzinfo=zone)
    shifts = list(roster.shifts.filter(starts_at__gte=start, starts_at__lt=start + datetime.timedelta(days=7)))
    rows = {s.pk: ShiftRow(s) for s in shifts}
    for held in ShiftAssignment.objects.filter(shift__in=shifts).select_related("user").order_by("seat"):
        rows[held.shift_id].holders.append(held)
    return list(rows.values())


def my_shifts(user, *, limit: int = 50):
    return (ShiftAssignment.objects.filter(user=user, shift__ends_at__gt=timezone.now())
            .select_related("shift__roster__place").order_by("shift__starts_at")[:limit])


def open_round(user, route: Route) -> Round | None:
    return Round.objects.filter(route=route, walker=user, started_at__isnull=False,
                                finished_at__isnull=True).first()


def my_rounds(user, *, limit: int = 20):
    return (Round.objects.filter(walker=user).select_related("route__place")
            .order_by("finished_at", "-started_at")[:limit])


def round_view(patrol: Round) -> list[tuple[Checkpoint, CheckIn | None]]:
    """Each checkpoint of the round's route with its check-in (or None, missed so far): two queries."""
    done = {c.checkpoint_id: c for c in CheckIn.objects.filter(round=patrol)}
    return [(point, done.get(point.pk)) for point in patrol.route.checkpoints.all()]


@dataclass
class Coverage:
    route: Route
    checkpoints: int
    planned: int
    done: int
    missed: int
    missed_points: list = field(default_factory=list)  # (checkpoint name, times missed)


def coverage(user, place: Place, monday: datetime.date) -> list[Coverage]:
    """Per route under ``place`` that ``user`` manages, the week from ``monday``: rounds planned,
    rounds done (finished), and checkpoints missed on the done rounds, with which ones. Four
    queries whatever the number of routes, rounds or check-ins."""
    end = monday + datetime.timedelta(days=7)
    found = list(Route.objects.filter(access.path_filter(user, MANAGE, "place_path"), place_path__gte=place.path,
                                      place_path__lt=path_end(place.path)).order_by("place_path", "name"))
    points = list(Checkpoint.objects.filter(route__in=found).order_by("route", "order"))
    week = Round.objects.filter(route__in=found, planned_for__gte=monday, planned_for__lt=end)
    counts = {row["route"]: row for row in week.values("route").annotate(
        planned=Count("id", filter=Q(planned=True)), done=Count("id", filter=Q(finished_at__isnull=False)))}
    hits = dict(CheckIn.objects.filter(round__in=week.filter(finished_at__isnull=False))
                .values("checkpoint").annotate(n=Count("id")).values_list("checkpoint", "n"))
    rows = []
    for route in found:
        mine = [p for p in points if p.route_id == route.pk]
        row = counts.get(route.pk, {"planned": 0, "done": 0})
        skipped = [(p.name, row["done"] - hits.get(p.pk, 0)) for p in mine if row["done"] - hits.get(p.pk, 0) > 0]
        rows.append(Coverage(route, len(mine), row["planned"], row["done"],
                             rules.missed(len(mine), row["done"], sum(hits.get(p.pk, 0) for p in mine)), skipped))
    return rows
