"""The worked example of docs/indicators.md, figure by figure."""

import datetime

import pytest

from tongxin.indicators import rollups, selectors
from tongxin.indicators.periods import MONTH, Period
from tongxin.indicators.tests.example import (
    EXPECTED_COUNTERS,
    EXPECTED_RANKING,
    EXPECTED_RATES,
    EXPECTED_SCORE,
    build,
)

pytestmark = pytest.mark.django_db
OCTOBER = Period.containing(datetime.date(2026, 10, 1), MONTH)


def check(board):
    assert board.total.counters == EXPECTED_COUNTERS
    values = board.total.values
    for code, expected in EXPECTED_RATES.items():
        assert values[code] == pytest.approx(expected), code
    assert round(values["score"], 2) == EXPECTED_SCORE


def test_it_computes_every_figure_of_the_worked_example(world):
    build(world)
    board = selectors.board(world.places["district"], OCTOBER)
    check(board)
    ranking = [(f.place.code, round(f.values["score"], 2)) for f in board.grid_ranking]
    assert ranking == [(f"t-grid-{grid}", score) for grid, score in EXPECTED_RANKING]
    assert [(f.label, round(f.values["score"], 2)) for f in board.community_ranking] == [("测试社区", EXPECTED_SCORE)]
    by_category = {f.label: f.counters["received"] for f in board.categories}
    assert by_category == {"维修": 12, "卫生": 7}


def test_the_rebuild_gives_the_same_figures(world):
    build(world)
    kept = rollups.stored()
    rollups.rebuild_rollups()
    assert rollups.stored() == kept
    check(selectors.board(world.places["district"], OCTOBER))


def test_a_grid_sees_its_own_share(world):
    build(world)
    board = selectors.board(world.places["grid_b"], OCTOBER)
    assert board.total.counters["received"] == 7
    assert round(board.total.values["score"], 2) == 79.17
    # the community's breakdown: one row per grid, adding up to the whole
    community = selectors.board(world.places["community"], OCTOBER)
    assert [(row.label, row.counters["received"]) for row in community.children] == [("第一网格", 12), ("第二网格", 7)]


def test_what_falls_due_after_today_is_not_yet_due(world, settings):
    build(world)
    from unittest import mock

    with mock.patch("django.utils.timezone.localdate", return_value=datetime.date(2026, 10, 20)):
        board = selectors.board(world.places["district"], OCTOBER)
    # Deadlines up to 20 October: all but 11 (23rd) and 12 (31st).
    assert board.total.counters["due"] == 13
    assert board.total.counters["received"] == 19  # reports are counted whatever the day
