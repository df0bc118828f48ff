"""The ledger: accounts, entries, approvals, the supervisory committee's review. Writes only;
every write checks the user's scope (``finance.keep`` at the compound)."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.finance import rules
from tongxin.finance.apps import KEEP
from tongxin.finance.models import Account, AccountKind, Direction, Entry
from tongxin.finance.shares import ShareError, to_fen


def can_keep(user, place: Place) -> bool:
    return access.can_see_path(user, KEEP, place.path)


def _require(user, place: Place) -> None:
    if not can_keep(user, place):
        raise PermissionDenied("not allowed to keep the books here")


def open_account(user, place: Place, kind: str, *, opening_yuan="0") -> Account:
    """The compound's account of this kind (created once; a second call returns it)."""
    _require(user, place)
    if place.kind != "compound":
        raise RefusedError("not_compound", "账户须开在小区", "Accounts belong to a compound")
    if kind not in AccountKind.values:
        raise RefusedError("bad_account_kind", "账户类型不对", "Unknown kind of account")
    account, _created = Account.objects.get_or_create(
        place=place, kind=kind, defaults={"place_path": place.path, "opening_fen": _fen(opening_yuan)})
    return account


def _fen(yuan) -> int:
    try:
        return to_fen(yuan)
    except ShareError as error:
        raise RefusedError(error.code, error.message_zh, error.message_en) from None


def enter(user, account: Account, *, date: datetime.date, direction: str, category: str, amount_yuan,
          description: str, decision=None, voucher=None) -> Entry:
    """A new entry, not yet approved. A maintenance-fund spending must cite its decision."""
    _require(user, account.place)
    if direction not in Direction.values:
        raise RefusedError("bad_direction", "请选择收入或支出", "Choose income or spending")
    category, description = (category or "").strip(), (description or "").strip()
    if not category:
        raise RefusedError("no_category", "请填写类别", "Give a category")
    if not description:
        raise RefusedError("no_description", "请填写摘要", "Give a description")
    amount = _fen(amount_yuan)
    if amount <= 0:
        raise RefusedError("amount_zero", "金额须大于零", "The amount must be above zero")
    if decision is not None:
        decision_range = (decision.place.path, decision.place.path_end)
    rules.check_fund_citation(
        account_kind=account.kind, direction=direction,
        decision_state=decision.state if decision else None, decision_passed=decision.passed if decision else None,
        decision_item=decision.item if decision else None, decision_range=decision_range if decision else None,
        compound_path=account.place.path)
    return Entry.objects.create(
        account=account, date=date, direction=direction, category=category[:40], amount_fen=amount,
        description=description[:300], decision=decision if account.kind == AccountKind.MAINTENANCE_FUND else None,
        voucher=voucher or "", entered_by=user)


def approve(user, entry: Entry) -> Entry:
    """A second person approves (the database refuses the one who entered it too)."""
    with transaction.atomic():
        entry = Entry.objects.select_for_update(of=("self",)).select_related("account__place").get(pk=entry.pk)
        _require(user, entry.account.place)
        rules.check_approver(entry.entered_by_id, user.pk, entry.approved_by_id is not None)
        entry.approved_by, entry.approved_at = user, timezone.now()
        entry.save(update_fields=["approved_by", "approved_at"])
    return entry


def review(user, entry: Entry, note: str = "") -> Entry:
    """The supervisory committee's mark (optional): who looked, and what they noted."""
    _require(user, entry.account.place)
    entry.reviewed_by, entry.review_note = user, (note or "").strip()[:300]
    entry.save(update_fields=["reviewed_by", "review_note"])
    return entry
