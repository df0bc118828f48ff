"""End to end through the services and the database: the sources sum exactly to the budget,
the households' shares exactly to the owners' part, each within a fen of its exact value,
for awkward budgets and areas (a table, then a property test over random ones)."""

from decimal import Decimal
from fractions import Fraction

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongxin.cofunding import services
from tongxin.cofunding.models import OwnerShare, Source
from tongxin.cofunding.services import SourceInput
from tongxin.core.models import Household

pytestmark = pytest.mark.django_db


class Rollback(Exception):
    pass


def b1_households(world):
    b1 = world.places["b1"]
    return list(Household.objects.filter(place_path__startswith=b1.path).order_by("place_path", "unit_number", "pk"))


def make(world, budget_fen, sources, rule):
    return services.create(world.users["staff"], world.places["compound"], title="加装电梯", budget_fen=budget_fen,
                           owners_rule=rule, buildings=[world.places["b1"].pk], sources=sources)


def check_sums(project, households, areas, rule):
    sources = list(Source.objects.filter(project=project))
    assert sum(s.amount_fen for s in sources) == project.budget_fen
    owners = next(s.amount_fen for s in sources if s.kind == "owners")
    found = {s.household_id: s for s in OwnerShare.objects.filter(project=project)}
    if owners == 0:  # policy funds and the committee pay it all: no household owes anything
        assert not found
        return
    assert len(found) == len(households)
    assert sum(s.amount_fen for s in found.values()) == owners
    weights = [Fraction(str(a)) if rule == "per_area" else Fraction(1) for a in areas]
    for household, weight in zip(households, weights, strict=True):
        exact = owners * weight / sum(weights)
        assert abs(found[household.pk].amount_fen - exact) < 1


@pytest.mark.parametrize(("budget", "sources", "rule", "areas", "expected"), [
    # ¥1,000.01 by thirds to four decimals: the two odd fen to the largest remainders (the last,
    # then the first of the two equal ones)
    (100001, [("policy", None, "33.3333"), ("committee", None, "33.3333"), ("owners", None, "33.3334")],
     "per_household", None, [33334, 33333, 33334]),
    # seed 001: policy a fixed ¥50,000, the rest half and half, the owners' half by area
    (12000001, [("policy", 5000000, None), ("committee", None, "50"), ("owners", None, "50")],
     "per_area", ["80.50", "120.25", "99.25", "65.33", "143.07", "88.88"], [5000000, 3500001, 3500000]),
    # ¥0.07 among six households by area: most pay nothing, the sums still hold
    (7, [("owners", None, "100")], "per_area", ["0.01", "99.99", "50", "50", "33.33", "66.67"], [7]),
    # everything fixed, the owners' part a prime number of fen over six equal households
    (1000003, [("policy", 999000, None), ("owners", 1003, None)], "per_household", None, [999000, 1003]),
])
def test_sums_are_exact_for_awkward_budgets(world, budget, sources, rule, areas, expected):
    households = b1_households(world)
    areas = areas or ["80.50"] * len(households)
    for household, area in zip(households, areas, strict=True):
        Household.objects.filter(pk=household.pk).update(floor_area=Decimal(area))
    project = make(world, budget, [SourceInput(kind, kind, fixed_fen=fixed,
                                               percent=Decimal(p) if p else None) for kind, fixed, p in sources], rule)
    assert [s.amount_fen for s in project.sources.all()] == expected
    check_sums(project, households, areas, rule)


areas_st = st.decimals(min_value=Decimal("0.01"), max_value=Decimal("999.99"), places=2)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(budget=st.integers(min_value=1, max_value=10**11), fixed_share=st.fractions(min_value=0, max_value=1),
       committee_percent=st.decimals(min_value=0, max_value=100, places=4),
       areas=st.lists(areas_st, min_size=6, max_size=6), rule=st.sampled_from(["per_household", "per_area"]))
def test_sums_are_exact_for_any_budget(world, budget, fixed_share, committee_percent, areas, rule):
    households = b1_households(world)
    fixed = int(budget * fixed_share)
    sources = [SourceInput("policy", "政策资金", fixed_fen=fixed),
               SourceInput("committee", "业委会收入", percent=committee_percent),
               SourceInput("owners", "受益业主", percent=100 - committee_percent)]
    try:
        with transaction.atomic():
            for household, area in zip(households, areas, strict=True):
                Household.objects.filter(pk=household.pk).update(floor_area=area)
            project = make(world, budget, sources, rule)
            check_sums(project, households, areas, rule)
            raise Rollback
    except Rollback:
        pass
