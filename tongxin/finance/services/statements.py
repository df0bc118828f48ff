"""Quarterly statements: generated from the approved entries, frozen when published,
corrected only by a later statement that links to the one it corrects (更正)."""

from __future__ import annotations

import datetime
import logging

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tongxin.core import place_notices
from tongxin.core.errors import RefusedError
from tongxin.finance import rules
from tongxin.finance.models import Account, Entry, Statement
from tongxin.finance.services.ledger import _require
from tongxin.finance.shares import to_yuan

log = logging.getLogger(__name__)


def _opening_fen(account: Account, year: int, quarter: int) -> int:
    """The account's opening balance plus every approved entry before the quarter."""
    start, _end = rules.quarter_bounds(year, quarter)
    before = Entry.objects.filter(account=account, approved_by__isnull=False, date__lt=start)
    found = rules.totals(account.opening_fen, (rules.Line(d, c, a) for d, c, a in
                                               before.values_list("direction", "category", "amount_fen")))
    return found.closing_fen


def generate(user, account: Account, year: int, quarter: int, *, corrects: Statement | None = None,
             reason: str = "") -> Statement:
    """A draft statement of the quarter's approved entries. A quarter already published needs
    ``corrects`` (the published one) and a reason."""
    _require(user, account.place)
    start, end = rules.quarter_bounds(year, quarter)
    reason = (reason or "").strip()
    with transaction.atomic():
        # One writer per account at a time: the latest published statement is decided under the lock.
        Account.objects.select_for_update().get(pk=account.pk)
        latest = (Statement.objects.filter(account=account, year=year, quarter=quarter, published_at__isnull=False)
                  .exclude(correction__published_at__isnull=False).first())
        if latest is not None and corrects is None:
            raise RefusedError("quarter_published", "本季度账目已公开，如有错误请出更正并说明理由",
                               "This quarter is published; to fix it, publish a correction with a reason")
        if corrects is not None:
            if latest is None or corrects.pk != latest.pk:
                raise RefusedError("correct_latest", "只能更正本季度最新公开的账目",
                                   "Only the quarter's latest published statement can be corrected")
            if not reason:
                raise RefusedError("correction_reason", "请说明更正的理由", "Give the reason for the correction")
        entries = list(Entry.objects.filter(account=account, approved_by__isnull=False, date__gte=start,
                                            date__lt=end).order_by("date", "id"))
        found = rules.totals(_opening_fen(account, year, quarter),
                             (rules.Line(e.direction, e.category, e.amount_fen) for e in entries))
        Statement.objects.filter(account=account, year=year, quarter=quarter, published_at__isnull=True).delete()
        return Statement.objects.create(
            account=account, year=year, quarter=quarter, opening_fen=found.opening_fen, income_fen=found.income_fen,
            spending_fen=found.spending_fen, closing_fen=found.closing_fen, corrects=corrects,
            correction_reason=reason[:300] if corrects else "", created_by=user,
            lines=[{"entry": e.pk, "date": e.date.isoformat(), "direction": e.direction, "category": e.category,
                    "amount_fen": e.amount_fen, "description": e.description} for e in entries])


def publish(user, statement: Statement) -> Statement:
    """Freeze the statement and post it on the compound's notice board with the link to its
    public page. A second publish is refused (it is frozen)."""
    with transaction.atomic():
        statement = Statement.objects.select_for_update(of=("self",)).select_related("account__place").get(
            pk=statement.pk)
        _require(user, statement.account.place)
        if statement.published_at is not None:
            raise RefusedError("statement_frozen", "已公开的季度账目不能修改，请另出更正",
                               "A published statement cannot be changed; publish a correction")
        statement.published_at = timezone.now()
        # In the same save as published_at: after it the row is frozen.
        statement.notice = _notice(user, statement)
        statement.save(update_fields=["published_at", "notice"])
    return statement


def _notice(user, statement: Statement):
    """The statement on the compound's board: by the publisher, or by the rule itself when
    they keep the books but may not post notices there (an owners' committee member): a
    published statement is always on the wall."""
    place = statement.account.place
    kind = statement.account.get_kind_display()
    title = f"{place.name}{kind}{statement.year}年第{statement.quarter}季度收支公开"
    if statement.corrects_id:
        title += "（更正）"
    body = (f"期初余额 {to_yuan(statement.opening_fen)} 元，收入 {to_yuan(statement.income_fen)} 元，"
            f"支出 {to_yuan(statement.spending_fen)} 元，期末余额 {to_yuan(statement.closing_fen)} 元。")
    if statement.corrects_id:
        body += f"更正理由：{statement.correction_reason}"
    body += f"\n打印版（PDF）：{reverse('finance-statement-pdf', args=[statement.pk])}"
    fields = {"title": title[:100], "body": body[:2000], "link": reverse("finance-statement", args=[statement.pk]),
              "expires_at": timezone.now() + datetime.timedelta(days=90)}
    return place_notices.create_by_rule(place, by=user, **fields)
