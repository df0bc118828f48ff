"""The rollup counters always equal a recount of the raw tables, whatever the services do."""

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tongxin.cli import main
from tongxin.core import counts
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, Person, PlaceCount
from tongxin.core.selectors import counts_for
from tongxin.core.services.people import (
    ConsentGiven,
    add_tag,
    create_household,
    create_person,
    join_household,
    leave_household,
    move_household,
    remove_tag,
)
from tongxin.core.services.places import create_place, move_place
from tongxin.core.testing import two_grids

pytestmark = pytest.mark.django_db

TAGS = ["party_member", "elderly_alone", "veteran"]
operation = st.one_of(
    st.tuples(st.just("household"), st.integers(0, 3), st.sampled_from(["owner_occupied", "rented", "vacant"])),
    st.tuples(st.just("person"), st.integers(0, 50), st.sampled_from(TAGS)),
    st.tuples(st.just("leave"), st.integers(0, 50)),
    st.tuples(st.just("move"), st.integers(0, 50), st.integers(0, 3)),
    st.tuples(st.just("tag"), st.integers(0, 50), st.sampled_from(TAGS)),
    st.tuples(st.just("untag"), st.integers(0, 50), st.sampled_from(TAGS)),
    st.tuples(st.just("move_building"),),
)


def apply(op, world, serial):
    entrances = [world.places[key] for key in ("b1u1", "b1u2", "b2u1", "b2u2")]
    households = list(Household.objects.order_by("id"))
    people = list(Person.objects.exclude(home_path="").order_by("id"))
    kind = op[0]
    if kind == "household":
        create_household(place=entrances[op[1]], unit_number=f"x{serial}", tenure=op[2])
    elif kind == "person":
        person = create_person(name=f"新居民{serial}", tags=(op[2],), consent=ConsentGiven(given_by="本人"))
        join_household(person, households[op[1] % len(households)], relation="family")
    elif kind == "leave" and people:
        person = people[op[1] % len(people)]
        leave_household(person, person.household)
    elif kind == "move":
        try:
            move_household(households[op[1] % len(households)], entrances[op[2]])
        except RefusedError:
            pass  # same unit number there already: refused, nothing changes
    elif kind == "tag" and people:
        add_tag(people[op[1] % len(people)], op[2], consent=ConsentGiven(given_by="本人", by_guardian=True))
    elif kind == "untag" and people:
        remove_tag(people[op[1] % len(people)], op[2])
    elif kind == "move_building":
        if "compound2" not in world.places:
            world.places["compound2"] = create_place(
                parent=world.places["community"], kind="compound", code="t-compound2", name="新小区"
            )
        move_place(world.places["b2"], world.places["compound2"])
        world.places["b2"].refresh_from_db()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(operation, min_size=1, max_size=12))
def test_counters_match_a_recount_after_any_sequence_of_changes(db, ops):
    with transaction.atomic():
        world = two_grids(households_per_entrance=2)
        for serial, op in enumerate(ops):
            apply(op, world, serial)
        assert counts.differences() == []
        community = world.places["community"]
        assert counts_for([community])[community.pk].households == Household.objects.count()
        transaction.set_rollback(True)


def test_a_drifted_counter_is_found_and_rebuilt(world, capsys):
    PlaceCount.objects.filter(place=world.places["compound"], metric="households").update(value=999)
    assert main(["counts", "--check"]) == 1
    assert "households" in capsys.readouterr().out
    assert main(["counts", "--rebuild"]) == 0
    assert counts.differences() == []
    assert counts_for([world.places["compound"]])[world.places["compound"].pk].households == 12
