"""On PostgreSQL, two transactions adding to one rollup row never lose a count: neither when
both insert the row first (the unique constraint refuses one, which adds to the other's),
nor when both update it."""

import threading
import time

import pytest
from django.db import connection, transaction

from tongxin.demands import services
from tongxin.demands.models import Category
from tongxin.demands.testing import file_report
from tongxin.indicators import rollups
from tongxin.indicators.models import DailyFigures

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def in_threads(first, second):
    """``first`` runs in a transaction that waits before committing; ``second`` starts meanwhile."""
    started, errors = threading.Event(), []

    def one():
        try:
            with transaction.atomic():
                first()
                started.set()
                time.sleep(0.5)  # the other transaction runs into our uncommitted row now
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
            started.set()
        finally:
            connection.close()

    def two():
        try:
            started.wait(10)
            second()
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one), threading.Thread(target=two)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors


def report(world, key, take_in=True):
    file = file_report if take_in else services.report
    return file(world.places["b1u1"], category=Category.objects.get(code="repairs"), description="楼道灯坏了", key=key)


def test_two_first_reports_of_a_day_both_count(world):
    assert connection.vendor == "postgresql"
    one, two = report(world, "one", take_in=False), report(world, "two", take_in=False)
    in_threads(lambda: services.take_in(one.pk), lambda: services.take_in(two.pk))  # two intake workers
    assert DailyFigures.objects.get(received__gt=0).received == 2
    assert rollups.stored() == rollups.recompute()[0]


def test_two_steps_on_one_row_at_once_both_count(world):
    one, two = report(world, "one"), report(world, "two")
    worker = world.users["worker_a"]
    in_threads(lambda: services.act(worker, one, "accept"), lambda: services.act(worker, two, "accept"))
    row = DailyFigures.objects.get(received__gt=0)
    assert (row.received, row.accepted, row.responded) == (2, 2, 2)
    assert rollups.stored() == rollups.recompute()[0]
