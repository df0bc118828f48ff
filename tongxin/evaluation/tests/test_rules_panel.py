"""The award panel's verdict and the dashboard's change, by table."""

from decimal import Decimal

import pytest

from tongxin.evaluation.rules import change, panel_verdict, side_score


@pytest.mark.parametrize(("approvals", "declines", "size", "expected"), [
    (0, 0, 1, "pending"),
    (1, 0, 1, "approved"),     # a panel of one: its member decides
    (0, 1, 1, "declined"),
    (1, 0, 2, "pending"),      # half is not more than half
    (2, 0, 2, "approved"),
    (1, 1, 2, "declined"),     # 2 of 2 can no longer approve
    (2, 0, 3, "approved"),     # 2 of 3 is more than half
    (1, 1, 3, "pending"),
    (1, 2, 3, "declined"),
    (2, 1, 3, "approved"),
    (2, 2, 5, "pending"),
    (3, 0, 5, "approved"),
    (2, 3, 5, "declined"),
    (2, 1, 4, "pending"),      # 2 of 4 is half: not enough
    (3, 1, 4, "approved"),
    (1, 2, 4, "declined"),     # at most 2 of 4 more: never more than half
])
def test_panel_verdict(approvals, declines, size, expected):
    assert panel_verdict(approvals, declines, size) == expected


@pytest.mark.parametrize(("approvals", "declines", "size"), [(0, 0, 0), (2, 0, 1), (1, 1, 1), (-1, 0, 3)])
def test_reviews_that_do_not_fit_the_panel_are_a_bug(approvals, declines, size):
    with pytest.raises(ValueError):
        panel_verdict(approvals, declines, size)


@pytest.mark.parametrize(("latest", "previous", "expected"), [
    (Decimal("4.20"), Decimal("3.90"), Decimal("0.30")),
    (Decimal("3.50"), Decimal("4.00"), Decimal("-0.50")),
    (Decimal("4.20"), None, None),
    (None, Decimal("4.20"), None),
])
def test_change(latest, previous, expected):
    assert change(latest, previous) == expected


@pytest.mark.parametrize(("means", "expected"), [
    ([], None),
    ([None], None),
    ([Decimal(10) / 3, None], Decimal("3.33")),
    ([Decimal("4.5"), Decimal("3.25")], Decimal("3.88")),  # 3.25 and 4.50: 3.875 half up
])
def test_side_score(means, expected):
    assert side_score(means) == expected
