"""The acceptance case: a 10,000-household workbook, bad then good, then again."""

import pytest

from tongxin.core import counts
from tongxin.core.models import Household, HouseholdMember, Person
from tongxin.core.testing import count_queries
from tongxin.registers.importer import import_registers
from tongxin.registers.tests.sheets import synthetic

pytestmark = pytest.mark.django_db


def test_a_10000_household_workbook_reports_every_bad_row_then_imports_once(world):
    staff = world.users["staff"]
    before = (Household.objects.count(), Person.objects.count(), HouseholdMember.objects.count())
    bad, planted = synthetic("t-compound", 10_000, bad_every=97)
    outcome = import_registers(staff, bad)
    assert len(planted) == 104
    assert [(p.sheet, p.row, p.column) for p in outcome.problems] == planted
    assert (Household.objects.count(), Person.objects.count(), HouseholdMember.objects.count()) == before

    good, _ = synthetic("t-compound", 10_000)
    with count_queries() as statements:
        outcome = import_registers(staff, good)
    assert outcome.ok and outcome.created["households"] == 10_000 and outcome.created["people"] == 16_000
    assert len(statements) < 1000  # bulk: about 150 places one by one, then batches of 2,000 rows
    assert counts.differences() == []
    assert counts.subtree_metrics(world.places["compound"])["rented"] == 1000

    again = import_registers(staff, good)
    assert again.ok and not again.created and not again.updated and again.unchanged_rows == 150 + 10_000 + 16_000
