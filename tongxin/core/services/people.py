"""Writes to households, people, memberships and tags.

These keep the denormalised columns in step: ``Household.place_path`` follows the
household's place, ``Person.household``/``home_path`` follow the person's current
lives-here membership.
"""

import datetime
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.core import counts
from tongxin.core.errors import RefusedError
from tongxin.core.models import (
    Household,
    HouseholdMember,
    HouseholdMove,
    Person,
    PersonTag,
    Place,
    Tenure,
)
from tongxin.core.privacy import id_number_hash, set_id_number
from tongxin.core.tags import TAG_BY_CODE


def _fresh(place: Place) -> Place:
    """The place as stored now: a caller's copy may predate a move of its subtree."""
    return Place.objects.get(pk=place.pk)


def _require_household_place(place: Place) -> None:
    if not place.holds_households:
        raise RefusedError(
            "place_holds_no_households",
            f"“{place.name}”下不能直接登记住户，请选择单元、楼栋、村民小组或院落。",
            f"Households cannot be registered directly under {place.name}; choose an entrance, building, "
            "villager group or courtyard.",
        )


def create_household(
    *, place: Place, unit_number: str, floor_area: Decimal | None = None, tenure: str = Tenure.OWNER_OCCUPIED
) -> Household:
    place = _fresh(place)
    _require_household_place(place)
    unit_number = unit_number.strip()
    if not unit_number:
        raise RefusedError("unit_number_missing", "请填写门牌号", "Please give the unit number")
    try:
        with transaction.atomic():
            household = Household.objects.create(
                place=place, place_path=place.path, unit_number=unit_number, floor_area=floor_area, tenure=tenure
            )
            counts.bump(place.path, counts.household_metrics(tenure))
            return household
    except IntegrityError:
        raise RefusedError(
            "household_exists",
            f"{place.name} {unit_number} 已登记",
            f"{place.name} {unit_number} is already registered",
        ) from None


@transaction.atomic
def move_household(household: Household, to_place: Place, *, by=None, reason: str = "") -> Household:
    """Move a household to another place; the move is kept as history."""
    to_place = _fresh(to_place)
    _require_household_place(to_place)
    household = Household.objects.select_for_update().get(pk=household.pk)
    if household.place_id == to_place.pk:
        return household
    HouseholdMove.objects.create(
        household=household, from_place_id=household.place_id, to_place=to_place, moved_by=by, reason=reason
    )
    if Household.objects.filter(place=to_place, unit_number=household.unit_number, closed_on__isnull=True).exists():
        raise RefusedError(
            "household_exists",
            f"{to_place.name} 已有门牌 {household.unit_number}，请先更正门牌号",
            f"{to_place.name} already has unit {household.unit_number}; correct the unit number first",
        )
    carried = counts.household_with_residents(household)
    counts.bump(household.place_path, counts.scaled(carried, -1))
    household.place = to_place
    household.place_path = to_place.path
    household.save(update_fields=["place", "place_path"])
    Person.objects.filter(household=household).update(home_path=to_place.path)
    counts.bump(to_place.path, carried)
    return household


def create_person(
    *, name: str, phone: str = "", id_number: str = "", birth_date: datetime.date | None = None, gender: str = "",
    tags: tuple[str, ...] = (),
) -> Person:
    name = name.strip()
    if not name:
        raise RefusedError("name_missing", "请填写姓名", "Please give the name")
    person = Person(name=name, phone=phone.strip(), birth_date=birth_date, gender=gender)
    if id_number:
        if Person.objects.filter(id_number_hash=id_number_hash(id_number)).exists():
            raise RefusedError("id_number_taken", "该身份证号已登记", "This ID number is already registered")
        set_id_number(person, id_number)
    with transaction.atomic():
        person.save()
        for tag in tags:
            add_tag(person, tag)
    return person


@transaction.atomic
def add_tag(person: Person, tag: str) -> None:
    if tag not in TAG_BY_CODE:
        raise RefusedError("tag_unknown", f"未知标签 {tag}", f"Unknown tag {tag}")
    _tag, created = PersonTag.objects.get_or_create(person=person, tag=tag)
    if created:
        counts.bump(_home_path(person), counts.Counter({counts.tag_metric(tag): 1}))


@transaction.atomic
def remove_tag(person: Person, tag: str) -> None:
    deleted, _ = PersonTag.objects.filter(person=person, tag=tag).delete()
    if deleted:
        counts.bump(_home_path(person), counts.Counter({counts.tag_metric(tag): -1}))


def _home_path(person: Person) -> str:
    return Person.objects.filter(pk=person.pk).values_list("home_path", flat=True).get()


def _person_metrics(person: Person):
    return counts.person_metrics(person.tags.values_list("tag", flat=True))


@transaction.atomic
def join_household(
    person: Person, household: Household, *, relation: str, lives_here: bool = True, is_head: bool = False,
    on: datetime.date | None = None,
) -> HouseholdMember:
    """Record that ``person`` belongs to ``household``; moving in ends their previous home."""
    on = on or timezone.localdate()
    current = Person.objects.select_for_update().get(pk=person.pk)  # the caller's copy may be stale
    if lives_here:
        HouseholdMember.objects.filter(person=person, lives_here=True, valid_to__isnull=True).exclude(
            household=household
        ).update(valid_to=on)
    member, _created = HouseholdMember.objects.get_or_create(
        household=household, person=person, relation=relation, valid_to=None,
        defaults={"lives_here": lives_here, "is_head": is_head, "valid_from": on},
    )
    if lives_here and current.household_id != household.pk:
        moved = _person_metrics(current)
        counts.bump(current.home_path, counts.scaled(moved, -1))
        Person.objects.filter(pk=person.pk).update(household=household, home_path=household.place_path)
        counts.bump(household.place_path, moved)
        person.household, person.home_path = household, household.place_path
    return member


@transaction.atomic
def leave_household(person: Person, household: Household, *, on: datetime.date | None = None) -> None:
    on = on or timezone.localdate()
    HouseholdMember.objects.filter(person=person, household=household, valid_to__isnull=True).update(valid_to=on)
    current = Person.objects.select_for_update().get(pk=person.pk)
    if current.household_id == household.pk:
        counts.bump(current.home_path, counts.scaled(_person_metrics(current), -1))
        Person.objects.filter(pk=person.pk).update(household=None, home_path="")
        person.household, person.home_path = None, ""
