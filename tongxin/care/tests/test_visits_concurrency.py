"""At once, on PostgreSQL: visitors ticking the same household keep one row; a double submit
sent twice at the same moment records one visit and one wish."""


import pytest
from django.db import connection

from tongxin.care.models import CampaignVisit, Visit
from tongxin.care.services import campaigns, visits
from tongxin.care.tests.visits_support import subject_in
from tongxin.core.models import Household
from tongxin.core.testing import errors_at_once, two_grids
from tongxin.demands.testing import catalogues  # noqa: F401 - the fixture puts the catalogue back
from tongxin.volunteering.models import Task

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_visitors_ticking_one_household_at_once_keep_one_row():
    import datetime

    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=1)
    campaign = campaigns.create(world.users["staff"], title="逐户走访", place=world.places["b1"],
                                starts_on=datetime.date(2026, 3, 1))
    household = Household.objects.filter(place=world.places["b1u1"]).first()
    users = [world.users["staff"], world.users["worker_a"]] * 4
    outcomes = ["nobody_home"] * 7 + ["reached"]
    errors = errors_at_once([
        (lambda u=u, o=o, n=n: campaigns.tick(u, campaign, household, outcome=o, note=f"第{n}次", form_key=f"c{n}"))
        for n, (u, o) in enumerate(zip(users, outcomes, strict=True))
    ])
    assert not errors
    visit = CampaignVisit.objects.get()
    assert visit.outcome == "reached" and len(visit.note.splitlines()) == 8


def test_a_double_submit_at_the_same_moment_records_one_visit():
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=2)
    subject = subject_in(world)
    user = world.users["worker_a"]
    errors = errors_at_once([
        lambda: visits.record(user, subject, observations="看过了", wish="想要一台收音机", form_key="same-key")
        for _ in range(5)
    ])
    assert not errors
    assert Visit.objects.count() == 1 and Task.objects.count() == 1
