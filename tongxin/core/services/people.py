"""Writes to households, people, memberships and tags.

These keep the denormalised columns in step: ``Household.place_path`` follows the
household's place, ``Person.household``/``home_path`` follow the person's current
lives-here membership.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.core import counts
from tongxin.core.errors import RefusedError
from tongxin.core.models import (
    Consent,
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
from tongxin.core.validators import id_birth_date, id_gender


@dataclass(frozen=True)
class ConsentGiven:
    """Who gave separate consent to a sensitive category, and whether as a guardian."""

    given_by: str
    by_guardian: bool = False
    given_on: datetime.date | None = None


def is_child(person: Person, on: datetime.date | None = None) -> bool:
    """Under 14 (PIPL art. 31): their consent is a guardian's."""
    return under_14(person.birth_date, on)


def under_14(born: datetime.date | None, on: datetime.date | None = None) -> bool:
    if born is None:
        return False
    on = on or timezone.localdate()
    return (on.year - born.year - ((on.month, on.day) < (born.month, born.day))) < 14


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
    tags: tuple[str, ...] = (), consent: ConsentGiven | None = None,
) -> Person:
    name = name.strip()
    if not name:
        raise RefusedError("name_missing", "请填写姓名", "Please give the name")
    person = Person(name=name, phone=phone.strip(), birth_date=birth_date, gender=gender)
    if id_number and len(id_number) == 18:  # what the number says, where nobody said otherwise
        person.birth_date = birth_date or id_birth_date(id_number)
        person.gender = gender or id_gender(id_number)
    if id_number:
        if Person.objects.filter(id_number_hash=id_number_hash(id_number)).exists():
            raise RefusedError("id_number_taken", "该身份证号已登记", "This ID number is already registered")
        set_id_number(person, id_number)
    with transaction.atomic():
        person.save()
        for tag in tags:
            add_tag(person, tag, consent=consent)
    return person


def record_consent(person: Person, tag: str, consent: ConsentGiven, *, by=None) -> Consent:
    if not consent.given_by.strip():
        raise RefusedError("consent_by_missing", "请填写同意人姓名", "Please give the name of who consented")
    if is_child(person) and not consent.by_guardian:
        raise RefusedError(
            "guardian_consent_required",
            f"{person.name}未满14周岁，需由监护人同意。",
            f"{person.name} is under 14: a guardian must give the consent.",
        )
    existing = Consent.objects.filter(person=person, tag=tag, withdrawn_on__isnull=True).first()
    return existing or Consent.objects.create(
        person=person, tag=tag, given_by=consent.given_by.strip(), by_guardian=consent.by_guardian,
        given_on=consent.given_on or timezone.localdate(), recorded_by=by,
    )


@transaction.atomic
def add_tag(person: Person, tag: str, *, consent: ConsentGiven | None = None, by=None) -> None:
    """Put ``person`` in a group; a consent-based category needs a recorded consent first."""
    definition = TAG_BY_CODE.get(tag)
    if definition is None:
        raise RefusedError("tag_unknown", f"未知标签 {tag}", f"Unknown tag {tag}")
    if definition.needs_consent:
        if consent is not None:
            record_consent(person, tag, consent, by=by)
        elif not Consent.objects.filter(person=person, tag=tag, withdrawn_on__isnull=True).exists():
            raise RefusedError(
                "consent_required",
                f"登记“{definition.label}”需要本人单独同意（未满14周岁需监护人同意），请先记录同意。",
                f"Recording “{definition.label}” needs the person's separate consent (a guardian's under 14).",
            )
    _tag, created = PersonTag.objects.get_or_create(person=person, tag=tag)
    if created:
        counts.bump(_home_path(person), counts.tag_change(tag, 1))


@transaction.atomic
def withdraw_consent(person: Person, tag: str, *, on: datetime.date | None = None) -> None:
    """Consent withdrawn (art. 15): the record is closed and kept; the category goes."""
    Consent.objects.filter(person=person, tag=tag, withdrawn_on__isnull=True).update(
        withdrawn_on=on or timezone.localdate()
    )
    remove_tag(person, tag)


@transaction.atomic
def remove_tag(person: Person, tag: str) -> None:
    deleted, _ = PersonTag.objects.filter(person=person, tag=tag).delete()
    if deleted:
        counts.bump(_home_path(person), counts.tag_change(tag, -1))


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
