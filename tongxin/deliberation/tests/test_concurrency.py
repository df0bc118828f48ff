"""Two staff record the same step at the same moment: the row lock lets one in, the other is
told it was done. The same consultation form sent twice at once raises one matter. PostgreSQL
only (SQLite serialises every write, so nothing would race)."""

import threading

import pytest
from django.db import connection, connections

from tongxin.core.errors import RefusedError
from tongxin.core.testing import two_grids
from tongxin.deliberation import rules, services
from tongxin.deliberation.models import Consultation, MatterStep
from tongxin.deliberation.tests.support import meet, propose, resident_login
from tongxin.demands.testing import catalogues  # noqa: F401 - the fixture puts the catalogue back

RACERS = 6


def _race(work) -> list:
    barrier = threading.Barrier(RACERS)
    results: list = [None] * RACERS

    def run(n: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[n] = work(n)
        except BaseException as error:  # noqa: BLE001 - compared below
            results[n] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_step_recorded_at_once_is_recorded_once():
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=1)
    staff = world.users["staff"]
    matter = propose(world)
    results = _race(lambda n: meet(matter, rules.DISCUSS, staff))
    assert sum(isinstance(r, MatterStep) for r in results) == 1
    refused = [r for r in results if not isinstance(r, MatterStep)]
    assert all(isinstance(r, RefusedError) and r.code == "matter_step" for r in refused)
    assert list(matter.steps.values_list("step", flat=True)) == [rules.PROPOSE, rules.DISCUSS]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_one_form_sent_twice_at_once_raises_one_matter():
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=1)
    resident = resident_login(world)
    place = world.places["b1"]
    results = _race(lambda n: services.raise_matter(resident, place, title="x", body="y", form_key="same-key"))
    assert sum(isinstance(r, Consultation) for r in results) == 1
    assert all(r.code == "already_submitted" for r in results if not isinstance(r, Consultation))
    assert Consultation.objects.count() == 1
