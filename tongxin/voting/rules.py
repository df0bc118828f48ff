"""Pure rules of owners' decisions (no database): who counts as an owner and with what area,
and whether a decision passed, explained threshold by threshold. ``docs/voting.md``.

Law: Civil Code art. 278 (2021) and the SPC Interpretation on building differentiated
ownership (法释〔2009〕7号, amended 2020), arts. 8–9. Every figure is an exact Fraction or
Decimal: 2/3 of 9,000㎡ is 6,000㎡, not 5,999.999….
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal
from fractions import Fraction

# --- art. 278's items --------------------------------------------------------------------
#: (number, Chinese, English). Items 6–8 need 3/4 of the participants; the others > 1/2.
ITEMS = (
    (1, "制定和修改业主大会议事规则", "Make or amend the rules of procedure of the owners' assembly"),
    (2, "制定和修改管理规约", "Make or amend the management statute"),
    (3, "选举业主委员会或者更换业主委员会成员", "Elect the owners' committee or replace its members"),
    (4, "选聘和解聘物业服务企业或者其他管理人", "Hire or dismiss the property company or another manager"),
    (5, "使用建筑物及其附属设施的维修资金", "Use the maintenance fund"),
    (6, "筹集建筑物及其附属设施的维修资金", "Raise the maintenance fund"),
    (7, "改建、重建建筑物及其附属设施", "Renovate or rebuild the buildings or their facilities"),
    (8, "改变共有部分的用途或者利用共有部分从事经营活动",
     "Change the use of common parts or use them for business"),
    (9, "有关共有和共同管理权利的其他重大事项", "Other major matters of common ownership and management"),
)
SPECIAL_ITEMS = frozenset({6, 7, 8})
ELECTION_ITEM = 3

TWO_THIRDS, THREE_QUARTERS, HALF = Fraction(2, 3), Fraction(3, 4), Fraction(1, 2)

# --- areas and headcount (SPC Interpretation arts. 8–9) -----------------------------------
REGISTER, SURVEY, CONTRACT = "register", "survey", "contract"
UNSOLD, SOLD_UNDELIVERED, DELIVERED = "unsold", "sold_undelivered", "delivered"
DEVELOPER_KEY = "developer"

AGREE, DISAGREE, ABSTAIN = "agree", "disagree", "abstain"
CHOICES = (AGREE, DISAGREE, ABSTAIN)
BY_HOUSEHOLD, BY_OWNER = "household", "owner"


def unit_area(register: Decimal | None, survey: Decimal | None,
              contract: Decimal | None) -> tuple[Decimal, str] | None:
    """Art. 8: the area in the property register; none yet, the survey; none, the sale contract."""
    for value, source in ((register, REGISTER), (survey, SURVEY), (contract, CONTRACT)):
        if value is not None and value > 0:
            return Decimal(value), source
    return None


@dataclass(frozen=True)
class Unit:
    """One exclusive unit as the rules see it: its area by source, its status, its voter's key
    (the one co-owner named to vote; several units of one buyer share the key)."""

    unit_id: int
    status: str
    owner_key: str | None
    register_area: Decimal | None = None
    survey_area: Decimal | None = None
    contract_area: Decimal | None = None
    developer_key: str = DEVELOPER_KEY


@dataclass
class Owner:
    """One counted owner (a frozen voter): the area they carry and their units."""

    key: str
    area: Decimal = Decimal(0)
    unit_ids: list[int] = field(default_factory=list)
    is_developer: bool = False


class RuleError(ValueError):
    def __init__(self, code: str, message_zh: str, message_en: str):
        super().__init__(message_en)
        self.code, self.message_zh, self.message_en = code, message_zh, message_en


def count_owners(units: Iterable[Unit]) -> list[Owner]:
    """Art. 9: one unit, one owner; but the developer's unsold and sold-undelivered units count
    as one owner (the developer), and one buyer of several units counts once (areas add)."""
    found: dict[str, Owner] = {}
    for unit in units:
        measured = unit_area(unit.register_area, unit.survey_area, unit.contract_area)
        if measured is None:
            raise RuleError("unit_no_area", f"专有部分 {unit.unit_id} 没有面积", f"Unit {unit.unit_id} has no area")
        developer = unit.status != DELIVERED
        key = unit.developer_key if developer else unit.owner_key
        if not key:
            raise RuleError("unit_no_owner", f"专有部分 {unit.unit_id} 没有指定表决的业主",
                            f"Unit {unit.unit_id} names no voting owner")
        owner = found.setdefault(key, Owner(key=key, is_developer=developer))
        owner.area += measured[0]
        owner.unit_ids.append(unit.unit_id)
    return sorted(found.values(), key=lambda owner: owner.key)


# --- thresholds --------------------------------------------------------------------------
@dataclass(frozen=True)
class Check:
    """One threshold: ``value / of`` compared with ``needed`` (≥ if ``inclusive``, else >)."""

    code: str
    value: Fraction
    of: Fraction
    needed: Fraction
    inclusive: bool
    unit: str  # "area" (㎡), "heads" (owners) or "households"
    zh: str = ""
    en: str = ""

    @property
    def passed(self) -> bool:
        if self.of == 0:
            return False
        share = self.value / self.of
        return share >= self.needed if self.inclusive else share > self.needed

    def as_dict(self) -> dict:
        return {"code": self.code, "value": str(self.value), "of": str(self.of), "needed": str(self.needed),
                "inclusive": self.inclusive, "unit": self.unit, "passed": self.passed,
                "value_text": _amount(self.value, self.unit), "of_text": _amount(self.of, self.unit),
                "percent": percent(self.value, self.of), "needed_zh": _needed_zh(self),
                "zh": self.zh, "en": self.en}


FRACTION_ZH = {TWO_THIRDS: "三分之二", THREE_QUARTERS: "四分之三", HALF: "二分之一"}
FRACTION_EN = {TWO_THIRDS: "two thirds", THREE_QUARTERS: "three quarters", HALF: "half"}


def percent(value: Fraction, of: Fraction) -> str:
    """A share as "81.2%", rounded DOWN so that 2/3 − ε never reads as 66.7%."""
    if of == 0:
        return "0.0%"
    share = Fraction(value) / Fraction(of) * 100
    text = Decimal(share.numerator) / Decimal(share.denominator)
    return f"{text.quantize(Decimal('0.1'), rounding=ROUND_FLOOR)}%"


def _amount(value: Fraction, unit: str) -> str:
    if unit == "area":
        exact = Decimal(value.numerator) / Decimal(value.denominator)
        return f"{exact.quantize(Decimal('0.01')):,}㎡"
    return f"{int(value)}"


def _needed_zh(check: Check) -> str:
    name = FRACTION_ZH[check.needed]
    if check.needed == HALF:
        return "过半数" if not check.inclusive else "二分之一以上"
    return f"{name}以上" if check.inclusive else f"超过{name}"


WHAT_ZH = {"area": "专有部分面积", "heads": "人数", "households": "户数"}
WHAT_EN = {"area": "exclusive area", "heads": "owners", "households": "households"}


def _check(code: str, value, of, needed: Fraction, inclusive: bool, unit: str, subject_zh: str,
           subject_en: str, base_zh: str, base_en: str) -> Check:
    value, of = Fraction(value), Fraction(of)
    raw = Check(code, value, of, needed, inclusive, unit)
    ok = raw.passed
    amount = _amount(value, unit) + ("" if unit == "area" else ("户" if unit == "households" else "人"))
    total = _amount(of, unit) + ("" if unit == "area" else ("户" if unit == "households" else "人"))
    zh = (f"{subject_zh}{WHAT_ZH[unit]} {amount}，占{base_zh} {total} 的 {percent(value, of)}，"
          f"{'达到' if ok else '未达到'}{_needed_zh(raw)}")
    relation = "at least" if inclusive else "more than"
    en = (f"{subject_en} {WHAT_EN[unit]}: {_amount(value, unit)} of {base_en} {_amount(of, unit)} "
          f"({percent(value, of)}); needs {relation} {FRACTION_EN[needed]}: {'passed' if ok else 'not reached'}")
    return Check(code, value, of, needed, inclusive, unit, zh, en)


@dataclass(frozen=True)
class Tally:
    """What the counted ballots add up to, per question: heads and area per choice."""

    heads: dict[str, int]
    area: dict[str, Decimal]
    households: dict[str, int] = field(default_factory=dict)

    @property
    def participating_heads(self) -> int:
        return sum(self.heads.values())

    @property
    def participating_area(self) -> Decimal:
        return sum(self.area.values(), Decimal(0))


@dataclass(frozen=True)
class CastBallot:
    """One counted ballot: its voter's area and units, the answers (``how`` for the two 2/3
    rule's second question; ``picks`` for an election)."""

    area: Decimal
    choice: str = ""
    how: str = ""
    households: int = 1
    picks: tuple = ()


def tally(ballots: Iterable[CastBallot], question: str = "choice") -> Tally:
    heads = {choice: 0 for choice in CHOICES}
    area = {choice: Decimal(0) for choice in CHOICES}
    households = {choice: 0 for choice in CHOICES}
    for ballot in ballots:
        answer = getattr(ballot, question) or ABSTAIN
        heads[answer] += 1
        area[answer] += ballot.area
        households[answer] += ballot.households
    return Tally(heads, area, households)


def approval_needed(item: int) -> tuple[Fraction, bool]:
    """Art. 278 para. 2: items 6–8 need 3/4 以上 (≥); the others 过半数 (>1/2)."""
    if item not in dict((number, zh) for number, zh, _en in ITEMS):
        raise RuleError("bad_item", "民法典第二百七十八条没有这一项", "No such item in art. 278")
    return (THREE_QUARTERS, True) if item in SPECIAL_ITEMS else (HALF, False)


def participation_checks(total_area, total_heads, area, heads) -> list[Check]:
    """Art. 278 para. 2: owners holding ≥ 2/3 of the area AND ≥ 2/3 by head take part
    (abstaining is taking part)."""
    return [
        _check("participation_area", area, total_area, TWO_THIRDS, True, "area", "参与表决的", "Participating",
               "总面积", "the total"),
        _check("participation_heads", heads, total_heads, TWO_THIRDS, True, "heads", "参与表决的业主", "Participating",
               "业主总人数", "all"),
    ]


def approval_checks(item: int, counted: Tally, *, prefix: str = "", label_zh: str = "",
                    label_en: str = "") -> list[Check]:
    needed, inclusive = approval_needed(item)
    part_area, part_heads = counted.participating_area, counted.participating_heads
    return [
        _check(f"{prefix}approval_area", counted.area[AGREE], part_area, needed, inclusive, "area",
               f"{label_zh}同意的", f"{label_en}Agreeing", "参与表决面积", "the participating"),
        _check(f"{prefix}approval_heads", counted.heads[AGREE], part_heads, needed, inclusive, "heads",
               f"{label_zh}同意的业主", f"{label_en}Agreeing", "参与表决人数", "the participating"),
    ]


def local_two_thirds_checks(counted_whether: Tally, counted_how: Tally, *, total_heads: int,
                            total_households: int, count_by: str) -> list[Check]:
    """Seed 001's "two 2/3": ≥ 2/3 of ALL households (or owners) agree whether, then ≥ 2/3 how.
    It is added to art. 278's checks, never put in their place."""
    unit = "households" if count_by == BY_HOUSEHOLD else "heads"
    total = total_households if count_by == BY_HOUSEHOLD else total_heads
    got = (lambda t: t.households[AGREE]) if count_by == BY_HOUSEHOLD else (lambda t: t.heads[AGREE])
    return [
        _check("local_whether", got(counted_whether), total, TWO_THIRDS, True, unit, "同意改造的",
               "Agreeing to renovate:", "全体", "all"),
        _check("local_how", got(counted_how), total, TWO_THIRDS, True, unit, "同意改造方案的",
               "Agreeing to the plan:", "全体", "all"),
    ]


@dataclass(frozen=True)
class Outcome:
    passed: bool
    checks: list[Check]
    summary_zh: str
    summary_en: str
    tallies: dict = field(default_factory=dict)
    elected: list = field(default_factory=list)
    candidates: list = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "passed": self.passed, "checks": [check.as_dict() for check in self.checks],
            "summary_zh": self.summary_zh, "summary_en": self.summary_en,
            "tallies": {question: {"heads": t.heads, "area": {k: str(v) for k, v in t.area.items()},
                                   "households": t.households} for question, t in self.tallies.items()},
            "elected": self.elected, "candidates": self.candidates,
        }


def decide(item: int, *, total_area, total_heads: int, ballots: Sequence[CastBallot], two_thirds: bool = False,
           count_by: str = BY_HOUSEHOLD, total_households: int = 0) -> Outcome:
    """A matter: art. 278's participation and approval, plus the "two 2/3" when asked for."""
    whether = tally(ballots, "choice")
    checks = participation_checks(total_area, total_heads, whether.participating_area, whether.participating_heads)
    tallies = {"choice": whether}
    if two_thirds:
        how = tally(ballots, "how")
        tallies["how"] = how
        checks += approval_checks(item, whether, prefix="whether_", label_zh="（是否改造）", label_en="(whether) ")
        checks += approval_checks(item, how, prefix="how_", label_zh="（改造方案）", label_en="(how) ")
        checks += local_two_thirds_checks(whether, how, total_heads=total_heads,
                                          total_households=total_households, count_by=count_by)
    else:
        checks += approval_checks(item, whether)
    passed = all(check.passed for check in checks)
    failed = [check for check in checks if not check.passed]
    if passed:
        zh, en = "表决通过：每一项条件都已达到。", "Passed: every condition was met."
    else:
        zh = "表决未通过：" + "；".join(check.zh for check in failed) + "。"
        en = "Not passed: " + "; ".join(check.en for check in failed) + "."
    return Outcome(passed, checks, zh, en, tallies)


def elect(item: int, *, total_area, total_heads: int, ballots: Sequence[CastBallot], candidates: Sequence[int],
          seats: int) -> Outcome:
    """An election: participation as art. 278; each candidate needs the item's approval among the
    participants (area AND heads); the top ``seats`` of those are elected (most votes, then
    most area). A tie for the last seat elects neither: another round decides."""
    participating_area = sum((ballot.area for ballot in ballots), Decimal(0))
    participating_heads = len(ballots)
    checks = participation_checks(total_area, total_heads, participating_area, participating_heads)
    took_part = all(check.passed for check in checks)
    needed, inclusive = approval_needed(item)
    rows = []
    for candidate in candidates:
        heads = sum(1 for ballot in ballots if candidate in ballot.picks)
        area = sum((ballot.area for ballot in ballots if candidate in ballot.picks), Decimal(0))
        area_check = _check(f"candidate_{candidate}_area", area, participating_area, needed, inclusive, "area",
                            "投票给该候选人的", "Voting for this candidate:", "参与表决面积", "the participating")
        heads_check = _check(f"candidate_{candidate}_heads", heads, participating_heads, needed, inclusive, "heads",
                             "投票给该候选人的业主", "Voting for this candidate:", "参与表决人数", "the participating")
        rows.append({"candidate": candidate, "heads": heads, "area": str(area),
                     "approved": took_part and area_check.passed and heads_check.passed,
                     "checks": [area_check.as_dict(), heads_check.as_dict()], "tie": False})
    approved = sorted((row for row in rows if row["approved"]),
                      key=lambda row: (-row["heads"], -Decimal(row["area"])))
    elected = [row["candidate"] for row in approved[:seats]]
    if len(approved) > seats and seats > 0:
        last, first_out = approved[seats - 1], approved[seats]
        if (last["heads"], last["area"]) == (first_out["heads"], first_out["area"]):
            tied = {row["candidate"] for row in approved
                    if (row["heads"], row["area"]) == (last["heads"], last["area"])}
            elected = [candidate for candidate in elected if candidate not in tied]
            for row in rows:
                row["tie"] = row["candidate"] in tied
    for row in rows:
        row["elected"] = row["candidate"] in elected
    passed = took_part and bool(elected)
    if not took_part:
        failed = [check for check in checks if not check.passed]
        zh = "选举无效：" + "；".join(check.zh for check in failed) + "。"
        en = "The election is void: " + "; ".join(check.en for check in failed) + "."
    else:
        zh = f"应选 {seats} 人，当选 {len(elected)} 人。"
        en = f"{seats} seat(s); {len(elected)} elected."
        if any(row["tie"] for row in rows):
            zh += "最后一个席位票数相同，需另行选举。"
            en += " A tie for the last seat: another round is needed."
    return Outcome(passed, checks, zh, en, {}, elected, rows)


# --- the published ballot list -----------------------------------------------------------
# Published per ballot: its receipt and its answers, never its area. Published beside: the area
# and the households of each GROUP of identical answers. Counting lines gives every headcount
# exactly; the group totals give every area exactly, since every threshold sums areas over a
# union of groups. ``docs/voting.md`` ("Why the ballot list identifies nobody").


def group_key(choice: str = "", how: str = "", picks=()) -> str:
    """The group of identical answers a ballot belongs to: "agree|" (a matter), "agree|disagree"
    (the two 2/3), "picks:3,7" (an election)."""
    if picks or not choice:
        return "picks:" + ",".join(str(pk) for pk in sorted(picks))
    return f"{choice}|{how}"


def published_totals(ballots: Sequence[CastBallot]) -> tuple[dict[str, Decimal], dict[str, int]]:
    """Area and households per group of identical answers: what is published beside the list."""
    area: dict[str, Decimal] = {}
    homes: dict[str, int] = {}
    for ballot in ballots:
        key = group_key(ballot.choice, ballot.how, ballot.picks)
        area[key] = area.get(key, Decimal(0)) + ballot.area
        homes[key] = homes.get(key, 0) + ballot.households
    return area, homes


def retally_from_published(lines: Sequence[dict], area_totals: dict[str, Decimal], households: dict[str, int],
                           *, item: int, total_area, total_heads: int, two_thirds: bool = False,
                           count_by: str = BY_HOUSEHOLD, total_households: int = 0, election: bool = False,
                           candidates: Sequence[int] = (), seats: int = 0) -> Outcome:
    """Recompute the outcome from what is published alone: the lines (receipt and answers) and
    the totals per group. Anyone can run it; it must give the published result exactly."""
    groups: dict[str, list[dict]] = {}
    for line in lines:
        key = group_key(line.get("choice", ""), line.get("how", ""), tuple(line.get("picks") or ()))
        groups.setdefault(key, []).append(line)
    rebuilt = []
    for key, group in groups.items():
        # The group's first line carries the group's totals: only sums over groups are used.
        for index, line in enumerate(group):
            rebuilt.append(CastBallot(
                area=Decimal(area_totals.get(key, 0)) if index == 0 else Decimal(0),
                households=int(households.get(key, 0)) if index == 0 else 0,
                choice=line.get("choice", ""), how=line.get("how", ""), picks=tuple(line.get("picks") or ())))
    if election:
        return elect(item, total_area=total_area, total_heads=total_heads, ballots=rebuilt, candidates=candidates,
                     seats=seats)
    return decide(item, total_area=total_area, total_heads=total_heads, ballots=rebuilt, two_thirds=two_thirds,
                  count_by=count_by, total_households=total_households)
