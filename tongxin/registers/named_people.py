"""Coverage of the named people (seed 003: every building has 1名楼长、1名党员、1名志愿者、
1名警务长、1名家庭医生; 一村一辅警; every grid a grid worker).

For any place: the buildings under it missing one of their five named people, the
villages missing their police officer, the grids missing a grid worker. Three statements
for the places and one for the current assignments, whatever the size.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import Place, PlaceKind, RoleAssignment
from tongxin.core.roles import ROLE_BY_CODE

BUILDING_ROLES = ("building_chief", "building_party_member", "building_volunteer", "police_liaison", "family_doctor")


@dataclass
class Gap:
    place: Place
    missing: list[str]  # role codes

    @property
    def missing_labels(self) -> list[str]:
        return [str(ROLE_BY_CODE[code].label) for code in self.missing]


@dataclass
class Gaps:
    buildings: list[Gap]
    villages: list[Gap]
    grids: list[Gap]
    buildings_total: int
    villages_total: int
    grids_total: int


def _held(places: list[Place], roles: tuple[str, ...]) -> set[tuple[int, str]]:
    today = timezone.localdate()
    rows = RoleAssignment.objects.filter(place__in=places, role__in=roles, valid_from__lte=today).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=today)
    )
    return set(rows.values_list("place_id", "role"))


def _gaps(places: list[Place], roles: tuple[str, ...]) -> list[Gap]:
    held = _held(places, roles)
    gaps = [Gap(place, [role for role in roles if (place.pk, role) not in held]) for place in places]
    return [gap for gap in gaps if gap.missing]


def gaps_under(place: Place) -> Gaps:
    subtree = place.subtree().filter(retired_on__isnull=True).order_by("path")
    buildings = list(subtree.filter(kind=PlaceKind.BUILDING))
    villages = list(subtree.filter(kind=PlaceKind.VILLAGE))
    grids = list(subtree.filter(kind=PlaceKind.GRID))
    return Gaps(
        buildings=_gaps(buildings, BUILDING_ROLES),
        villages=_gaps(villages, ("police_liaison",)),
        grids=_gaps(grids, ("grid_worker",)),
        buildings_total=len(buildings),
        villages_total=len(villages),
        grids_total=len(grids),
    )
