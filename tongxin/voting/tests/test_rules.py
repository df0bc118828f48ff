"""The rules on worked examples, boundaries included (exactly 2/3, exactly 3/4, exactly half)."""

from decimal import Decimal as D
from fractions import Fraction

import pytest

from tongxin.voting import rules
from tongxin.voting.rules import ABSTAIN, AGREE, DISAGREE, CastBallot, Unit


# --- area and headcount ------------------------------------------------------------------
@pytest.mark.parametrize(("register", "survey", "contract", "expected"), [
    (D("90.12"), D("91"), D("95"), (D("90.12"), "register")),
    (None, D("91"), D("95"), (D("91"), "survey")),
    (None, None, D("95"), (D("95"), "contract")),
    (D("0"), None, D("95"), (D("95"), "contract")),  # a zero in the register is no figure
    (None, None, None, None),
])
def test_area_comes_from_the_best_source(register, survey, contract, expected):
    assert rules.unit_area(register, survey, contract) == expected


def _unit(pk, owner, area="100", status=rules.DELIVERED, **extra):
    return Unit(unit_id=pk, status=status, owner_key=owner, register_area=D(area), **extra)


@pytest.mark.parametrize(("units", "expected"), [
    # one unit, one owner
    ([_unit(1, "p:1"), _unit(2, "p:2")], {"p:1": (D("100"), [1]), "p:2": (D("100"), [2])}),
    # an owner with three units counts once, areas add
    ([_unit(1, "p:1", "80"), _unit(2, "p:1", "90.5"), _unit(3, "p:1", "120"), _unit(4, "p:2")],
     {"p:1": (D("290.5"), [1, 2, 3]), "p:2": (D("100"), [4])}),
    # unsold and sold-undelivered units count as ONE owner, the developer, whoever bought them
    ([_unit(1, None, status=rules.UNSOLD), _unit(2, "p:9", status=rules.SOLD_UNDELIVERED),
      _unit(3, None, status=rules.UNSOLD), _unit(4, "p:9")],
     {"developer": (D("300"), [1, 2, 3]), "p:9": (D("100"), [4])}),
    # co-owners of one unit: the unit names one voter key, so one owner
    ([_unit(1, "p:5")], {"p:5": (D("100"), [1])}),
])
def test_headcount(units, expected):
    found = {owner.key: (owner.area, owner.unit_ids) for owner in rules.count_owners(units)}
    assert found == expected


def test_a_delivered_unit_without_a_voter_is_refused():
    with pytest.raises(rules.RuleError) as refused:
        rules.count_owners([_unit(1, None)])
    assert refused.value.code == "unit_no_owner"


# --- art. 278 ----------------------------------------------------------------------------
def _ballots(*spec):
    """("agree", area) ...: one ballot each."""
    return [CastBallot(area=D(str(area)), choice=choice) for choice, area in spec]


def _codes(outcome):
    return {check.code: check.passed for check in outcome.checks}


# 9 owners holding 900㎡ (100㎡ each) unless said otherwise.
CASES = [
    # (name, item, total_area, total_heads, ballots, expected per check, passed)
    ("exactly 2/3 take part, all agree", 4, 900, 9, _ballots(*[(AGREE, 100)] * 6),
     {"participation_area": True, "participation_heads": True, "approval_area": True, "approval_heads": True}, True),
    ("one short of 2/3 by head", 4, 900, 9, _ballots(*[(AGREE, 100)] * 5, (AGREE, 101)),
     {"participation_area": True, "participation_heads": True}, True),
    ("5 of 9 by head: below 2/3", 4, 900, 9, _ballots(*[(AGREE, 120)] * 5),
     {"participation_area": True, "participation_heads": False}, False),
    ("area 599.99 of 900: just below 2/3", 4, 900, 9,
     _ballots(*[(AGREE, 100)] * 5, (AGREE, "99.99")), {"participation_area": False}, False),
    ("abstentions take part", 4, 900, 9, _ballots(*[(AGREE, 100)] * 4, *[(ABSTAIN, 100)] * 2),
     {"participation_area": True, "participation_heads": True, "approval_area": True, "approval_heads": True}, True),
    ("exactly half is not 过半数", 4, 900, 9, _ballots(*[(AGREE, 100)] * 3, *[(DISAGREE, 100)] * 3),
     {"approval_area": False, "approval_heads": False}, False),
    ("half the heads but more area", 1, 900, 9,
     _ballots(*[(AGREE, 110)] * 3, *[(DISAGREE, 100)] * 3), {"approval_area": True, "approval_heads": False}, False),
    ("abstentions count against a majority", 5, 900, 9,
     _ballots(*[(AGREE, 100)] * 3, (DISAGREE, 100), *[(ABSTAIN, 100)] * 2), {"approval_heads": False}, False),
    ("item 7: exactly 3/4 of participants passes", 7, 800, 8, _ballots(*[(AGREE, 100)] * 6, *[(DISAGREE, 100)] * 2),
     {"approval_area": True, "approval_heads": True}, True),
    ("item 6: just below 3/4 by area", 6, 800, 8,
     _ballots(*[(AGREE, 100)] * 5, (AGREE, "99.99"), (DISAGREE, 100), (DISAGREE, "100.01")),
     {"approval_area": False, "approval_heads": True}, False),
    ("item 8: 3/4 needs the participating, not all owners", 8, 1200, 12,
     _ballots(*[(AGREE, 100)] * 6, *[(DISAGREE, 100)] * 2),
     {"participation_heads": True, "approval_heads": True}, True),
    ("nobody voted", 4, 900, 9, [], {"participation_area": False, "approval_heads": False}, False),
]


@pytest.mark.parametrize(("name", "item", "total_area", "total_heads", "ballots", "expected", "passed"), CASES,
                         ids=[case[0] for case in CASES])
def test_article_278(name, item, total_area, total_heads, ballots, expected, passed):
    outcome = rules.decide(item, total_area=D(total_area), total_heads=total_heads, ballots=ballots)
    got = _codes(outcome)
    assert {code: got[code] for code in expected} == expected
    assert outcome.passed is passed


def test_the_developer_and_a_three_unit_buyer_in_one_worked_example():
    """10 units of 100㎡: 3 unsold + 1 sold undelivered (the developer: 1 owner, 400㎡), one buyer
    of 3 units (300㎡), 3 single owners: 5 owners, 1,000㎡. The developer and the buyer agree,
    nobody else votes: 700㎡ (≥ 2/3) but 2 of 5 heads (< 2/3): not passed."""
    units = [_unit(n, None, status=rules.UNSOLD) for n in (1, 2, 3)]
    units += [_unit(4, "p:1", status=rules.SOLD_UNDELIVERED)]
    units += [_unit(n, "p:2") for n in (5, 6, 7)] + [_unit(n, f"p:{n}") for n in (8, 9, 10)]
    owners = rules.count_owners(units)
    assert len(owners) == 5 and sum(owner.area for owner in owners) == D(1000)
    carried = {owner.key: owner.area for owner in owners}
    ballots = [CastBallot(area=carried["developer"], choice=AGREE), CastBallot(area=carried["p:2"], choice=AGREE)]
    outcome = rules.decide(4, total_area=D(1000), total_heads=5, ballots=ballots)
    assert _codes(outcome) == {"participation_area": True, "participation_heads": False,
                               "approval_area": True, "approval_heads": True}
    assert not outcome.passed
    assert "人数" in outcome.summary_zh and "三分之二" in outcome.summary_zh


def test_the_explanation_reads_like_the_notice():
    ballots = _ballots((AGREE, "8123.40"))
    outcome = rules.decide(4, total_area=D("10000"), total_heads=1, ballots=ballots)
    area = outcome.checks[0]
    assert area.zh == "参与表决的专有部分面积 8,123.40㎡，占总面积 10,000.00㎡ 的 81.2%，达到三分之二以上"
    assert "81.2%" in area.en and "passed" in area.en
    approval = outcome.checks[2]
    assert approval.zh.endswith("达到过半数")


@pytest.mark.parametrize(("value", "of", "text"), [
    (2, 3, "66.6%"), (1, 1, "100.0%"), (0, 5, "0.0%"), (Fraction(8123, 10), 1000, "81.2%"), (1, 0, "0.0%"),
])
def test_percent_rounds_down(value, of, text):
    assert rules.percent(Fraction(value), Fraction(of)) == text


def test_an_unknown_item_is_refused():
    with pytest.raises(rules.RuleError):
        rules.approval_needed(10)


# --- the "two 2/3" local rule --------------------------------------------------------------
def _two(choice, how, area=100, households=1):
    return CastBallot(area=D(area), choice=choice, how=how, households=households)


TWO_THIRDS_CASES = [
    # 6 owners, 600㎡, 9 households (one owner holds 4 units)
    ("all agree both", rules.BY_HOUSEHOLD, [_two(AGREE, AGREE, households=4)] + [_two(AGREE, AGREE)] * 5,
     {"local_whether": True, "local_how": True}, True),
    ("exactly 6 of 9 households agree how", rules.BY_HOUSEHOLD,
     [_two(AGREE, AGREE, households=4), _two(AGREE, AGREE), _two(AGREE, AGREE), _two(AGREE, DISAGREE),
      _two(AGREE, DISAGREE), _two(AGREE, DISAGREE)],
     {"local_whether": True, "local_how": True, "how_approval_heads": False}, False),
    ("5 of 9 households agree how: the local rule fails though art. 278 passes", rules.BY_HOUSEHOLD,
     [_two(AGREE, DISAGREE, households=4)] + [_two(AGREE, AGREE)] * 5,
     {"local_whether": True, "local_how": False, "how_approval_heads": True, "how_approval_area": True}, False),
    ("counted by owner: 5 of 6 owners agree how", rules.BY_OWNER,
     [_two(AGREE, DISAGREE, households=4)] + [_two(AGREE, AGREE)] * 5,
     {"local_whether": True, "local_how": True}, True),
    ("the local rule never lowers art. 278: 4 of 6 by head agree whether (2/3) but item 7 needs 3/4",
     rules.BY_OWNER, [_two(AGREE, AGREE, households=4), *[_two(AGREE, AGREE)] * 3, *[_two(DISAGREE, AGREE)] * 2],
     {"local_whether": True, "whether_approval_heads": False}, False),
]


@pytest.mark.parametrize(("name", "count_by", "ballots", "expected", "passed"), TWO_THIRDS_CASES,
                         ids=[case[0] for case in TWO_THIRDS_CASES])
def test_two_thirds(name, count_by, ballots, expected, passed):
    outcome = rules.decide(7, total_area=D(600), total_heads=6, ballots=ballots, two_thirds=True,
                           count_by=count_by, total_households=9)
    got = _codes(outcome)
    assert {code: got[code] for code in expected} == expected
    assert outcome.passed is passed


# --- elections ---------------------------------------------------------------------------
def test_an_election_elects_the_top_n_that_pass():
    # 10 owners, 1,000㎡, all vote; 3 seats; candidates 1..5
    picks = [(1, 2, 3)] * 4 + [(1, 2, 4)] * 3 + [(1, 5)] * 2 + [(4,)]
    ballots = [CastBallot(area=D(100), picks=p) for p in picks]
    outcome = rules.elect(3, total_area=D(1000), total_heads=10, ballots=ballots, candidates=[1, 2, 3, 4, 5],
                          seats=3)
    rows = {row["candidate"]: row for row in outcome.candidates}
    assert rows[1]["heads"] == 9 and rows[2]["heads"] == 7 and rows[3]["heads"] == 4 and rows[4]["heads"] == 4
    # 3 and 4 have 4 of 10: not more than half, so only two seats filled
    assert outcome.elected == [1, 2] and outcome.passed
    assert not rows[3]["approved"] and not rows[4]["approved"]


def test_an_election_tie_for_the_last_seat_elects_neither():
    picks = [(1, 2)] * 3 + [(1, 3)] * 3 + [(2, 3)] * 2  # 1: 6 of 8; 2 and 3: 5 of 8 each, tied
    ballots = [CastBallot(area=D(100), picks=p) for p in picks]
    outcome = rules.elect(3, total_area=D(800), total_heads=8, ballots=ballots, candidates=[1, 2, 3], seats=2)
    assert outcome.elected == [1]
    assert "另行选举" in outcome.summary_zh


def test_an_election_without_quorum_is_void():
    ballots = [CastBallot(area=D(100), picks=(1,))] * 3
    outcome = rules.elect(3, total_area=D(1000), total_heads=10, ballots=ballots, candidates=[1], seats=1)
    assert not outcome.passed and outcome.elected == []
    assert outcome.summary_zh.startswith("选举无效")


# --- re-tallying the published list ---------------------------------------------------------
def test_the_published_list_retallies():
    ballots = [_two(AGREE, AGREE, "90.5", 2), _two(AGREE, DISAGREE, "77.25"), _two(ABSTAIN, ABSTAIN, "143.27")]
    outcome = rules.decide(7, total_area=D(400), total_heads=4, ballots=ballots, two_thirds=True, total_households=5)
    area, homes = rules.published_totals(ballots)
    lines = [{"receipt": f"r{n}", "choice": ballot.choice, "how": ballot.how} for n, ballot in enumerate(ballots)]
    again = rules.retally_from_published(lines, area, homes, item=7, total_area=D(400), total_heads=4,
                                         two_thirds=True, total_households=5)
    assert again.as_dict() == outcome.as_dict()
