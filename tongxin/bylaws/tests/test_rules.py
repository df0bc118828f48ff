"""The rules, pure: where a rule may be kept, what a version may cite, which version is in force,
and the difference between two versions."""

import datetime

import pytest

from tongxin.bylaws import rules
from tongxin.core.errors import RefusedError

COMPOUND, BUILDING, COMMUNITY, OTHER = "0001000100010001", "00010001000100010001", "000100010001", "0001000100010002"


@pytest.mark.parametrize(("kind", "place_kind", "refusal"), [
    ("rules_of_procedure", "compound", None),
    ("rules_of_procedure", "community", None),
    ("fee_standard", "village", None),
    ("management_rules", "compound", None),
    ("management_rules", "community", "bylaw_place"),      # the owners' rules are a compound's
    ("village_rules", "village", None),
    ("village_rules", "compound", "bylaw_place"),
    ("residents_convention", "village", "bylaw_place"),
    ("rules_of_procedure", "building", "bylaw_place"),
    ("nonsense", "compound", "bylaw_kind"),
])
def test_where_a_rule_is_kept(kind, place_kind, refusal):
    if refusal is None:
        rules.check_place(kind, place_kind)
    else:
        with pytest.raises(RefusedError) as refused:
            rules.check_place(kind, place_kind)
        assert refused.value.code == refusal


VOTE = {"decision_state": "closed", "decision_passed": True}


@pytest.mark.parametrize(("cited", "refusal"), [
    ({}, "version_basis"),
    ({"basis": "   "}, "version_basis"),
    ({"basis": "2026年3月居民会议表决通过"}, None),
    ({**VOTE, "decision_path": COMPOUND}, None),                    # the compound's own vote
    ({**VOTE, "decision_path": COMMUNITY}, None),                   # a place above it
    ({**VOTE, "decision_path": BUILDING}, "decision_wrong_place"),  # a building cannot change the compound's rules
    ({**VOTE, "decision_path": OTHER}, "decision_wrong_place"),     # another compound
    ({**VOTE, "decision_path": None}, "decision_wrong_place"),
    ({"decision_state": "open", "decision_passed": None, "decision_path": COMPOUND}, "decision_not_passed"),
    ({"decision_state": "closed", "decision_passed": False, "decision_path": COMPOUND}, "decision_not_passed"),
    ({"decision_state": "draft", "decision_path": COMPOUND, "basis": "x"}, "decision_not_passed"),  # basis no cover
    ({"matter_state": "published", "matter_path": COMMUNITY}, None),
    ({"matter_state": "resolved", "matter_path": COMPOUND}, None),
    ({"matter_state": "reviewed", "matter_path": COMMUNITY}, "matter_not_resolved"),
    ({"matter_state": "rejected", "matter_path": COMMUNITY}, "matter_not_resolved"),
    ({"matter_state": "completed", "matter_path": OTHER}, "matter_wrong_place"),
    ({"consultation_state": "decided", "consultation_path": COMPOUND}, None),
    ({"consultation_state": "decided", "consultation_path": COMPOUND, "consultation_vote_passed": True}, None),
    ({"consultation_state": "decided", "consultation_path": COMPOUND, "consultation_vote_passed": False},
     "consultation_not_decided"),
    ({"consultation_state": "discussing", "consultation_path": COMPOUND}, "consultation_not_decided"),
    ({"consultation_state": "decided", "consultation_path": BUILDING}, "consultation_wrong_place"),
])
def test_what_a_version_may_cite(cited, refusal):
    found = rules.Cited(place_path=COMPOUND, **{"basis": "", **cited})
    if refusal is None:
        rules.check_citation(found)
    else:
        with pytest.raises(RefusedError) as refused:
            rules.check_citation(found)
        assert refused.value.code == refusal


D = datetime.date
TODAY = D(2026, 5, 1)


@pytest.mark.parametrize(("versions", "expected"), [
    ([], (None, None)),
    ([(1, D(2026, 1, 1), False)], (None, None)),                         # a draft is in force nowhere
    ([(1, D(2026, 1, 1), True)], (1, None)),
    ([(1, D(2026, 5, 1), True)], (1, None)),                             # from the day it takes effect
    ([(1, D(2026, 1, 1), True), (2, D(2026, 6, 1), True)], (1, 2)),       # v2 published, not yet in force
    ([(1, D(2026, 1, 1), True), (2, D(2026, 3, 1), True)], (2, None)),
    ([(1, D(2026, 1, 1), True), (2, D(2026, 3, 1), True), (3, D(2026, 9, 1), False)], (2, None)),
    ([(1, D(2026, 7, 1), True)], (None, 1)),
    # v2 was to take effect later but v3 already replaced it: v3 is in force, v2 never will be.
    ([(1, D(2026, 1, 1), True), (2, D(2026, 9, 1), True), (3, D(2026, 4, 1), True)], (3, None)),
])
def test_the_version_in_force(versions, expected):
    assert rules.in_force([rules.Dated(*v) for v in versions], TODAY) == expected


def _rebuilt(pieces, side):
    return "".join(p.text for p in pieces if p.op in ("same", side))


@pytest.mark.parametrize(("old", "new"), [
    ("第一条 物业费每平方米1.20元。\n第二条 停车费150元。", "第一条 物业费每平方米1.35元。\n第二条 停车费150元。"),
    ("一、\n二、\n", "一、\n一之二、\n二、\n"),
    ("", "全新"),
    ("删掉", ""),
    ("same\n", "same\n"),
    ("<script>alert(1)</script>", "<b>x</b> & <i>"),
])
def test_a_diff_rebuilds_both_versions(old, new):
    pieces = rules.diff(old, new)
    assert _rebuilt(pieces, "del") == old and _rebuilt(pieces, "ins") == new
    assert rules.changed(pieces) == (old != new)


def test_a_changed_amount_shows_as_the_changed_characters():
    pieces = rules.diff("物业费每月每平方米1.20元。", "物业费每月每平方米1.35元。")
    assert [(p.op, p.text) for p in pieces if p.op != "same"] == [("del", "20"), ("ins", "35")]


def test_an_added_line_is_inserted_whole():
    pieces = rules.diff("第一条\n第二条\n", "第一条\n第一条之一\n第二条\n")
    assert [(p.op, p.text) for p in pieces if p.op != "same"] == [("ins", "第一条之一\n")]


@pytest.mark.parametrize(("text", "refusal"), [("", "version_text"), ("  \n ", "version_text"),
                                                ("x" * 50_001, "version_too_long")])
def test_text_refusals(text, refusal):
    with pytest.raises(RefusedError) as refused:
        rules.check_text(text)
    assert refused.value.code == refusal


def test_text_is_trimmed_and_line_ends_unified():
    assert rules.check_text(" 第一条 \r\n第二条  \r\n") == "第一条\n第二条"
