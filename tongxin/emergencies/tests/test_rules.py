import pytest

from tongxin.emergencies import rules


@pytest.mark.parametrize("rows, expected", [
    # (name, needs_help, reached, vulnerable, path, unit)
    ([("a", False, False, False, "1", "101"), ("b", False, False, True, "1", "201")], ["b", "a"]),
    ([("a", False, True, True, "1", "101"), ("b", False, False, False, "1", "201")], ["b", "a"]),
    ([("a", False, False, True, "1", "101"), ("b", True, True, False, "1", "201")], ["b", "a"]),
    ([("a", False, False, False, "2", "101"), ("b", False, False, False, "1", "901")], ["b", "a"]),
    ([("a", False, False, False, "1", "1001"), ("b", False, False, False, "1", "901")], ["b", "a"]),
])
def test_the_board_order(rows, expected):
    ordered = sorted(rows, key=lambda r: rules.order_key(needs_help=r[1], reached=r[2], vulnerable=r[3],
                                                         path=r[4], unit=r[5]))
    assert [r[0] for r in ordered] == expected


def test_staff_cannot_claim_a_household_confirmed_itself():
    assert rules.SELF not in rules.STAFF_WAYS
