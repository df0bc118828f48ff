"""Who pays what of a co-funded project (三个分担, seed 001): exact to the fen, every share
summing to the whole. Pure functions, no database; ``docs/finance.md``.

A project's budget is split among named sources (policy funds, the committee's income, the
owners who benefit) by fixed amounts or by fractions; the beneficiaries' part is then split
among households per household or per m² of their exclusive area. Money is held in fen
(integers): rounding each share separately loses or invents fen, so every split is made by
the **largest remainder** method: each party first gets the floor of its exact share, and the
fen left over go one each to the parties with the largest remainders (ties: the earlier in
the given order, so the result is the same every time). The parts always sum to the whole,
and no share differs from its exact value by a fen or more.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from fractions import Fraction


class ShareError(ValueError):
    """A split that cannot be made, with a message a resident understands."""

    def __init__(self, code: str, zh: str, en: str):
        super().__init__(en)
        self.code, self.message_zh, self.message_en = code, zh, en


def to_fen(yuan) -> int:
    """¥12.34 → 1234. Refuses fractions of a fen and negative sums."""
    try:
        value = Decimal(str(yuan))
    except (InvalidOperation, ValueError):
        raise ShareError("amount_invalid", "金额格式不对", "The amount is not a number") from None
    if not value.is_finite() or value < 0:
        raise ShareError("amount_invalid", "金额不能为负数", "The amount cannot be negative")
    fen = value * 100
    if fen != fen.to_integral_value():
        raise ShareError("amount_precision", "金额最多精确到分", "Amounts go to the fen at most")
    return int(fen)


def to_yuan(fen: int) -> Decimal:
    return (Decimal(fen) / 100).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def split(total_fen: int, weights: Sequence) -> list[int]:
    """``total_fen`` split in proportion to ``weights`` (numbers ≥ 0, not all 0), by the
    largest remainder: the parts sum to ``total_fen`` exactly, each within a fen of exact."""
    if total_fen < 0:
        raise ShareError("amount_invalid", "金额不能为负数", "The amount cannot be negative")
    exact_weights = [Fraction(str(w)) if not isinstance(w, (int, Fraction)) else Fraction(w) for w in weights]
    if not exact_weights or any(w < 0 for w in exact_weights) or sum(exact_weights) == 0:
        raise ShareError("weights_invalid", "分摊依据不能全为零或为负", "The weights must be positive")
    whole = sum(exact_weights)
    exact = [total_fen * w / whole for w in exact_weights]
    parts = [int(e) for e in exact]  # floor: every exact share is ≥ 0
    left = total_fen - sum(parts)
    by_remainder = sorted(range(len(exact)), key=lambda i: (-(exact[i] - parts[i]), i))
    for i in by_remainder[:left]:
        parts[i] += 1
    return parts


@dataclass(frozen=True)
class Source:
    """A source of a project's money: a fixed amount (fen), or a fraction of what remains
    after the fixed ones (``fraction``); ``beneficiaries`` marks the owners' part."""

    name: str
    fixed_fen: int | None = None
    fraction: Fraction | None = None
    beneficiaries: bool = False


def split_sources(budget_fen: int, sources: Sequence[Source]) -> list[int]:
    """The budget among its sources: fixed amounts first, the rest by the fractions (which
    must sum to 1 when there is a rest). The parts sum to the budget exactly."""
    if not sources:
        raise ShareError("no_sources", "请至少填写一个资金来源", "Name at least one source")
    fixed = sum(s.fixed_fen or 0 for s in sources)
    if fixed > budget_fen:
        raise ShareError("fixed_over_budget", "固定金额之和超过了预算", "The fixed amounts exceed the budget")
    shared = [s for s in sources if s.fixed_fen is None]
    rest = budget_fen - fixed
    if not shared:
        if rest:
            raise ShareError("budget_not_covered", "各来源金额之和不等于预算",
                             "The sources do not add up to the budget")
        return [s.fixed_fen for s in sources]
    fractions = [Fraction(s.fraction) if s.fraction is not None else None for s in shared]
    if any(f is None or f < 0 for f in fractions) or sum(fractions) != 1:
        raise ShareError("fractions_invalid", "按比例分担的各方比例之和须为100%",
                         "The shared sources' fractions must add up to 100%")
    parts = iter(split(rest, fractions))
    return [s.fixed_fen if s.fixed_fen is not None else next(parts) for s in sources]


PER_HOUSEHOLD, PER_AREA = "household", "area"


def split_among_owners(amount_fen: int, areas: Sequence, rule: str) -> list[int]:
    """The beneficiaries' part among households: equally (``household``) or by exclusive
    area in m² (``area``). Same order as ``areas``; sums to ``amount_fen`` exactly."""
    if rule == PER_HOUSEHOLD:
        return split(amount_fen, [1] * len(areas))
    if rule == PER_AREA:
        if any(a is None for a in areas):
            raise ShareError("area_missing", "有住户缺少专有部分面积，无法按面积分摊",
                             "A household has no area: it cannot be split by area")
        return split(amount_fen, [Decimal(str(a)) for a in areas])
    raise ShareError("rule_invalid", "分摊方式不对", "Unknown way of sharing")
