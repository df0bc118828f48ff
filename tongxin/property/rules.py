"""The property accounts' arithmetic and checks: pure functions, no database
(``docs/property.md``). Money in fen (integers); refusals carry Chinese and English."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from tongxin.core.errors import RefusedError

ADVERTISING, PARKING, RENTED_SPACE, OTHER = "advertising", "parking", "rented_space", "other"
INCOME_KINDS = (ADVERTISING, PARKING, RENTED_SPACE, OTHER)

SERVICE_FEE, PARKING_FEE, OTHER_FEE = "service", "parking", "other"
PER_M2_MONTH, PER_MONTH = "m2_month", "month"


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """The quarter as a half-open range of dates: [first day, first day of the next)."""
    check_quarter(year, quarter)
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end


def check_quarter(year: int, quarter: int) -> None:
    if not 2000 <= year <= 2100 or not 1 <= quarter <= 4:
        raise RefusedError("bad_quarter", "请选择正确的年份和季度", "Choose a valid year and quarter")


def check_period(year: int, month: int | None) -> None:
    """A billing period: a year (``month`` None), or a month of a year."""
    if not 2000 <= year <= 2100 or (month is not None and not 1 <= month <= 12):
        raise RefusedError("bad_period", "请选择正确的收费期间（年或年月）",
                           "Choose a valid period (a year or a month)")


def net_fen(gross_fen: int, cost_fen: int) -> int:
    """Art. 282: what belongs to the owners is the income less the reasonable cost. A cost above
    the income is refused: the owners never pay for the company's use of their common parts."""
    if gross_fen < 0 or cost_fen < 0:
        raise RefusedError("amount_invalid", "金额不能为负数", "The amount cannot be negative")
    if gross_fen == 0:
        raise RefusedError("amount_zero", "收入须大于零", "The income must be above zero")
    if cost_fen > gross_fen:
        raise RefusedError("cost_over_income", "合理成本不能超过收入", "The reasonable cost cannot exceed the income")
    return gross_fen - cost_fen


def check_income_kind(kind: str) -> None:
    if kind not in INCOME_KINDS:
        raise RefusedError("bad_income_kind", "请选择收入类别", "Choose the kind of income")


def months_of(month: int | None) -> int:
    """How many months a period bills: a year is twelve."""
    return 12 if month is None else 1


def due_fen(price_fen: int, unit: str, area: Decimal | None, months: int) -> int:
    """One household's due for a period: price per m² per month × floor area × months, rounded
    half up to the fen once (not per month); a price per month × months. A household without a
    floor area cannot be charged by area, and says so."""
    if price_fen < 0 or months < 1:
        raise RefusedError("amount_invalid", "金额不能为负数", "The amount cannot be negative")
    if unit == PER_MONTH:
        return price_fen * months
    if unit != PER_M2_MONTH:
        raise RefusedError("bad_unit", "计价单位不对", "Unknown pricing unit")
    if area is None:
        raise RefusedError("area_missing", "有住户缺少建筑面积，无法按面积计费，请先补全面积",
                           "A household has no floor area: it cannot be billed by area; fill in the areas first")
    exact = Decimal(price_fen) * Decimal(str(area)) * months
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def in_force(effective: Iterable[tuple[datetime.date, int]], on: datetime.date) -> int | None:
    """The id of the standard in force on ``on``: the latest effective on or before it (a later
    one supersedes an earlier; ties by the later id). None before the first."""
    found = [(start, pk) for start, pk in effective if start <= on]
    return max(found)[1] if found else None


def check_payment(amount_fen: int, due: int, paid: int, already: bool) -> None:
    """One payment settles a bill (a receipt): above zero, never above what is still due."""
    if already:
        raise RefusedError("bill_paid", "这张账单已经登记过缴费", "A payment is already recorded for this bill")
    if amount_fen <= 0:
        raise RefusedError("amount_zero", "缴费金额须大于零", "The payment must be above zero")
    if amount_fen > due - paid:
        raise RefusedError("over_due", "缴费金额不能超过应缴金额", "The payment cannot exceed what is due")


def rate(part: int, whole: int) -> Decimal | None:
    """A collection rate in percent, one decimal (half up); None when nothing was billed."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
