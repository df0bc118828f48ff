"""Writes to role assignments and login accounts."""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, Person, Place, RoleAssignment, User
from tongxin.core.roles import ROLE_BY_CODE


def assign_role(
    person: Person, role: str, *, place: Place | None = None, organisation: Organisation | None = None,
    on: datetime.date | None = None, note: str = "",
) -> RoleAssignment:
    definition = ROLE_BY_CODE.get(role)
    if definition is None:
        raise RefusedError("role_unknown", f"未知角色 {role}", f"Unknown role {role}")
    if definition.scope == "place" and place is None:
        raise RefusedError("role_needs_place", "该角色需要指定地点", "This role is held at a place")
    if definition.scope == "organisation" and organisation is None:
        raise RefusedError("role_needs_organisation", "该角色需要指定组织", "This role is held at an organisation")
    try:
        with transaction.atomic():
            return RoleAssignment.objects.create(
                person=person, role=role, place=place, organisation=organisation,
                valid_from=on or timezone.localdate(), note=note,
            )
    except IntegrityError:
        raise RefusedError("role_exists", "此人已担任该角色", "This person already holds this role") from None


def end_role(assignment: RoleAssignment, *, on: datetime.date | None = None) -> None:
    RoleAssignment.objects.filter(pk=assignment.pk, valid_to__isnull=True).update(valid_to=on or timezone.localdate())


def create_login(person: Person, *, phone: str, password: str) -> User:
    return User.objects.create_user(phone=phone, password=password, name=person.name, person=person)
