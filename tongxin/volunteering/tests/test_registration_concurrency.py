"""On PostgreSQL, one person registering twice at once in one community gets one enrolment: the
partial unique index refuses the second, which the person reads as a clear message; and two
approvals of one enrolment at once make one membership of the unit."""


import pytest
from django.db import connection

from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, OrganisationMember
from tongxin.core.testing import at_once
from tongxin.volunteering.models import Enrolment, Status, UnitRegistration
from tongxin.volunteering.services import registration as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_registrations_at_once_make_one_enrolment(world):
    assert connection.vendor == "postgresql"
    user = world.users["worker_a"]
    door = world.places["b1u1"]
    outcomes = at_once([
        (lambda n=n: services.register(door, kind="volunteer", key=f"k{n}", user=user)) for n in range(4)
    ])
    assert Enrolment.objects.filter(person=user.person).count() == 1
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 3 and all(isinstance(o, RefusedError) and o.code == "already_enrolled" for o in refused)


def test_two_approvals_at_once_decide_once_and_add_one_membership(world):
    community = world.places["community"]
    unit = Organisation.objects.create(code="u-pg", name="单位支部", kind="party_branch", started_on="2020-01-01")
    UnitRegistration.objects.create(unit=unit, community=community, community_path=community.path,
                                    status=Status.APPROVED)
    enrolment, _login = services.register(world.places["b1u1"], kind="party_member", key="k", name="王建国",
                                          phone="13900001111", password="a-long-pass-2026", unit=unit)
    staff = world.users["staff"]
    outcomes = at_once([(lambda: services.decide(staff, enrolment.pk, approve=True)) for _ in range(3)])
    assert sum(o is None for o in outcomes) == 1
    assert OrganisationMember.objects.filter(organisation=unit, person=enrolment.person).count() == 1
