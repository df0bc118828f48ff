"""The ledger's rules, pure (no database): quarters, balances, who may approve, and which
owners' decision a maintenance-fund spending may cite. ``docs/finance.md``."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from tongxin.core.errors import RefusedError

INCOME = "income"
SPENDING = "spending"
COMMITTEE = "committee"
MAINTENANCE_FUND = "maintenance_fund"
#: Civil Code art. 278 item 5: use of the maintenance fund (使用维修资金).
USE_FUND_ITEM = 5


def quarter_bounds(year: int, quarter: int) -> tuple[datetime.date, datetime.date]:
    """First day of the quarter and first day of the next (a half-open range)."""
    if quarter not in (1, 2, 3, 4):
        raise RefusedError("bad_quarter", "季度须为 1 到 4", "The quarter is 1 to 4")
    start = datetime.date(year, 3 * quarter - 2, 1)
    end = datetime.date(year + 1, 1, 1) if quarter == 4 else datetime.date(year, 3 * quarter + 1, 1)
    return start, end


@dataclass(frozen=True)
class Line:
    direction: str
    category: str
    amount_fen: int


@dataclass
class Totals:
    opening_fen: int
    income_fen: int = 0
    spending_fen: int = 0
    by_category: dict[tuple[str, str], int] = field(default_factory=dict)

    @property
    def closing_fen(self) -> int:
        return self.opening_fen + self.income_fen - self.spending_fen


def totals(opening_fen: int, lines: Iterable[Line]) -> Totals:
    """Income and spending of a quarter by (direction, category), and the closing balance."""
    found = Totals(opening_fen)
    for line in lines:
        key = (line.direction, line.category)
        found.by_category[key] = found.by_category.get(key, 0) + line.amount_fen
        if line.direction == INCOME:
            found.income_fen += line.amount_fen
        else:
            found.spending_fen += line.amount_fen
    return found


def check_approver(entered_by_id: int | None, approver_id: int, already_approved: bool) -> None:
    """A second person approves: never the one who entered it, and only once."""
    if already_approved:
        raise RefusedError("already_approved", "这笔账已经审批过了", "This entry is already approved")
    if entered_by_id == approver_id:
        raise RefusedError("self_approval", "记账人不能审批自己录入的账目，请由另一人审批",
                           "The person who entered an entry cannot approve it; another person must")


def check_fund_citation(*, account_kind: str, direction: str, decision_state: str | None,
                        decision_passed: bool | None, decision_item: int | None,
                        decision_range: tuple[str, str] | None, compound_path: str) -> None:
    """A spending from the maintenance fund cites a closed, passed owners' decision under
    art. 278 item 5 taken at a place containing the compound (the compound or above)."""
    if account_kind != MAINTENANCE_FUND or direction != SPENDING:
        return
    if decision_state is None:
        raise RefusedError("fund_needs_decision", "动用维修资金须注明业主共同决定",
                           "A spending from the maintenance fund must cite the owners' decision")
    if decision_item != USE_FUND_ITEM:
        raise RefusedError("fund_wrong_item", "所引业主共同决定不是关于使用维修资金（第二百七十八条第五项）",
                           "The cited decision is not about using the maintenance fund (art. 278 item 5)")
    if decision_state != "closed" or not decision_passed:
        raise RefusedError("fund_not_passed", "所引业主共同决定尚未表决通过",
                           "The cited owners' decision has not been passed")
    if not decision_range or not decision_range[0] <= compound_path < decision_range[1]:
        raise RefusedError("fund_wrong_place", "所引业主共同决定不是本小区的",
                           "The cited owners' decision was not taken for this compound")
