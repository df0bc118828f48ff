"""The property register: exclusive units and their owners, seeded from the residents' register
and edited by staff. Writes only; every write checks the user's scope."""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import HouseholdMember, Person, Place
from tongxin.voting.apps import MANAGE
from tongxin.voting.models import ExclusiveUnit, UnitOwner, UnitStatus


def can_manage(user, place: Place) -> bool:
    return access.can_see_path(user, MANAGE, place.path)


@transaction.atomic
def seed_from_households(place: Place) -> int:
    """Units from the households under ``place`` that have a floor area, and owners from their
    current members with relation=owner (the head votes, else the first owner). Idempotent: a
    household already seeded is skipped. The residents' floor area is taken as the contract
    area, the weakest source, so that any register or survey figure staff enter wins."""
    from tongxin.core.models import Household

    households = Household.objects.filter(
        place_path__gte=place.path, place_path__lt=place.path_end, closed_on__isnull=True, floor_area__isnull=False,
    ).exclude(pk__in=ExclusiveUnit.objects.filter(household__isnull=False).values("household_id")).select_related(
        "place")
    households = list(households)
    if not households:
        return 0
    taken = set(ExclusiveUnit.objects.filter(place__in={h.place_id for h in households}).values_list(
        "place_id", "unit_number"))
    units = [ExclusiveUnit(place=h.place, place_path=h.place_path, unit_number=h.unit_number,
                           contract_area=h.floor_area, household=h, status=UnitStatus.DELIVERED)
             for h in households if (h.place_id, h.unit_number) not in taken]
    ExclusiveUnit.objects.bulk_create(units)
    by_household = {unit.household_id: unit for unit in ExclusiveUnit.objects.filter(
        household__in=[h.pk for h in households])}
    members = HouseholdMember.objects.filter(household__in=list(by_household), relation="owner",
                                             valid_to__isnull=True).order_by("household_id", "-is_head", "id")
    owners, named = [], set()
    for member in members:
        unit = by_household[member.household_id]
        owners.append(UnitOwner(unit=unit, person_id=member.person_id, valid_from=member.valid_from,
                                is_voter=unit.pk not in named))
        named.add(unit.pk)
    UnitOwner.objects.bulk_create(owners)
    return len(units)


def _area(raw) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw)).quantize(Decimal("0.01"))
    except InvalidOperation:
        raise RefusedError("bad_area", "面积请填写数字，例如 89.50", "Enter the area as a number, e.g. 89.50") from None
    if value <= 0 or value >= Decimal("10000000"):
        raise RefusedError("bad_area", "面积须大于零", "The area must be more than zero")
    return value


@transaction.atomic
def update_unit(user, unit: ExclusiveUnit, *, register_area=None, survey_area=None, contract_area=None,
                status: str = UnitStatus.DELIVERED, developer=None) -> ExclusiveUnit:
    unit = ExclusiveUnit.objects.select_for_update().get(pk=unit.pk)
    if not can_manage(user, unit.place):
        raise PermissionDenied("not allowed to edit this unit")
    unit.register_area, unit.survey_area, unit.contract_area = (
        _area(register_area), _area(survey_area), _area(contract_area))
    if unit.area is None:
        raise RefusedError("unit_no_area", "至少填写一种面积", "Enter at least one area")
    if status not in UnitStatus.values:
        raise RefusedError("bad_status", "状态不对", "Unknown status")
    if status != UnitStatus.DELIVERED and developer is None:
        raise RefusedError("no_developer", "未售或未交付的专有部分须写明开发建设单位",
                           "An unsold or undelivered unit needs its developer")
    unit.status, unit.developer = status, developer
    unit.save()
    return unit


@transaction.atomic
def add_owner(user, unit: ExclusiveUnit, person: Person, *, is_voter: bool = False,
              valid_from: datetime.date | None = None) -> UnitOwner:
    unit = ExclusiveUnit.objects.select_for_update().get(pk=unit.pk)
    if not can_manage(user, unit.place):
        raise PermissionDenied("not allowed to edit this unit")
    if is_voter:
        UnitOwner.objects.filter(unit=unit, is_voter=True, valid_to__isnull=True).update(is_voter=False)
    try:
        with transaction.atomic():
            return UnitOwner.objects.create(unit=unit, person=person, is_voter=is_voter,
                                            valid_from=valid_from or timezone.localdate())
    except IntegrityError:
        raise RefusedError("owner_exists", "这位已经是这个专有部分的业主",
                           "This person already owns this unit") from None


@transaction.atomic
def name_voter(user, owner: UnitOwner) -> None:
    """Co-owners name one of them to vote for the unit (the partial unique constraint holds it)."""
    unit = ExclusiveUnit.objects.select_for_update().get(pk=owner.unit_id)
    if not can_manage(user, unit.place):
        raise PermissionDenied("not allowed to edit this unit")
    UnitOwner.objects.filter(unit=unit, is_voter=True, valid_to__isnull=True).update(is_voter=False)
    UnitOwner.objects.filter(pk=owner.pk, valid_to__isnull=True).update(is_voter=True)


@transaction.atomic
def end_owner(user, owner: UnitOwner, on: datetime.date | None = None) -> None:
    unit = ExclusiveUnit.objects.select_for_update().get(pk=owner.unit_id)
    if not can_manage(user, unit.place):
        raise PermissionDenied("not allowed to edit this unit")
    UnitOwner.objects.filter(pk=owner.pk, valid_to__isnull=True).update(
        valid_to=on or timezone.localdate(), is_voter=False)
