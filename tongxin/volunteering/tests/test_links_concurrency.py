"""On PostgreSQL, two staff linking the same member to the same household at the same moment:
the database lets one link in, the other gets the clear refusal, never two live rows."""

import threading
import time

import pytest
from django.db import connection, transaction

from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, Person
from tongxin.volunteering.models import Enrolment, HouseholdLink
from tongxin.volunteering.services import links as services

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_the_same_pair_linked_twice_at_once_goes_in_once(world):
    assert connection.vendor == "postgresql"
    community, entrance = world.places["community"], world.places["b1u1"]
    person = Person.objects.filter(home_path__startswith=entrance.path).order_by("id").first()
    enrolment = Enrolment.objects.create(person=person, kind="volunteer", community=community,
                                         community_path=community.path, home=entrance, home_path=entrance.path,
                                         status="approved")
    household = Household.objects.filter(place=entrance).order_by("id").first()
    staff = world.users["staff"]
    started, outcomes = threading.Event(), []

    def first():
        try:
            with transaction.atomic():
                services.link(staff, Enrolment.objects.get(pk=enrolment.pk), [Household.objects.get(pk=household.pk)])
                started.set()
                time.sleep(0.5)  # the other link runs into our uncommitted row now
            outcomes.append("linked")
        except RefusedError as refused:
            outcomes.append(refused.code)
        finally:
            started.set()
            connection.close()

    def second():
        try:
            started.wait(10)
            services.link(staff, Enrolment.objects.get(pk=enrolment.pk), [Household.objects.get(pk=household.pk)])
            outcomes.append("linked")
        except RefusedError as refused:
            outcomes.append(refused.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["already_linked", "linked"]
    assert HouseholdLink.objects.filter(household=household, enrolment=enrolment, valid_to__isnull=True).count() == 1
