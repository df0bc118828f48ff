"""The case file's rules, as pure functions (table-tested in ``tests/test_rules.py``).

- **States**: received → accepted / declined → in mediation → agreement reached / failed →
  followed up → closed; a case not yet settled may be handed off (to the police for 治安调解,
  a court, arbitration), which ends it. :data:`TRANSITIONS` is the whole machine.
- **Deadline**: one month from acceptance (人民调解工作若干规定 art. 36), counted as the Civil
  Code counts months (arts. 201–202): the same day of the next month, or its last day when it
  has none (31 January → 28/29 February). Extending needs a reason, the parties' consent and
  a later date. An open case past its deadline is overdue.
- **Judicial confirmation** (人民调解法 art. 33): within 30 days of the agreement taking
  effect; the first day is not counted, and a last day that falls on a rest day moves to the
  next working day (Civil Code arts. 201, 203).
"""

from __future__ import annotations

import calendar
import datetime
from decimal import ROUND_HALF_UP, Decimal

from tongxin.core.workdays import is_working_day

RECEIVED, ACCEPTED, DECLINED, IN_MEDIATION = "received", "accepted", "declined", "in_mediation"
AGREED, FAILED, FOLLOWED_UP, CLOSED, HANDED_OFF = "agreed", "failed", "followed_up", "closed", "handed_off"

#: action -> (states it may start from, state it leads to)
TRANSITIONS: dict[str, tuple[frozenset[str], str]] = {
    "accept": (frozenset({RECEIVED}), ACCEPTED),
    "decline": (frozenset({RECEIVED}), DECLINED),
    "session": (frozenset({ACCEPTED, IN_MEDIATION}), IN_MEDIATION),
    "agree": (frozenset({ACCEPTED, IN_MEDIATION}), AGREED),
    "fail": (frozenset({ACCEPTED, IN_MEDIATION}), FAILED),
    "follow_up": (frozenset({AGREED, FOLLOWED_UP}), FOLLOWED_UP),
    "close": (frozenset({FOLLOWED_UP, FAILED}), CLOSED),
    "hand_off": (frozenset({RECEIVED, ACCEPTED, IN_MEDIATION, FAILED}), HANDED_OFF),
}
#: Where the deadline runs.
OPEN_STATES = frozenset({ACCEPTED, IN_MEDIATION})
#: Where nothing more happens.
FINAL_STATES = frozenset({DECLINED, CLOSED, HANDED_OFF})
CONFIRMATION_DAYS = 30

_ACTION_NAMES = {
    "accept": ("受理", "accept"), "decline": ("不予受理", "decline"), "session": ("记录调解", "record a session"),
    "agree": ("记录调解协议", "record an agreement"), "fail": ("调解终止", "end mediation as failed"),
    "follow_up": ("回访", "follow up"), "close": ("结案", "close"), "hand_off": ("移交", "hand off"),
}


def next_state(state: str, action: str) -> str | None:
    """The state ``action`` leads to from ``state``, or None if it may not be taken there."""
    starts, to = TRANSITIONS[action]
    return to if state in starts else None


def transition_problem(state: str, action: str) -> tuple[str, str, str] | None:
    if action not in TRANSITIONS:
        return ("action_unknown", "未知操作", "Unknown action")
    if next_state(state, action) is None:
        zh, en = _ACTION_NAMES[action]
        return ("wrong_state", f"案件当前状态不能{zh}", f"A case in this state cannot {en}")
    return None


def allowed_actions(state: str) -> list[str]:
    return [action for action, (starts, _to) in TRANSITIONS.items() if state in starts]


# --- deadlines ---------------------------------------------------------------------------


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day ``months`` later, or that month's last day when it has no such day."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return datetime.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def default_deadline(accepted_on: datetime.date) -> datetime.date:
    return add_months(accepted_on, 1)


def extension_problem(state: str, deadline: datetime.date | None, new_deadline: datetime.date | None,
                      reason: str, parties_agree: bool) -> tuple[str, str, str] | None:
    if state not in OPEN_STATES or deadline is None:
        return ("not_open", "只有已受理、调解中的案件可以延期", "Only an accepted case in mediation can be extended")
    if new_deadline is None or new_deadline <= deadline:
        return ("extension_not_later", "新期限须晚于原期限", "The new deadline must be later than the current one")
    if new_deadline > add_months(deadline, 3):
        return ("extension_too_long", "一次延期不超过三个月", "One extension is three months at most")
    if not (reason or "").strip():
        return ("reason_missing", "请填写延期原因", "Please give the reason for the extension")
    if not parties_agree:
        return ("parties_must_agree", "延期须经双方当事人同意", "Both parties must agree to continue")
    return None


def is_overdue(state: str, deadline: datetime.date | None, today: datetime.date) -> bool:
    return state in OPEN_STATES and deadline is not None and today > deadline


def days_left(deadline: datetime.date | None, today: datetime.date) -> int | None:
    return None if deadline is None else (deadline - today).days


# --- the agreement and its judicial confirmation -----------------------------------------


def agreement_effective_on(form: str, reached_on: datetime.date, signed_on: list[datetime.date],
                           parties: int) -> datetime.date | None:
    """Art. 29: a written agreement is in force once every party signed (the last signature's
    day); art. 30: an oral one from the day it was reached."""
    if form == "oral":
        return reached_on
    if parties and len(signed_on) >= parties:
        return max(signed_on)
    return None


def confirmation_last_day(effective_on: datetime.date, exceptions: dict | None = None) -> datetime.date:
    """The last day to apply for judicial confirmation; ``exceptions`` is the calendar's
    holidays and make-up workdays (``core.workdays``), None to ignore rest days."""
    last = effective_on + datetime.timedelta(days=CONFIRMATION_DAYS)
    if exceptions is not None:
        while not is_working_day(last, exceptions):
            last += datetime.timedelta(days=1)
    return last


def confirmation_problem(effective_on: datetime.date | None, applied_on: datetime.date,
                         exceptions: dict | None = None, *,
                         both_parties: bool = True) -> tuple[str, str, str] | None:
    if effective_on is None:
        return ("agreement_not_in_force", "调解协议尚未生效（各方当事人签名后生效）",
                "The agreement is not in force yet (it is once every party has signed)")
    if not both_parties:
        return ("jointly", "司法确认须由双方当事人共同申请",
                "Both parties must apply for judicial confirmation together")
    if applied_on < effective_on:
        return ("before_in_force", "申请日期早于协议生效日期",
                "The application is dated before the agreement took effect")
    if applied_on > confirmation_last_day(effective_on, exceptions):
        return ("window_passed", "已超过协议生效之日起三十日的申请期限",
                "The 30 days from the agreement taking effect have passed")
    return None


def success_rate(agreements: int, concluded: int) -> Decimal | None:
    """Agreements over cases concluded (agreement, failed or handed off), as a percentage."""
    if not concluded:
        return None
    return (Decimal(agreements) * 100 / Decimal(concluded)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


CONCLUDED_OUTCOMES = ("agreement", "failed", "handed_off")
