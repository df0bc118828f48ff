"""The care demo: loads on the registers' and volunteering's demos, twice without duplicates;
the demo party member with a login sees their paired subjects."""


import pytest
from django.test import Client
from django.urls import reverse

from tongxin.care import demo as care_demo
from tongxin.care.models import CareSubject, EmergencyContact, Pairing
from tongxin.core.models import Consent, OutboxMessage, PersonTag, User
from tongxin.core.testing import demo_loaded_twice

pytestmark = pytest.mark.django_db
TABLES = (CareSubject, EmergencyContact, Pairing, PersonTag, Consent, OutboxMessage)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.demands.demo import load as load_demands
    from tongxin.registers.demo import load as load_registers
    from tongxin.volunteering.demo import load as load_volunteering

    before = [load_registers, load_demands, load_volunteering]
    with demo_loaded_twice(django_db_blocker, before, care_demo.load, TABLES) as loaded:
        yield loaded


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert demo["out"].count("  care:") == 2


def test_the_demo_has_what_the_brief_lists(demo):
    subjects = CareSubject.objects.filter(closed_on__isnull=True)
    assert 10 <= subjects.count() <= 14
    tags = set(PersonTag.objects.filter(person__care__in=subjects).values_list("tag", flat=True))
    assert {"elderly_alone", "empty_nest", "left_behind_child", "disabled", "special_hardship"} <= tags
    child = subjects.get(person__tags__tag="left_behind_child")
    assert Consent.objects.get(person=child.person, tag="left_behind_child").by_guardian
    live = Pairing.objects.filter(valid_to__isnull=True)
    assert subjects.exclude(pairings__in=live).count() == 2
    assert live.filter(role="building_chief").exists()
    assert live.filter(role__in=("party_member", "volunteer")).count() >= 8
    assert all(s.contacts.exists() for s in subjects)


def test_the_demo_member_sees_their_subjects(demo):
    user = User.objects.get(phone=care_demo.MEMBER_PHONE)
    mine = CareSubject.objects.filter(pairings__helper=user.person, pairings__valid_to__isnull=True)
    assert mine.count() == 3
    client = Client()
    client.force_login(user)
    page = client.get(reverse("care-my-subjects")).content.decode()
    assert all(subject.person.name in page for subject in mine)
