"""On PostgreSQL, a resident taps their link while the grid worker ticks the same household:
one reach is recorded, neither side sees an error."""

import pytest
from django.db import connection

from tongxin.core.models import Household
from tongxin.core.testing import at_once, two_grids
from tongxin.emergencies import services
from tongxin.emergencies.models import EmergencyNotice, Reach

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_a_resident_and_a_worker_reach_one_household_at_once():
    assert connection.vendor == "postgresql"
    world = two_grids()
    notice = services.raise_notice(world.users["staff"], world.places["compound"], kind="flood", title="防汛",
                                   body="低洼住户请转移")
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()

    def fresh():
        return EmergencyNotice.objects.get(pk=notice.pk), Household.objects.get(pk=household.pk)

    outcomes = at_once([
        lambda: services.confirm(*fresh(), needs_help=True, note="需要帮忙"),
        lambda: services.tick(world.users["worker_a"], *fresh(), way="phone"),
    ])
    assert outcomes == [None, None], outcomes
    reach = Reach.objects.get(notice=notice, household=household)
    assert reach.needs_help  # whichever came first, the call for help is kept
