"""Reads for the workbench that are more than a filter: who a demand can be dispatched to.

**Handler candidates.** A demand at a place can go to anyone with a login who holds a role
in force (``core.access.current_assignments``):

- at the place or above it (the community's staff, the street's departments);
- at a grid or grid point covering the place or a place above it (its grid workers);
- anywhere in the place's compound, villager group or village (building chiefs,
  party-member households, volunteers, police liaison, family doctors of the neighbourhood);
- for a grid (bulk dispatch from a grid worker's whole queue): anywhere in the places it covers;
- in an organisation that manages or serves the place or a place above it (the property
  company's staff, a work unit's party branch that serves the community).

A dispatch to anyone else is refused (``services.act``), so a typo cannot send a resident's
report to a stranger. Four queries (five for a grid), whatever the size of the tree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q

from tongxin.core import access
from tongxin.core.models import GridCoverage, OrganisationPlace, Place, User
from tongxin.core.roles import ROLE_BY_CODE, ROLES
from tongxin.core.tree import ancestor_paths, lineage
from tongxin.demands import rules
from tongxin.demands.apps import DISPATCH, SUPERVISE
from tongxin.demands.models import QrCode

#: Kinds whose whole subtree is one neighbourhood for dispatching.
NEIGHBOURHOOD_KINDS = ("compound", "villager_group", "village", "courtyard")
_ROLE_ORDER = {role.code: i for i, role in enumerate(ROLES)}


@dataclass
class Candidate:
    user: User
    roles: list[str] = field(default_factory=list)  # role labels with where they are held

    @property
    def label(self) -> str:
        return f"{self.user.name}（{'、'.join(self.roles)}）"


def _neighbourhood(place: Place, above: list[Place]) -> Place:
    for candidate in reversed([*above, place]):
        if candidate.kind in NEIGHBOURHOOD_KINDS:
            return candidate
    return place


def covering(paths: list[str]):
    """The current coverage of places at these paths by grids (areas, grid points)."""
    return GridCoverage.objects.filter(place__path__in=paths, valid_to__isnull=True)


def handler_candidates(place: Place) -> list[Candidate]:
    """Everyone a demand at ``place`` may be dispatched to, nearest roles first."""
    above = list(Place.objects.filter(path__in=ancestor_paths(place.path)).order_by("path"))
    paths = lineage(place.path)
    # The neighbourhood; a grid's is itself and the places it covers (``access.place_ranges``).
    inside = access.ranges_q(access.place_ranges(_neighbourhood(place, above)), "place__path")
    organisations = OrganisationPlace.objects.filter(place__path__in=paths, valid_to__isnull=True).values(
        "organisation"
    )
    rows = list(
        access.current_assignments()
        .filter(
            Q(place__path__in=paths) | inside | Q(place__in=covering(paths).values("grid"))
            | Q(organisation__in=organisations)
        )
        .exclude(role="administrator")
        .values_list("person_id", "role", "place__name", "organisation__name", "place__path")
    )
    users = {
        u.person_id: u for u in User.objects.filter(person_id__in={r[0] for r in rows}, is_active=True)
    }
    found: dict[int, Candidate] = {}
    # Nearest first: deeper places and closer roles sort ahead of the street's.
    rows.sort(key=lambda r: (-len(r[4] or ""), _ROLE_ORDER.get(r[1], 99)))
    for person_id, role, place_name, organisation_name, _path in rows:
        user = users.get(person_id)
        if user is None:
            continue
        entry = found.setdefault(user.pk, Candidate(user))
        entry.roles.append(f"{place_name or organisation_name}{ROLE_BY_CODE[role].label}")
    return list(found.values())


def places_q(user) -> Q:
    """Demands at the places the user dispatches for or supervises."""
    return access.path_filter(user, DISPATCH, "place_path") | access.path_filter(user, SUPERVISE, "place_path")


def visible_q(user) -> Q:
    """Every demand a staff user may see: their places', and those dispatched to them."""
    return places_q(user) | Q(handler=user)


def is_candidate(place: Place, user: User) -> bool:
    return any(c.user.pk == user.pk for c in handler_candidates(place))


def canned_replies(category, place: Place) -> list:
    """Ready answers for a demand: its category's first, then those for every category; those of
    the place's community (or any place above it) beside the ones meant for everywhere."""
    from tongxin.demands.models import CannedReply

    paths = lineage(place.path)
    replies = CannedReply.objects.filter(active=True).filter(Q(category=category) | Q(category__isnull=True)).filter(
        Q(place__isnull=True) | Q(place__path__in=paths)
    )
    return sorted(replies, key=lambda r: (r.category_id is None, r.order, r.pk))


def current_handlers(user) -> list[User]:
    """People holding open demands at the user's places: who a hand-over can start from."""
    from tongxin.demands.models import Demand

    held = Demand.objects.filter(places_q(user), state__in=rules.OPEN_STATES, handler__isnull=False)
    return list(User.objects.filter(pk__in=held.values("handler")).order_by("name", "pk"))


def context_place(user, code: str = "") -> Place | None:
    """The place a workbench page works at: the one filtered on if the user may dispatch there,
    else the user's own highest place."""
    if code:
        place = Place.objects.filter(code=code).first()
        return place if place and access.can_see_path(user, DISPATCH, place.path) else None
    return access.root_places(user, DISPATCH).order_by("path").first()


#: The levels a demand climbs when it is overdue or a handler asks (grid → community → street → district;
#: villager group → village → town → district).
LEVEL_KINDS = ("community", "village", "street", "town", "district")


def unit_of(place: Place) -> Place:
    """The grid a place belongs to (the deepest area covering it or a place above it), else its
    community or village, else the place itself: where a demand is counted and first handled."""
    paths = lineage(place.path)
    deepest = covering(paths).select_related("grid").order_by("-grid__path").first()
    if deepest is not None:
        return deepest.grid
    above = Place.objects.filter(path__in=paths, kind__in=("community", "village")).order_by("-path").first()
    return above or place


def next_level(level: Place) -> Place | None:
    """The level above: the nearest community, village, street, town or district over ``level``."""
    return Place.objects.filter(path__in=ancestor_paths(level.path), kind__in=LEVEL_KINDS).order_by("-path").first()


def late_response_q(now) -> Q:
    """Not taken up in time: never responded, or waiting at the level it was escalated to."""
    running = rules.OPEN_STATES - rules.PAUSED
    return Q(respond_by__lt=now) & (Q(state__in=running, responded_at__isnull=True) | Q(state="escalated"))


def late_resolution_q(now) -> Q:
    """Not resolved in time (a result given and being checked is not late)."""
    return Q(state__in=rules.OPEN_STATES - rules.PAUSED - rules.ANSWERED, resolve_by__lt=now)


def is_overdue_q(now) -> Q:
    """Open demands past a deadline (a suspended or referred demand waits for someone else)."""
    return late_response_q(now) | late_resolution_q(now)


def door(token: str) -> QrCode | None:
    """The QR code ``token`` and its place, or None. Each scan of a door the cache has not
    seen runs this, and scans spread over every door of a city, so it is one plain SQL
    statement: composing it through the ORM cost three times as much, about a third of a
    whole report (``bench/bench_demands.py``)."""
    found = list(Place.objects.raw(
        f"SELECT p.*, q.id AS qr_id FROM {Place._meta.db_table} p "
        f"JOIN {QrCode._meta.db_table} q ON q.place_id = p.id WHERE q.token = %s",
        [token],
    ))
    if not found:
        return None
    place = found[0]
    return QrCode(pk=place.qr_id, token=token, place=place)  # all a scan reads of it
