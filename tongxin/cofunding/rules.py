"""What each state of a co-funded project allows, and the final accounts' check: pure
functions, no database (tests by table). ``docs/cofunding.md``."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from tongxin.core.errors import RefusedError

DRAFT, COLLECTING, IN_PROGRESS, COMPLETED = "draft", "collecting", "in_progress", "completed"

#: The one way forward from each state (a project never goes back: its shares are frozen
#: and published once collection opens).
NEXT = {DRAFT: COLLECTING, COLLECTING: IN_PROGRESS, IN_PROGRESS: COMPLETED}

#: What each state allows.
ALLOWS = {
    DRAFT: {"compute_shares", "open"},
    COLLECTING: {"pay", "progress", "start"},
    IN_PROGRESS: {"pay", "progress", "complete"},
    COMPLETED: set(),
}

#: The action that moves a project into each state.
ACTION_TO = {COLLECTING: "open", IN_PROGRESS: "start", COMPLETED: "complete"}

_REFUSALS = {
    "compute_shares": ("项目开始收款后，各户分摊已冻结", "Once collection opens, the households' shares are frozen"),
    "open": ("只有草稿状态的项目可以开始收款", "Only a draft project can open collection"),
    "pay": ("只有收款中或施工中的项目可以登记缴款", "Payments are recorded while collecting or during the work"),
    "progress": ("只有收款中或施工中的项目可以发布进度", "Progress is reported while collecting or during the work"),
    "start": ("只有收款中的项目可以开工", "Only a collecting project can start the work"),
    "complete": ("只有施工中的项目可以竣工决算", "Only a project in progress can be completed"),
}


def allows(state: str, action: str) -> bool:
    return action in ALLOWS.get(state, set())


def check(state: str, action: str) -> None:
    """Refuse ``action`` in ``state`` with a message a resident understands."""
    if not allows(state, action):
        zh, en = _REFUSALS.get(action, ("此操作不允许", "Not allowed"))
        raise RefusedError(f"state_{action}", zh, en)


def next_state(state: str, action: str) -> str:
    """The state ``action`` leads to from ``state`` (refused when it does not lead on)."""
    check(state, action)
    target = NEXT.get(state)
    if target is None or ACTION_TO.get(target) != action:
        zh, en = _REFUSALS.get(action, ("此操作不允许", "Not allowed"))
        raise RefusedError(f"state_{action}", zh, en)
    return target


def check_final_accounts(budget_fen: int, spent_fen: int, note: str) -> None:
    """The final accounts: what was spent, against the budget. A balance (spent less) or an
    overrun (spent more) is published with its explanation, so either needs one."""
    if spent_fen <= 0:
        raise RefusedError("spent_missing", "请填写决算支出明细", "List what was spent")
    if spent_fen != budget_fen and not note.strip():
        if spent_fen < budget_fen:
            raise RefusedError("balance_unexplained", "实际支出少于预算，请说明结余如何处理",
                               "Less was spent than budgeted: explain what happens to the balance")
        raise RefusedError("overrun_unexplained", "实际支出超过预算，请说明超支部分由谁承担",
                           "More was spent than budgeted: explain who covers the overrun")


def rate(paid_fen: int, due_fen: int) -> Decimal | None:
    """Collection rate in % to one decimal (half up); nothing due: None (shown "–")."""
    if due_fen <= 0:
        return None
    return (Decimal(paid_fen) * 100 / Decimal(due_fen)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
