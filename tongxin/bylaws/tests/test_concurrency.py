"""On PostgreSQL, two staff publish the same draft at the same moment: it is published once, with
one notice; two staff draft a rule's next version at once: one draft, one number."""

import datetime

import pytest
from django.db import connection

from tongxin.bylaws import services
from tongxin.bylaws.models import BylawVersion
from tongxin.core.models import PlaceNotice
from tongxin.core.testing import at_once, login_for, two_grids

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_staff_publish_one_draft_at_once():
    assert connection.vendor == "postgresql"
    world = two_grids()
    other = login_for(world, "staff2", "community_staff", place=world.places["community"], phone="15800000066")
    staff = world.users["staff"]
    bylaw = services.create_bylaw(staff, world.places["compound"], kind="rules_of_procedure", title="议事规则")
    version = services.draft(staff, bylaw, text="第一条", effective_on=datetime.date(2026, 4, 1), basis="通过")
    outcomes = at_once([lambda user=user: services.publish(user, version) for user in (staff, other)])
    assert outcomes == [None, None]
    assert PlaceNotice.objects.count() == 1
    assert BylawVersion.objects.get(pk=version.pk).published_at is not None


def test_two_staff_draft_at_once_leave_one_draft():
    world = two_grids()
    other = login_for(world, "staff2", "community_staff", place=world.places["community"], phone="15800000066")
    staff = world.users["staff"]
    bylaw = services.create_bylaw(staff, world.places["compound"], kind="rules_of_procedure", title="议事规则")
    outcomes = at_once([
        lambda user=user, n=n: services.draft(user, bylaw, text=f"第{n}稿", effective_on=datetime.date(2026, 4, 1),
                                              basis="通过")
        for n, user in enumerate((staff, other))])
    assert outcomes == [None, None]
    assert list(BylawVersion.objects.filter(bylaw=bylaw).values_list("number", flat=True)) == [1]
