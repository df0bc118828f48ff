"""The rosters demo: loads on the registers' demo, twice without duplicates, with what the
brief lists: 沙市花园's nightly patrol (4 checkpoints, last week's rounds) and 东苑社区's duty
office roster this week."""

import datetime

import pytest
from django.utils import timezone

from tongxin.core.models import RoleAssignment
from tongxin.core.testing import demo_loaded_twice
from tongxin.rosters import demo as rosters_demo
from tongxin.rosters import rules, selectors
from tongxin.rosters.models import CheckIn, Checkpoint, Incident, Roster, Round, Route, Shift, ShiftAssignment

pytestmark = pytest.mark.django_db
TABLES = (Roster, Shift, ShiftAssignment, Route, Checkpoint, Round, CheckIn, Incident)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.registers.demo import load as load_registers

    with demo_loaded_twice(django_db_blocker, [load_registers], rosters_demo.load, TABLES) as loaded:
        yield loaded


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert demo["out"].count("  rosters:") == 2


def test_the_demo_has_what_the_brief_lists(demo):
    route = Route.objects.get()
    assert route.place.code == "jz-dongyuan-ssh" and route.checkpoints.count() == 4
    last_monday = rules.week_start(timezone.localdate()) - datetime.timedelta(days=7)
    roster = Roster.objects.get()
    assert roster.place.code == "jz-dongyuan" and roster.kind == "duty_office"
    assert Shift.objects.filter(roster=roster).count() == 14
    staff = RoleAssignment.objects.filter(role="community_staff", place=roster.place,
                                          person__user__isnull=False).first().person.user
    [row] = selectors.coverage(staff, route.place, last_monday)
    assert (row.planned, row.done, row.missed) == (7, 6, 1)
    assert Incident.objects.count() == 1
