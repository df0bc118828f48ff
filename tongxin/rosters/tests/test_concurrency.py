"""On PostgreSQL: two members take one offered shift at the same moment, and two sign up for
the last seat: exactly one wins each time, the other gets the clear refusal."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.testing import at_once, two_grids
from tongxin.rosters import services
from tongxin.rosters.models import Shift, ShiftAssignment

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _shift(world, needed=1):
    roster = services.create_roster(world.users["staff"], world.places["community"], name="值班室")
    return services.add_shift(world.users["staff"], roster, date=timezone.localdate() + datetime.timedelta(days=2),
                              start=datetime.time(8), end=datetime.time(12), needed=needed)


def test_two_takers_of_one_offered_shift_leave_one_holder():
    assert connection.vendor == "postgresql"
    world = two_grids()
    shift = _shift(world)
    held = services.sign_up(world.users["staff"], shift)
    services.offer(world.users["staff"], shift)

    def take(key):
        return lambda: services.take(world.users[key], Shift.objects.get(pk=shift.pk),
                                     ShiftAssignment.objects.get(pk=held.pk))

    outcomes = at_once([take("worker_a"), take("chief_b1")])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and isinstance(refused[0], RefusedError), outcomes
    assert refused[0].code == "not_offered"
    holder = ShiftAssignment.objects.get(shift=shift)
    assert holder.user_id in {world.users["worker_a"].pk, world.users["chief_b1"].pk} and not holder.offered


def test_two_sign_ups_for_the_last_seat_leave_one():
    assert connection.vendor == "postgresql"
    world = two_grids()
    shift = _shift(world, needed=1)

    def sign(key):
        return lambda: services.sign_up(world.users[key], Shift.objects.get(pk=shift.pk))

    outcomes = at_once([sign("worker_a"), sign("chief_b1")])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and refused[0].code == "shift_full", outcomes
    assert ShiftAssignment.objects.filter(shift=shift).count() == 1
