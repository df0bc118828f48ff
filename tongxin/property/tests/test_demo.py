"""The property demo: loads on the registers', notices' and voting demos, twice without
duplicates; about 85 % of the year's bills are paid; a quarter's income is published."""

import pytest

from tongxin.core.testing import demo_loaded_twice
from tongxin.property import demo as property_demo
from tongxin.property.models import Bill, FeeItem, FeeStandard, IncomeLine, IncomeReport, Payment

pytestmark = pytest.mark.django_db
TABLES = (FeeStandard, FeeItem, Bill, Payment, IncomeReport, IncomeLine)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.registers.demo import load as load_registers

    with demo_loaded_twice(django_db_blocker, [load_registers], property_demo.load, TABLES) as loaded:
        yield loaded


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert demo["out"].count("  property:") == 2


def test_the_demo_has_what_the_brief_lists(demo):
    from tongxin.core.models import Place
    from tongxin.property import selectors

    compound = Place.objects.get(code=property_demo.COMPOUND)
    assert FeeStandard.objects.filter(place=compound).count() == 2
    year = Bill.objects.values_list("year", flat=True).first()
    _rates, total = selectors.collection(compound, year)
    assert total.households > 100
    assert 78 <= total.household_rate <= 92
    report = IncomeReport.objects.get(place=compound)
    assert report.published_at and report.notice_id and report.lines.count() == 4
