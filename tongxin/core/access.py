"""Scoped access: which places a user may act on, for a permission. Default deny.

A user's person holds role assignments. An assignment at a physical place grants its
subtree; at a responsibility area (area/grid/grid point) it grants the area's own
subtree plus every physical place the area or its sub-areas currently cover; at an
organisation it grants the places the organisation manages or serves, and the
organisation's own current members wherever they live (a work unit's branch sees its
members). Mechanisms add relationship grants through their manifest's ``person_grants``
(a helper sees the care subjects paired with them). Place grants become path ranges
(``core.tree``), and every selector filters through :func:`path_filter`; reads of people
go through :func:`person_filter`, which adds the member and relationship grants.
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


def current_assignments(on: datetime.date | None = None):
    """Every role assignment in force on ``on`` (today): dates are half-open."""
    from tongxin.core.models import RoleAssignment

    on = on or _today()
    return RoleAssignment.objects.filter(valid_from__lte=on).filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))


def active_assignments(person, on: datetime.date | None = None):
    return current_assignments(on).filter(person=person).select_related("place", "organisation")


def holders(place, permission: str) -> list:
    """Active users whose roles grant ``permission`` over ``place``: at it or above, or at a
    grid, area or grid point covering it (whom to tell about something there)."""
    from tongxin.core.models import GridCoverage, User
    from tongxin.core.tree import lineage

    roles = [role for role, perms in role_permissions().items() if permission in perms]
    above = lineage(place.path)
    covering = GridCoverage.objects.filter(place__path__in=above, valid_to__isnull=True).values("grid")
    assignments = current_assignments().filter(role__in=roles).filter(
        Q(place__path__in=above) | Q(place__in=covering)
    )
    return list(User.objects.filter(person__roles__in=assignments, is_active=True).distinct())


def permissions_of_role(role: str) -> set[str]:
    return role_permissions().get(role, set())


def place_ranges(place) -> list[tuple[str, str]]:
    """A place's subtree, and for a responsibility area (grid) the places it covers now."""
    ranges = [(place.path, place.path_end)]
    if place.is_responsibility_area:
        ranges.extend(place.coverage_now().values_list("place__path", "place__path_end"))
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
    member_orgs: dict[str, set[int]] = {}
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
                    ranges = place_ranges(assignment.place)
                elif assignment.organisation_id:
                    ranges = _organisation_ranges(assignment.organisation)
                    for perm in perms:
                        member_orgs.setdefault(perm, set()).add(assignment.organisation_id)
                else:
                    ranges = []
                for perm in perms:
                    collected.setdefault(perm, []).extend(ranges)
            for perm, ranges in collected.items():
                if grants.get(perm) != ALL:
                    grants[perm] = merge_ranges(ranges)
    user._tongxin_grants = grants
    user._tongxin_member_orgs = member_orgs
    return grants


def has_permission(user, permission: str) -> bool:
    """True if the user holds ``permission`` anywhere (at places or over members)."""
    return bool(_grants(user).get(permission)) or bool(_member_orgs(user, permission))


def ranges(user, permission: str):
    return _grants(user).get(permission) or []


def ranges_q(found: list[tuple[str, str]], field: str = "path") -> Q:
    """A Q keeping ``field`` (a materialised path) within any of the ranges; none: nothing."""
    condition = Q(pk__in=[])
    for start, end in found:
        condition |= Q(**{f"{field}__gte": start, f"{field}__lt": end})
    return condition


def path_filter(user, permission: str, field: str = "path") -> Q:
    """A Q restricting ``field`` (a materialised path) to what the user may see."""
    granted = ranges(user, permission)
    return Q() if granted == ALL else ranges_q(granted, field)


def within_or_above_q(user, permission: str, field: str = "path") -> Q:
    """A Q restricting ``field`` to places inside the user's ranges for ``permission`` or above
    them: what concerns the whole community (its hall, a typhoon warning for it) reaches a grid
    worker of one building."""
    granted = ranges(user, permission)
    if granted == ALL:
        return Q()
    from tongxin.core.tree import ancestor_paths

    above = sorted({path for start, _end in granted for path in ancestor_paths(start)})
    q = ranges_q(granted, field)
    return q | Q(**{f"{field}__in": above}) if above else q


def _member_orgs(user, permission: str) -> set[int]:
    _grants(user)
    return getattr(user, "_tongxin_member_orgs", {}).get(permission, set())


def _members_of(org_ids: set[int]):
    from tongxin.core.models import OrganisationMember

    on = _today()
    return (
        OrganisationMember.objects.filter(organisation_id__in=org_ids, valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .values("person_id")
    )


def _related_people(user, permission: str) -> list:
    """Relationship grants: what each mechanism's ``person_grants(user, permission)`` returns
    (a queryset of person ids, or None), e.g. a helper's paired care subjects."""
    from tongxin.core.registry import person_grants

    if not user.is_authenticated:
        return []
    return [people for grant in person_grants() if (people := grant(user, permission)) is not None]


def person_filter(user, permission: str, path_field: str = "home_path", person_field: str = "pk") -> Q:
    """People the user may see: living in their places, members of their organisations,
    or related to them by a mechanism (a pairing, an assignment)."""
    condition = path_filter(user, permission, path_field)
    if ranges(user, permission) == ALL:
        return condition
    orgs = _member_orgs(user, permission)
    if orgs:
        condition |= Q(**{f"{person_field}__in": _members_of(orgs)})
    for people in _related_people(user, permission):
        condition |= Q(**{f"{person_field}__in": people})
    return condition


def can_see_person(user, permission: str, person) -> bool:
    from tongxin.core.models import Person

    if can_see_path(user, permission, person.home_path):
        return True
    orgs = _member_orgs(user, permission)
    if orgs and _members_of(orgs).filter(person_id=person.pk).exists():
        return True
    related = _related_people(user, permission)
    return any(Person.objects.filter(pk=person.pk, pk__in=people).exists() for people in related)


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
