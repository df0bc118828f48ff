"""Capacity holds under concurrency: twenty people take five places at once (PostgreSQL)."""

import threading

import pytest
from django.db import connection

from tongxin.core.testing import two_grids
from tongxin.volunteering.models import Session, SignUp, SignUpState
from tongxin.volunteering.services import activities as services
from tongxin.volunteering.tests.activity_helpers import activity_now, member

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_parallel_sign_ups_never_book_more_than_the_capacity():
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=1)
    activity = activity_now(world, capacity=5)
    session = services.today_session(activity)
    people = [member(world, f"并发{n}", login=False) for n in range(20)]
    barrier = threading.Barrier(len(people))
    errors: list[BaseException] = []

    def take(person, enrolment):
        try:
            barrier.wait()
            services.sign_up(session.pk, person=person, enrolment=enrolment)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=take, args=(p, e)) for p, e, _u in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    session = Session.objects.get(pk=session.pk)
    booked = SignUp.objects.filter(session=session, state=SignUpState.BOOKED).count()
    assert session.booked == booked == 5
    assert SignUp.objects.filter(session=session, state=SignUpState.WAITING).count() == 15

    # Five withdraw at once while places are promoted: still never more than five booked.
    leaving = list(SignUp.objects.filter(session=session, state=SignUpState.BOOKED).values_list("person", flat=True))
    barrier = threading.Barrier(len(leaving))

    def leave(person_id):
        try:
            barrier.wait()
            from tongxin.core.models import Person
            services.withdraw(session.pk, person=Person.objects.get(pk=person_id))
        except BaseException as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=leave, args=(pid,)) for pid in leaving]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    session.refresh_from_db()
    assert session.booked == SignUp.objects.filter(session=session, state=SignUpState.BOOKED).count() == 5
    assert SignUp.objects.filter(session=session, state=SignUpState.WAITING).count() == 10
