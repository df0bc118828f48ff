"""Register upkeep by staff: each write checks scope, acts once, and calls the core services.

The permission is ``core.manage_register`` on the record's place (community staff and
grid workers in their own places). Every function runs in one transaction that also
claims the form's one-time key, so a double-clicked submit acts exactly once.
"""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tongxin.core import access, once
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, HouseholdMember, Person, Place
from tongxin.core.roles import MANAGE_REGISTER
from tongxin.core.services import people
from tongxin.core.services import places as place_services
from tongxin.core.tags import TAG_BY_CODE


def can_manage(user, path: str) -> bool:
    return access.can_see_path(user, MANAGE_REGISTER, path)


def can_redraw(user, area: Place) -> bool:
    """The staff of the community an area sits in redraw what it covers."""
    return area.is_responsibility_area and area.parent_id is not None and can_manage(user, area.parent.path)


def _require(user, path: str) -> None:
    if not can_manage(user, path):
        raise PermissionDenied("not allowed to change this register")


@transaction.atomic
def add_household(user, place: Place, *, key: str, unit_number: str, floor_area, tenure: str) -> Household:
    _require(user, place.path)
    once.claim(key, user)
    return people.create_household(place=place, unit_number=unit_number, floor_area=floor_area, tenure=tenure)


@transaction.atomic
def add_member(user, household: Household, *, key: str, relation: str, lives_here: bool, **details) -> Person:
    """Register a person and link them to the household (and their groups)."""
    _require(user, household.place_path)
    once.claim(key, user)
    tags = details.pop("tags", ())
    consent = details.pop("consent", None)
    person = people.create_person(**details)
    people.join_household(person, household, relation=relation, lives_here=lives_here)
    for tag in tags:
        people.add_tag(person, tag, consent=consent, by=user)
    return person


@transaction.atomic
def move(user, household: Household, to_place: Place, *, key: str, reason: str = "") -> Household:
    _require(user, household.place_path)
    if not can_manage(user, to_place.path):
        raise RefusedError(
            "move_outside_scope",
            f"您不能把住户迁到“{to_place.name}”：那里不在您负责的范围内。",
            f"You cannot move a household to {to_place.name}: it is outside the places you look after.",
        )
    once.claim(key, user)
    return people.move_household(household, to_place, by=user, reason=reason)


@transaction.atomic
def set_tags(user, person: Person, *, key: str, tags: set[str], consent=None) -> None:
    """Set a person's groups; a dropped consent-based group counts as consent withdrawn."""
    _require(user, person.home_path)
    once.claim(key, user)
    current = set(person.tags.values_list("tag", flat=True))
    for tag in sorted(tags - current):
        people.add_tag(person, tag, consent=consent, by=user)
    for tag in sorted(current - tags):
        if TAG_BY_CODE[tag].needs_consent:
            people.withdraw_consent(person, tag)
        else:
            people.remove_tag(person, tag)


@transaction.atomic
def end_membership(user, member: HouseholdMember) -> None:
    """A member moved out or sold (history kept: the row is closed, not deleted)."""
    _require(user, member.household.place_path)
    if member.lives_here:
        people.leave_household(member.person, member.household)
    else:
        HouseholdMember.objects.filter(pk=member.pk, valid_to__isnull=True).update(valid_to=timezone.localdate())


COVERABLE_KINDS = ("compound", "building", "villager_group", "courtyard")


def coverable_places(area: Place):
    """Places an area could cover: the physical places of its community (or village)."""
    home = area.ancestors().exclude(kind__in=("area", "grid", "grid_point")).last()
    if home is None:
        return Place.objects.none()
    return home.subtree().filter(kind__in=COVERABLE_KINDS).order_by("path")


@transaction.atomic
def redraw_area(user, area: Place, places: list[Place], *, key: str, on) -> None:
    """Change what an area covers from ``on``; the old coverage is closed, not deleted."""
    if not can_redraw(user, area):
        raise PermissionDenied("only staff of the community redraw its grids")
    allowed = set(coverable_places(area).values_list("pk", flat=True))
    if any(place.pk not in allowed for place in places):
        raise RefusedError(
            "cover_outside", "只能覆盖本社区（村）的地点", "A grid covers places of its own community only"
        )
    once.claim(key, user)
    place_services.redraw(area, places, on=on)
