import datetime

import pytest
from django.db import connection

from tongxin.core.errors import RefusedError
from tongxin.core.models import GridCoverage, Household, Person, Place
from tongxin.core.selectors import counts_for
from tongxin.core.services.people import create_household, move_household
from tongxin.core.services.places import cover, coverage_on, create_place, move_place, redraw

pytestmark = pytest.mark.django_db


def test_children_are_numbered_after_their_siblings():
    root = create_place(parent=None, kind="district", code="d", name="区")
    first = create_place(parent=root, kind="street", code="s1", name="一街")
    second = create_place(parent=root, kind="street", code="s2", name="二街")
    assert first.path == root.path + "00001"
    assert second.path == root.path + "00002"
    assert first.path_end == second.path
    assert second.depth == 2
    assert list(root.subtree().values_list("code", flat=True)) == ["d", "s1", "s2"]


def test_a_grid_holds_only_grid_points():
    root = create_place(parent=None, kind="community", code="c", name="社区")
    grid = create_place(parent=root, kind="grid", code="g", name="网格")
    create_place(parent=grid, kind="grid_point", code="gp", name="网格点")
    with pytest.raises(RefusedError) as refused:
        create_place(parent=grid, kind="building", code="b", name="楼")
    assert refused.value.code == "place_under_grid"


def test_duplicate_code_is_refused_with_a_clear_message():
    create_place(parent=None, kind="district", code="dup", name="区")
    with pytest.raises(RefusedError) as refused:
        create_place(parent=None, kind="district", code="dup", name="另一个区")
    assert refused.value.code == "place_code_taken"
    assert "dup" in refused.value.message_zh and "dup" in refused.value.message_en


def test_moving_a_compound_rewrites_its_subtree_and_households(world):
    p = world.places
    other = create_place(parent=p["street"], kind="community", code="t-other", name="另一社区")
    moved = move_place(p["compound"], other)
    assert moved.parent_id == other.pk and moved.path.startswith(other.path)
    entrance = Place.objects.get(code="t-b2-u1")
    assert entrance.path.startswith(moved.path) and entrance.depth == moved.depth + 2
    for household in Household.objects.filter(place=entrance):
        assert household.place_path == entrance.path
    for person in Person.objects.filter(household__place=entrance):
        assert person.home_path == entrance.path
    assert counts_for([other])[other.pk].households == 12
    assert counts_for([p["community"]])[p["community"].pk].households == 0


def test_a_place_cannot_move_under_itself(world):
    with pytest.raises(RefusedError):
        move_place(world.places["compound"], world.places["b1"])


def test_moving_a_household_keeps_history(world):
    p = world.places
    household = Household.objects.filter(place=p["b1u1"]).first()
    with pytest.raises(RefusedError) as refused:
        move_household(household, p["b2u2"])  # b2u2 already has a unit with that number
    assert refused.value.code == "household_exists"
    new_entrance = create_place(parent=p["b2"], kind="entrance", code="t-b2-u3", name="3单元")
    move_household(household, new_entrance, reason="换房")
    household.refresh_from_db()
    assert household.place_path == new_entrance.path
    move = household.moves.get()
    assert (move.from_place, move.to_place, move.reason) == (p["b1u1"], new_entrance, "换房")
    assert all(person.home_path == new_entrance.path for person in household.residents.all())
    assert counts_for([p["b1"]])[p["b1"].pk].households == 5


def test_households_only_at_places_that_hold_them(world):
    with pytest.raises(RefusedError) as refused:
        create_household(place=world.places["compound"], unit_number="101")
    assert refused.value.code == "place_holds_no_households"
    with pytest.raises(RefusedError) as refused:
        create_household(place=world.places["b1u1"], unit_number="101")
    assert refused.value.code == "household_exists"


def test_counts_follow_the_tree_and_the_grids(world):
    p = world.places
    counts = counts_for([p["community"], p["compound"], p["b1"], p["grid_a"], p["grid_b"], p["b1u1"]])
    assert counts[p["community"].pk].households == 12
    assert counts[p["compound"].pk].residents == 12
    assert counts[p["b1"].pk].households == 6
    assert counts[p["grid_a"].pk].households == 6
    assert counts[p["grid_b"].pk].households == 6
    assert counts[p["b1u1"].pk].party_members == 1
    assert counts[p["community"].pk].tags == {"party_member": 4, "elderly_alone": 4}


def test_nested_grid_points_count_their_coverage_once(world):
    p = world.places
    point = create_place(parent=p["grid_a"], kind="grid_point", code="t-point", name="网格点")
    cover(point, [p["b1u1"]])  # overlaps grid A's own coverage of building 1
    counts = counts_for([p["grid_a"], point])
    assert counts[p["grid_a"].pk].households == 6
    assert counts[point.pk].households == 3


def test_redrawing_a_grid_keeps_history(world):
    p = world.places
    yesterday = datetime.date(2026, 1, 1)
    GridCoverage.objects.filter(grid=p["grid_a"]).update(valid_from=yesterday)
    redraw(p["grid_a"], [p["b2"]], on=datetime.date(2026, 6, 1))
    assert list(coverage_on(p["grid_a"], datetime.date(2026, 3, 1)).values_list("place__code", flat=True)) == ["t-b1"]
    assert list(coverage_on(p["grid_a"], datetime.date(2026, 7, 1)).values_list("place__code", flat=True)) == ["t-b2"]
    assert GridCoverage.objects.filter(grid=p["grid_a"]).count() == 2


def test_only_areas_cover_places(world):
    with pytest.raises(RefusedError):
        cover(world.places["compound"], [world.places["b1"]])
    with pytest.raises(RefusedError):
        cover(world.places["grid_a"], [world.places["grid_b"]])


def _plan(sql, params):
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
            return " ".join(str(row[-1]) for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return " ".join(row[0] for row in cursor.fetchall())


def test_everything_under_a_place_is_an_index_range_scan(world):
    """The subtree and household queries use the path indexes, on either database."""
    community = world.places["community"]
    for queryset in (community.subtree(), Household.objects.filter(place_path__gte=community.path,
                                                                   place_path__lt=community.path_end)):
        sql, params = queryset.query.sql_with_params()
        plan = _plan(sql, params)
        if connection.vendor == "sqlite":
            assert "USING INDEX" in plan or "USING COVERING INDEX" in plan, plan
            assert "path>? AND" in plan.replace(" ", "") or "path>?" in plan.replace(" ", ""), plan
        else:
            assert "Index" in plan and "Seq Scan" not in plan, plan
        assert "LIKE" not in sql.upper()
