"""The relief demo: loads on the registers' demo, twice without duplicates, with what the
brief lists (a cold-weather distribution at 东苑社区, half handed over, the list published)."""

import pytest
from django.test import Client

from tongxin.core.models import PlaceNotice
from tongxin.core.testing import demo_loaded_twice
from tongxin.relief import demo as relief_demo
from tongxin.relief.models import Distribution, Entitlement, HandOver, Item

pytestmark = pytest.mark.django_db
TABLES = (Distribution, Item, Entitlement, HandOver, PlaceNotice)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.registers.demo import load as load_registers

    with demo_loaded_twice(django_db_blocker, [load_registers], relief_demo.load, TABLES) as loaded:
        yield loaded


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert demo["out"].count("  relief:") == 2


def test_the_demo_has_what_the_brief_lists(demo):
    found = Distribution.objects.get()
    assert (found.place.code, found.kind, found.state) == ("jz-dongyuan", "cold_weather", "open")
    assert set(found.rule_tags) == {"low_income", "elderly_alone"}
    listed = Entitlement.objects.filter(distribution=found).count()
    assert listed >= 4 and HandOver.objects.count() == listed // 2
    assert all(item.handed_out == listed // 2 and item.remaining >= 0 for item in Item.objects.all())
    assert found.published_at and PlaceNotice.objects.filter(title__contains=found.title).count() == 1
    page = Client().get(f"/relief/public/{found.public_token}/")
    assert page.status_code == 200 and "*" in page.content.decode()
