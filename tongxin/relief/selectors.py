"""Reads, scoped (``docs/relief.md``): the distributions one may see, the eligible households
(computed in one query), the list by building, stock, and the public list."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, Subquery

from tongxin.core import access
from tongxin.core.models import Household, HouseholdMember, PersonTag, Place, PlaceKind
from tongxin.core.privacy import mask_name
from tongxin.core.tree import ancestor_paths, lineage, path_end
from tongxin.relief import rules
from tongxin.relief.apps import HAND_OVER, MANAGE, VIEW
from tongxin.relief.models import AddedHousehold, Distribution, Entitlement, HandOver

PERMISSIONS = (MANAGE, HAND_OVER, VIEW)


def within_or_above_q(user, permission: str, field: str = "place_path") -> Q:
    """Records at or under the user's places for ``permission``, or above them (a grid worker
    sees the community's distribution, and hands over in their grid only)."""
    granted = access.ranges(user, permission)
    if granted == access.ALL:
        return Q()
    condition = access.ranges_q(granted, field)
    above = {path for start, _end in granted for path in ancestor_paths(start)}
    if above:
        condition |= Q(**{f"{field}__in": sorted(above)})
    return condition


def visible_q(user) -> Q:
    condition = Q(pk__in=[])
    for permission in PERMISSIONS:
        q = within_or_above_q(user, permission)
        if q == Q():
            return Q()
        condition |= q
    return condition


def visible(user):
    return Distribution.objects.filter(visible_q(user)).select_related("place")


def can_see(user, distribution: Distribution) -> bool:
    return Distribution.objects.filter(visible_q(user), pk=distribution.pk).exists()


def can_manage(user, distribution: Distribution) -> bool:
    return access.can_see_path(user, MANAGE, distribution.place_path)


def can_hand_over(user, entitlement: Entitlement) -> bool:
    return access.can_see_path(user, HAND_OVER, entitlement.place_path)


def manageable_places(user):
    return Place.objects.filter(access.path_filter(user, MANAGE)).filter(
        kind__in=(PlaceKind.COMMUNITY, PlaceKind.VILLAGE, PlaceKind.COMPOUND, PlaceKind.STREET)).order_by("path")


def eligible_households(distribution: Distribution):
    """The households the rule makes eligible, in ONE query: open households under the
    distribution's place with a current member living there who carries one of the rule's
    tags (EXISTS), or added by hand."""
    tagged = PersonTag.objects.filter(
        tag__in=distribution.rule_tags, person__memberships__household=OuterRef("pk"),
        person__memberships__valid_to__isnull=True, person__memberships__lives_here=True,
    )
    added = AddedHousehold.objects.filter(distribution=distribution, household=OuterRef("pk"))
    return (Household.objects.filter(place_path__gte=distribution.place_path,
                                     place_path__lt=path_end(distribution.place_path), closed_on__isnull=True)
            .filter(Exists(tagged) | Exists(added))
            .annotate(by_hand=Exists(added)).order_by("place_path", "unit_number", "id"))


def buildings_under(place_path: str) -> dict[str, int]:
    """path → pk of the buildings under a place (the list's groups), one query."""
    return dict(Place.objects.filter(path__gte=place_path, path__lt=path_end(place_path),
                                     kind=PlaceKind.BUILDING).values_list("path", "pk"))


def building_of(household_path: str, household_place_id: int, buildings: dict[str, int]) -> int:
    for path in reversed(lineage(household_path)):
        if path in buildings:
            return buildings[path]
    return household_place_id


def _head_name():
    return Subquery(HouseholdMember.objects.filter(
        household=OuterRef("household"), valid_to__isnull=True, is_head=True,
    ).order_by("id").values("person__name")[:1])


def entitlements(user, distribution: Distribution):
    """The list a user works from: the entitlements in their places (all of them for a manager
    or a viewer of the distribution's place), with the household, building, head and hand-over
    (one query whatever the size)."""
    scope = Q(pk__in=[])
    for permission in PERMISSIONS:
        scope |= access.path_filter(user, permission, "place_path")
    return (Entitlement.objects.filter(scope, distribution=distribution)
            .select_related("household", "building", "hand_over", "hand_over__handed_by")
            .annotate(head_name=_head_name()).order_by("building__path", "household__unit_number", "id"))


@dataclass
class Building:
    place: Place
    rows: list = field(default_factory=list)

    @property
    def served(self) -> int:
        return sum(1 for row in self.rows if getattr(row, "served", False))


def by_building(rows) -> list[Building]:
    groups: dict[int, Building] = {}
    for row in rows:
        row.served = _served(row)
        groups.setdefault(row.building_id, Building(row.building)).rows.append(row)
    return list(groups.values())


def _served(row) -> bool:
    try:
        return row.hand_over is not None
    except HandOver.DoesNotExist:
        return False


def public_list(distribution: Distribution) -> list[Building]:
    """The published list: per building, the households served, each as unit number and
    masked head name only (never the category that made it eligible). One query."""
    rows = (Entitlement.objects.filter(distribution=distribution, hand_over__isnull=False)
            .select_related("household", "building").annotate(head_name=_head_name())
            .order_by("building__path", "household__unit_number", "id"))
    groups: dict[int, Building] = {}
    for row in rows:
        row.served, row.masked_head = True, mask_name(row.head_name or "")
        row.head_name = None  # the page gets the masked name only
        groups.setdefault(row.building_id, Building(row.building)).rows.append(row)
    return list(groups.values())


def counts(distribution: Distribution) -> tuple[int, int]:
    """(households on the list, households served)."""
    listed = Entitlement.objects.filter(distribution=distribution)
    return listed.count(), listed.filter(hand_over__isnull=False).count()


def rules_tags_label(distribution: Distribution) -> list:
    from tongxin.core.tags import TAG_BY_CODE

    return [TAG_BY_CODE[tag].label for tag in distribution.rule_tags if tag in TAG_BY_CODE and tag in rules.RULE_TAGS]
