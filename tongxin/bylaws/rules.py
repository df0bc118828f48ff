"""Rules on the wall, pure (no database): which kinds of rule a place may keep, which decision a
version may cite, which version is in force, and the readable difference between two versions.
``docs/bylaws.md``."""

from __future__ import annotations

import datetime
import difflib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from tongxin.core.errors import RefusedError
from tongxin.core.tree import is_within

RULES_OF_PROCEDURE = "rules_of_procedure"    # 议事规则
FEE_STANDARD = "fee_standard"                # 收费标准
FINANCIAL_RULES = "financial_rules"          # 财务管理制度
RESIDENTS_CONVENTION = "residents_convention"  # 居民公约
MANAGEMENT_RULES = "management_rules"        # 管理规约 (Civil Code art. 278 item 1: the owners')
VILLAGE_RULES = "village_rules"              # 村规民约 (村民委员会组织法 art. 27)
KINDS = (RULES_OF_PROCEDURE, FEE_STANDARD, FINANCIAL_RULES, RESIDENTS_CONVENTION, MANAGEMENT_RULES, VILLAGE_RULES)

COMPOUND, COMMUNITY, VILLAGE = "compound", "community", "village"
PLACE_KINDS = (COMPOUND, COMMUNITY, VILLAGE)
#: Where a kind of rule may be kept; kinds not named here: any of PLACE_KINDS.
KIND_PLACES = {
    MANAGEMENT_RULES: (COMPOUND,),        # the owners' rules bind a compound's owners
    VILLAGE_RULES: (VILLAGE,),
    RESIDENTS_CONVENTION: (COMMUNITY, COMPOUND),
}

#: A deliberation major matter (四议两公开) whose resolution was adopted.
MATTER_RESOLVED = ("resolved", "published", "completed")
#: A four-step consultation with its 决议.
CONSULTATION_DECIDED = "decided"


def check_place(kind: str, place_kind: str) -> None:
    """A rule is kept at a compound, a community or a village; some kinds at one of them only."""
    if kind not in KINDS:
        raise RefusedError("bylaw_kind", "请选择规章的种类", "Choose the kind of rule")
    if place_kind not in KIND_PLACES.get(kind, PLACE_KINDS):
        raise RefusedError("bylaw_place", "这种规章不能在这个地点制定（管理规约属于小区，村规民约属于村）",
                           "This kind of rule is not kept at this place (management rules at a compound, "
                           "village rules at a village)")


@dataclass(frozen=True)
class Cited:
    """What a version cites, as read from the database (``None``: not cited)."""

    place_path: str                         # the version's place
    basis: str = ""
    decision_state: str | None = None       # voting.Decision
    decision_passed: bool | None = None
    decision_path: str | None = None
    matter_state: str | None = None         # deliberation.MajorMatter
    matter_path: str | None = None
    consultation_state: str | None = None   # deliberation.Consultation
    consultation_path: str | None = None
    consultation_vote_passed: bool | None = None  # its owners' vote, if it went to one


def _above(place_path: str, decider_path: str | None) -> bool:
    """The decision was taken at the place or at a place containing it."""
    return bool(decider_path) and is_within(place_path, decider_path)


def check_citation(cited: Cited) -> None:
    """A version cites the decision that made it: an owners' decision (closed and passed), a
    resolved major matter, a decided consultation, or at least a written basis; any decision
    cited is the place's own or a place's above it (a building's vote cannot change the
    compound's rules)."""
    if (cited.decision_state is None and cited.matter_state is None and cited.consultation_state is None
            and not cited.basis.strip()):
        raise RefusedError("version_basis", "请注明这一版依据的决定（业主表决、居民会议决议，或文字说明）",
                           "Cite the decision this version rests on (an owners' vote, a resolution, or a basis)")
    if cited.decision_state is not None:
        if cited.decision_state != "closed" or not cited.decision_passed:
            raise RefusedError("decision_not_passed", "所引业主共同决定尚未表决通过",
                               "The cited owners' decision has not been passed")
        if not _above(cited.place_path, cited.decision_path):
            raise RefusedError("decision_wrong_place", "所引业主共同决定不是本地或上级地点作出的",
                               "The cited owners' decision was not taken at this place or above it")
    if cited.matter_state is not None:
        if cited.matter_state not in MATTER_RESOLVED:
            raise RefusedError("matter_not_resolved", "所引重大事项尚未形成决议",
                               "The cited major matter has no resolution yet")
        if not _above(cited.place_path, cited.matter_path):
            raise RefusedError("matter_wrong_place", "所引重大事项不是本地或上级地点的",
                               "The cited major matter is not of this place or a place above it")
    if cited.consultation_state is not None:
        if cited.consultation_state != CONSULTATION_DECIDED or cited.consultation_vote_passed is False:
            raise RefusedError("consultation_not_decided", "所引议事协商尚未作出决议（或业主表决未通过）",
                               "The cited consultation has no decision (or its owners' vote failed)")
        if not _above(cited.place_path, cited.consultation_path):
            raise RefusedError("consultation_wrong_place", "所引议事协商不是本地或上级地点的",
                               "The cited consultation is not of this place or a place above it")


def check_text(text: str) -> str:
    text = "\n".join(line.rstrip() for line in (text or "").replace("\r\n", "\n").strip().split("\n"))
    if not text:
        raise RefusedError("version_text", "请填写规章全文", "Write the text of the rule")
    if len(text) > 50_000:
        raise RefusedError("version_too_long", "全文不能超过五万字", "The text is at most 50,000 characters")
    return text


@dataclass(frozen=True)
class Dated:
    number: int
    effective_on: datetime.date
    published: bool


def in_force(versions: Iterable[Dated], today: datetime.date) -> tuple[int | None, int | None]:
    """(the version in force today, a published version taking effect later): the latest
    published version already effective, and the latest published one not yet effective."""
    current = upcoming = None
    for version in sorted((v for v in versions if v.published), key=lambda v: v.number):
        if version.effective_on <= today:
            current = version.number
        else:
            upcoming = version.number
    if upcoming is not None and current is not None and upcoming < current:
        upcoming = None  # a later version already in force supersedes it
    return current, upcoming


@dataclass(frozen=True)
class Piece:
    """A piece of the difference: ``op`` is "same", "ins" or "del"; ``text`` is the user's text,
    never marked safe (the template escapes it)."""

    op: str
    text: str


def _merge(pieces: list[Piece]) -> list[Piece]:
    merged: list[Piece] = []
    for piece in pieces:
        if not piece.text:
            continue
        if merged and merged[-1].op == piece.op:
            merged[-1] = Piece(piece.op, merged[-1].text + piece.text)
        else:
            merged.append(piece)
    return merged


def _chars(old: str, new: str) -> list[Piece]:
    pieces = []
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pieces.append(Piece("same", old[i1:i2]))
        else:
            pieces += [Piece("del", old[i1:i2]), Piece("ins", new[j1:j2])]
    return pieces


def diff(old: str, new: str) -> list[Piece]:
    """What changed from ``old`` to ``new``, line by line, and within a changed block character
    by character (Chinese has no spaces between words: a changed 元 shows as one character).
    Joining the "same" and "del" pieces gives ``old``; the "same" and "ins" pieces, ``new``."""
    old_lines, new_lines = old.splitlines(keepends=True), new.splitlines(keepends=True)
    pieces: list[Piece] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        before, after = "".join(old_lines[i1:i2]), "".join(new_lines[j1:j2])
        if tag == "equal":
            pieces.append(Piece("same", before))
        elif tag == "replace" and len(before) + len(after) <= 20_000:
            pieces += _chars(before, after)
        else:
            pieces += [Piece("del", before), Piece("ins", after)]
    return _merge(pieces)


def changed(pieces: Sequence[Piece]) -> bool:
    return any(piece.op != "same" for piece in pieces)
