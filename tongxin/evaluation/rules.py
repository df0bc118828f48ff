"""The weighted result of an evaluation: pure arithmetic, no database (tests by table)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Tally:
    """The ratings one side gave: their sum and how many."""

    total: int = 0
    count: int = 0

    @property
    def mean(self) -> Decimal | None:
        return Decimal(self.total) / self.count if self.count else None


def weighted(residents: Tally, panel: Tally, resident_weight: int) -> Decimal | None:
    """The mean of each side, weighted ``resident_weight``/100 against the rest, to 0.01
    (half up). A side nobody answered drops out and the other counts fully, so a campaign
    the panel has not scored yet still shows the residents' view; nobody at all: None."""
    if not 0 <= resident_weight <= 100:
        raise ValueError("resident_weight is a percentage")
    r, p = residents.mean, panel.mean
    if r is None and p is None:
        return None
    if p is None or resident_weight == 100:
        value = r if r is not None else p
    elif r is None or resident_weight == 0:
        value = p
    else:
        value = (r * resident_weight + p * (100 - resident_weight)) / 100
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def overall(per_question: list[Decimal | None]) -> Decimal | None:
    """The campaign's score: the plain mean of the questions' weighted results that have one."""
    scored = [value for value in per_question if value is not None]
    if not scored:
        return None
    return (sum(scored) / len(scored)).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def side_score(means: list[Decimal | None]) -> Decimal | None:
    """One side's score of a campaign: the plain mean of its per-question means, to 0.01."""
    return overall([None if m is None else m.quantize(TWO_PLACES, rounding=ROUND_HALF_UP) for m in means])


def change(latest: Decimal | None, previous: Decimal | None) -> Decimal | None:
    """The latest score less the previous one of the same subject (None when either is missing)."""
    if latest is None or previous is None:
        return None
    return latest - previous


# --- the award panel ----------------------------------------------------------------------
PENDING, APPROVED, DECLINED = "pending", "approved", "declined"


def panel_verdict(approvals: int, declines: int, panel_size: int) -> str:
    """A nomination is approved when more than half the panel approve; declined as soon as that
    can no longer happen (the declines are at least half); pending until then."""
    if panel_size <= 0 or approvals < 0 or declines < 0 or approvals + declines > panel_size:
        raise ValueError("reviews must fit the panel")
    if approvals * 2 > panel_size:
        return APPROVED
    if declines * 2 >= panel_size:
        return DECLINED
    return PENDING
