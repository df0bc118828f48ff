"""Scoped access: which places a user may act on, for a permission. Default deny.

A user's person holds role assignments. An assignment at a physical place grants its
subtree; at a responsibility area (area/grid/grid point) it grants the area's own
subtree plus every physical place the area or its sub-areas currently cover; at an
organisation it grants the places the organisation manages or serves. Grants become
path ranges (``core.tree``), and every selector filters through :func:`path_filter`.
The administrator role, and Django superusers, see everything.

Results are cached on the user object for the request.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.utils import timezone

from tongxin.core.registry import role_permissions
from tongxin.core.tree import merge_ranges

ALL = "all"


def _today() -> datetime.date:
    return timezone.localdate()


def active_assignments(person, on: datetime.date | None = None):
    from tongxin.core.models import RoleAssignment

    on = on or _today()
    return (
        RoleAssignment.objects.filter(person=person, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .select_related("place", "organisation")
    )


def permissions_of_role(role: str) -> set[str]:
    return role_permissions().get(role, set())


def _place_ranges(place) -> list[tuple[str, str]]:
    from tongxin.core.models import GridCoverage

    ranges = [(place.path, place.path_end)]
    if place.is_responsibility_area:
        covered = GridCoverage.objects.filter(
            grid__path__gte=place.path, grid__path__lt=place.path_end, valid_to__isnull=True
        ).values_list("place__path", "place__path_end")
        ranges.extend(covered)
    return ranges


def _organisation_ranges(organisation) -> list[tuple[str, str]]:
    from tongxin.core.models import OrganisationPlace

    links = OrganisationPlace.objects.filter(organisation=organisation, valid_to__isnull=True)
    return [(p, e) for p, e in links.values_list("place__path", "place__path_end")]


def _grants(user) -> dict[str, object]:
    """Permission -> ALL or a merged list of path ranges (computed once per user object)."""
    cached = getattr(user, "_tongxin_grants", None)
    if cached is not None:
        return cached
    grants: dict[str, object] = {}
    if user.is_authenticated:
        if user.is_superuser:
            grants = {perm: ALL for perms in role_permissions().values() for perm in perms}
        elif user.person_id:
            collected: dict[str, list[tuple[str, str]]] = {}
            for assignment in active_assignments(user.person_id):
                perms = permissions_of_role(assignment.role)
                if assignment.role == "administrator":
                    for perm in perms:
                        grants[perm] = ALL
                    continue
                if assignment.place_id:
                    ranges = _place_ranges(assignment.place)
                elif assignment.organisation_id:
                    ranges = _organisation_ranges(assignment.organisation)
                else:
                    ranges = []
                for perm in perms:
                    collected.setdefault(perm, []).extend(ranges)
            for perm, ranges in collected.items():
                if grants.get(perm) != ALL:
                    grants[perm] = merge_ranges(ranges)
    user._tongxin_grants = grants
    return grants


def has_permission(user, permission: str) -> bool:
    """True if the user holds ``permission`` anywhere."""
    return bool(_grants(user).get(permission))


def ranges(user, permission: str):
    return _grants(user).get(permission) or []


def path_filter(user, permission: str, field: str = "path") -> Q:
    """A Q restricting ``field`` (a materialised path) to what the user may see."""
    granted = ranges(user, permission)
    if granted == ALL:
        return Q()
    condition = Q(pk__in=[])
    for start, end in granted:
        condition |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return condition


def can_see_path(user, permission: str, path: str) -> bool:
    granted = ranges(user, permission)
    if granted == ALL:
        return True
    return bool(path) and any(start <= path < end for start, end in granted)


def root_places(user, permission: str):
    """The highest places a user may browse: the starting points of the tree browser."""
    from tongxin.core.models import Place

    granted = ranges(user, permission)
    if granted == ALL:
        return Place.objects.filter(parent__isnull=True)
    return Place.objects.filter(path__in=[start for start, _end in granted])
