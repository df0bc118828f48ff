"""Relief rules, pure (``tests/test_rules.py``): who is eligible, stock arithmetic, the
distribution's states, and the recipient's confirmation (a code or a drawn signature)."""

from __future__ import annotations

import base64
import binascii

from tongxin.core.errors import RefusedError

DRAFT, OPEN, CLOSED = "draft", "open", "closed"
#: How the recipient confirmed: a code sent to the household, or a signature drawn on the phone.
CODE, SIGNATURE = "code", "signature"
#: action -> (states it may start from, state it leads to).
TRANSITIONS = {
    "open": ({DRAFT}, OPEN),
    "close": ({OPEN}, CLOSED),
}
#: The person tags an eligibility rule may name: the registers' hardship and care rolls.
RULE_TAGS = ("low_income", "special_hardship", "five_guarantee", "elderly_alone", "disabled", "empty_nest",
             "serious_illness")
CODE_MINUTES = 15
PNG_PREFIX = "data:image/png;base64,"
#: A phone-drawn signature as PNG is a few kilobytes; anything past this is not one.
MAX_SIGNATURE_BYTES = 200_000


def _refuse(code: str, zh: str, en: str):
    raise RefusedError(code, zh, en)


def eligible(rule_tags, member_tags, *, added_by_hand: bool) -> bool:
    """A household is eligible when added by hand, or when a current member living there
    carries any of the rule's tags (``member_tags``: the tags of those members)."""
    return added_by_hand or bool(set(rule_tags) & set(member_tags))


def clean_tags(tags) -> list[str]:
    """The rule's tags, known ones only, in a stable order."""
    chosen = set(tags)
    unknown = chosen - set(RULE_TAGS)
    if unknown:
        _refuse("rule_tag_unknown", "资格条件里有未知的类别", "The rule names an unknown category")
    return [tag for tag in RULE_TAGS if tag in chosen]


def remaining(stock: int, handed_out: int) -> int:
    """What is left on the shelf (never below zero)."""
    return max(stock - handed_out, 0)


def check_stock(name: str, stock: int, handed_out: int, per_household: int) -> None:
    """Refuse a hand-over the shelf cannot cover."""
    if per_household > remaining(stock, handed_out):
        _refuse("stock_out", f"{name}库存不足，请先补充库存", f"Not enough {name} left: add stock first")


def next_state(state: str, action: str) -> str:
    if action not in TRANSITIONS:
        raise ValueError(action)
    allowed, to = TRANSITIONS[action]
    if state not in allowed:
        _refuse("distribution_state", "这次发放的状态不允许这样操作", "The distribution is not in a state for that")
    return to


def check_code_format(code: str) -> str:
    code = (code or "").strip()
    if len(code) != 6 or not code.isdigit():
        _refuse("code_format", "确认码是 6 位数字", "The code has 6 digits")
    return code


def check_signature(data_url: str) -> str:
    """A drawn signature: a PNG data URL of reasonable size, or a refusal."""
    data_url = (data_url or "").strip()
    if not data_url.startswith(PNG_PREFIX):
        _refuse("signature_missing", "请领取人在屏幕上签名", "The recipient must sign on the screen")
    try:
        raw = base64.b64decode(data_url[len(PNG_PREFIX):], validate=True)
    except (binascii.Error, ValueError):
        _refuse("signature_invalid", "签名无法识别，请重新签", "The signature could not be read; sign again")
    if not raw.startswith(b"\x89PNG\r\n\x1a\n") or len(raw) > MAX_SIGNATURE_BYTES:
        _refuse("signature_invalid", "签名无法识别，请重新签", "The signature could not be read; sign again")
    return data_url
