"""The share arithmetic of co-funded projects: to the fen, always summing to the whole."""

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tongxin.finance import shares
from tongxin.finance.shares import PER_AREA, PER_HOUSEHOLD, ShareError, Source


@pytest.mark.parametrize(("total", "weights", "parts"), [
    (100, [1, 1, 1], [34, 33, 33]),              # the odd fen to the first of equal remainders
    (200, [1, 1, 1], [67, 67, 66]),
    (1, [1, 1, 1], [1, 0, 0]),
    (0, [1, 2], [0, 0]),
    (1000, [1, 3], [250, 750]),                  # exact: no rounding
    (1000, [Decimal("80.50"), Decimal("120.25"), Decimal("99.25")], [268, 401, 331]),
    (999, [Fraction(1, 3), Fraction(2, 3)], [333, 666]),
    (10, [0, 1], [0, 10]),                       # a zero weight pays nothing
])
def test_split_by_largest_remainder(total, weights, parts):
    assert shares.split(total, weights) == parts
    assert sum(parts) == total


@pytest.mark.parametrize("weights", [[], [0, 0], [1, -1]])
def test_a_split_needs_positive_weights(weights):
    with pytest.raises(ShareError):
        shares.split(100, weights)


@pytest.mark.parametrize(("yuan", "fen"), [
    ("12.34", 1234), ("0", 0), ("100", 10000), ("0.1", 10), (Decimal("7.5"), 750),
])
def test_to_fen(yuan, fen):
    assert shares.to_fen(yuan) == fen and shares.to_yuan(fen) == Decimal(fen) / 100


@pytest.mark.parametrize("yuan", ["1.234", "-1", "abc", "NaN", "Infinity"])
def test_to_fen_refuses(yuan):
    with pytest.raises(ShareError):
        shares.to_fen(yuan)


def test_three_shares_of_seed_001():
    """Policy funds a fixed ¥50,000; the rest half from the committee's income, half from the owners."""
    budget = shares.to_fen("120000.01")
    parts = shares.split_sources(budget, [
        Source("政策资金", fixed_fen=shares.to_fen("50000")),
        Source("业委会收益", fraction=Fraction(1, 2)),
        Source("受益业主", fraction=Fraction(1, 2), beneficiaries=True),
    ])
    assert parts == [5000000, 3500001, 3500000] and sum(parts) == budget


@pytest.mark.parametrize(("budget", "sources", "code"), [
    (100, [], "no_sources"),
    (100, [Source("a", fixed_fen=150)], "fixed_over_budget"),
    (100, [Source("a", fixed_fen=50)], "budget_not_covered"),
    (100, [Source("a", fraction=Fraction(1, 2)), Source("b", fraction=Fraction(1, 3))], "fractions_invalid"),
    (100, [Source("a", fraction=None)], "fractions_invalid"),
])
def test_sources_that_do_not_add_up_are_refused(budget, sources, code):
    with pytest.raises(ShareError) as refused:
        shares.split_sources(budget, sources)
    assert refused.value.code == code and refused.value.message_zh


def test_owners_share_per_household_and_per_area():
    assert shares.split_among_owners(10000, [80, 80, 80], PER_HOUSEHOLD) == [3334, 3333, 3333]
    # 2683.33…, 4008.33…, 3308.33…: one fen left over, to the first of the equal remainders
    assert shares.split_among_owners(10000, ["80.50", "120.25", "99.25"], PER_AREA) == [2684, 4008, 3308]
    with pytest.raises(ShareError):
        shares.split_among_owners(100, [80, None], PER_AREA)
    with pytest.raises(ShareError):
        shares.split_among_owners(100, [80], "by_floor")


weights = st.lists(st.decimals(min_value=0, max_value=100000, places=2, allow_nan=False, allow_infinity=False),
                   min_size=1, max_size=60).filter(lambda ws: sum(ws) > 0)


@given(total=st.integers(min_value=0, max_value=10**11), weights=weights)
def test_a_split_always_sums_to_the_whole_and_is_within_a_fen_of_exact(total, weights):
    parts = shares.split(total, weights)
    assert sum(parts) == total and all(p >= 0 for p in parts)
    whole = sum(Fraction(str(w)) for w in weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * Fraction(str(weight)) / whole) < 1
