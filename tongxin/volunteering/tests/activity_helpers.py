"""Helpers of the activities and ledger tests: members with approved enrolments, activities
happening now, a work unit with its secretary."""

import datetime
import itertools

from django.utils import timezone

from tongxin.core.models import Organisation, Person
from tongxin.core.services.roles import assign_role, create_login
from tongxin.core.testing import PASSWORD
from tongxin.volunteering.models import Enrolment, EnrolmentKind, Status
from tongxin.volunteering.services import activities as services

_phones = itertools.count(1)


def member(world, name: str, *, unit=None, community=None, login: bool = True):
    """A person with an approved enrolment in the community (and a login)."""
    community = community or world.places["community"]
    person = Person.objects.create(name=name, phone="")
    enrolment = Enrolment.objects.create(person=person, kind=EnrolmentKind.PARTY_MEMBER, community=community,
                                         community_path=community.path, unit=unit, status=Status.APPROVED)
    user = create_login(person, phone=f"1590000{next(_phones):04d}", password=PASSWORD) if login else None
    return person, enrolment, user


def work_unit(world, code: str, name: str, *, secretary_phone: str | None = None):
    unit = Organisation.objects.create(code=code, name=name, kind="party_branch", place=world.places["street"],
                                       started_on=datetime.date(2020, 1, 1))
    secretary = None
    if secretary_phone:
        person = Person.objects.create(name=f"{name}书记", phone=secretary_phone)
        assign_role(person, "branch_secretary", organisation=unit)
        secretary = create_login(person, phone=secretary_phone, password=PASSWORD)
    return unit, secretary


def activity_now(world, *, capacity=None, title="义诊服务", recurrence="weekly", **extra):
    """An activity whose session today started a few minutes ago and lasts until late evening."""
    now = timezone.localtime()
    start = max(datetime.time(0, 0), (now - datetime.timedelta(minutes=5)).time().replace(second=0, microsecond=0))
    if now.hour == 0 and now.minute < 5:
        start = datetime.time(0, 0)
    return services.create_activity(
        community=world.places["community"], organiser=world.users["staff"], title=title, venue="社区服务站",
        recurrence=recurrence, first_date=now.date(), start_time=start, end_time=datetime.time(23, 59, 59),
        capacity=capacity, **extra)
