"""The relief rules, table-driven."""

import base64

import pytest

from tongxin.core.errors import RefusedError
from tongxin.relief import rules

PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 20).decode()


@pytest.mark.parametrize("rule, tags, by_hand, expected", [
    (["low_income"], {"low_income"}, False, True),
    (["low_income", "elderly_alone"], {"elderly_alone", "party_member"}, False, True),
    (["low_income"], {"party_member"}, False, False),
    (["low_income"], set(), True, True),
    ([], {"low_income"}, False, False),
    ([], set(), False, False),
])
def test_eligible(rule, tags, by_hand, expected):
    assert rules.eligible(rule, tags, added_by_hand=by_hand) is expected


def test_clean_tags_keeps_known_ones_in_order_and_refuses_others():
    assert rules.clean_tags(["elderly_alone", "low_income", "low_income"]) == ["low_income", "elderly_alone"]
    with pytest.raises(RefusedError) as refused:
        rules.clean_tags(["party_member"])  # not a hardship roll: not a relief rule
    assert refused.value.code == "rule_tag_unknown"


@pytest.mark.parametrize("stock, handed, per, left, refused", [
    (10, 0, 1, 10, False),
    (10, 9, 1, 1, False),
    (10, 10, 1, 0, True),
    (10, 9, 2, 1, True),
    (0, 0, 1, 0, True),
    (5, 7, 1, 0, True),  # never below zero
])
def test_stock(stock, handed, per, left, refused):
    assert rules.remaining(stock, handed) == left
    if refused:
        with pytest.raises(RefusedError) as error:
            rules.check_stock("棉被", stock, handed, per)
        assert error.value.code == "stock_out"
    else:
        rules.check_stock("棉被", stock, handed, per)


@pytest.mark.parametrize("state, action, to", [
    ("draft", "open", "open"), ("open", "close", "closed"), ("draft", "close", None), ("closed", "open", None),
    ("open", "open", None),
])
def test_next_state(state, action, to):
    if to is None:
        with pytest.raises(RefusedError):
            rules.next_state(state, action)
    else:
        assert rules.next_state(state, action) == to


@pytest.mark.parametrize("code, ok", [("123456", True), (" 012345 ", True), ("12345", False), ("12345a", False),
                                      ("", False), ("1234567", False)])
def test_code_format(code, ok):
    if ok:
        assert rules.check_code_format(code) == code.strip()
    else:
        with pytest.raises(RefusedError):
            rules.check_code_format(code)


@pytest.mark.parametrize("value, code", [
    ("data:image/png;base64," + PNG, None),
    ("", "signature_missing"),
    ("data:image/jpeg;base64," + PNG, "signature_missing"),
    ("data:image/png;base64,not base64!", "signature_invalid"),
    ("data:image/png;base64," + base64.b64encode(b"GIF89a....").decode(), "signature_invalid"),
    ("data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 300_000).decode(),
     "signature_invalid"),
])
def test_signature(value, code):
    if code is None:
        assert rules.check_signature(value) == value
    else:
        with pytest.raises(RefusedError) as refused:
            rules.check_signature(value)
        assert refused.value.code == code
