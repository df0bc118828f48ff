"""The weighted result by table: no answers, one side only, both sides, rounding."""

from decimal import Decimal

import pytest

from tongxin.evaluation.rules import Tally, overall, weighted

NONE = Tally()


@pytest.mark.parametrize(("residents", "panel", "weight", "expected"), [
    (NONE, NONE, 60, None),                                  # nobody answered
    (Tally(9, 2), NONE, 60, Decimal("4.50")),                # residents only: they count fully
    (NONE, Tally(7, 2), 60, Decimal("3.50")),                # panel only: it counts fully
    (Tally(10, 2), Tally(3, 1), 60, Decimal("4.20")),        # 5×0.6 + 3×0.4
    (Tally(10, 2), Tally(3, 1), 100, Decimal("5.00")),       # residents alone by weight
    (Tally(10, 2), Tally(3, 1), 0, Decimal("3.00")),         # panel alone by weight
    (NONE, Tally(3, 1), 100, Decimal("3.00")),               # weight 100 but no residents: panel
    (Tally(3, 1), NONE, 0, Decimal("3.00")),                 # weight 0 but no panel: residents
    (Tally(10, 3), NONE, 60, Decimal("3.33")),               # 3.333… rounds down
    (Tally(5, 3), Tally(5, 3), 50, Decimal("1.67")),         # 1.666… rounds up
    (Tally(9, 4), Tally(9, 4), 60, Decimal("2.25")),         # exact
    (Tally(1, 1), Tally(4, 1), 50, Decimal("2.50")),         # half: stays 2.50
    (Tally(1, 8), Tally(1, 8), 50, Decimal("0.13")),         # 0.125 rounds half up
])
def test_weighted(residents, panel, weight, expected):
    assert weighted(residents, panel, weight) == expected


def test_a_weight_out_of_range_is_a_bug():
    with pytest.raises(ValueError):
        weighted(Tally(1, 1), NONE, 101)


@pytest.mark.parametrize(("values", "expected"), [
    ([], None),
    ([None, None], None),
    ([Decimal("4.20"), None], Decimal("4.20")),
    ([Decimal("4.20"), Decimal("3.15")], Decimal("3.68")),  # 3.675 half up
])
def test_overall(values, expected):
    assert overall(values) == expected
