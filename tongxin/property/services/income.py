"""Income from the common parts (Civil Code art. 282): a quarter's lines entered by the
managing company's staff, published to the compound's notice board and then frozen; the
owners' committee checks it."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tongxin.core import place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.finance.shares import ShareError, to_fen, to_yuan
from tongxin.property import rules
from tongxin.property.models import FROZEN, IncomeCheck, IncomeLine, IncomeReport
from tongxin.property.selectors import can_check, can_keep


def require_keep(user, compound: Place) -> None:
    if not can_keep(user, compound):
        raise PermissionDenied("not the managing company's staff here")


def fen(yuan) -> int:
    try:
        return to_fen(yuan if str(yuan).strip() else "0")
    except ShareError as error:
        raise RefusedError(error.code, error.message_zh, error.message_en) from None


def open_report(user, compound: Place, year: int, quarter: int) -> IncomeReport:
    """The quarter's report of the compound (made once; a second call returns it)."""
    require_keep(user, compound)
    if compound.kind != "compound":
        raise RefusedError("not_compound", "共有部分收入按小区公示", "Income of the common parts is per compound")
    rules.check_quarter(year, quarter)
    try:
        with transaction.atomic():
            report, _created = IncomeReport.objects.get_or_create(
                place=compound, year=year, quarter=quarter,
                defaults={"place_path": compound.path, "created_by": user})
    except IntegrityError:  # made at the same moment by a colleague
        report = IncomeReport.objects.get(place=compound, year=year, quarter=quarter)
    return report


def _draft(user, report: IncomeReport) -> IncomeReport:
    report = IncomeReport.objects.select_for_update().select_related("place").get(pk=report.pk)
    require_keep(user, report.place)
    if report.published_at is not None:
        raise RefusedError(*FROZEN)
    return report


def add_line(user, report: IncomeReport, *, kind: str, description: str, gross_yuan, cost_yuan="0") -> IncomeLine:
    rules.check_income_kind(kind)
    description = (description or "").strip()
    if not description:
        raise RefusedError("no_description", "请填写收入说明（如：3栋电梯广告）",
                           "Describe the income (e.g. lift adverts, building 3)")
    gross, cost = fen(gross_yuan), fen(cost_yuan)
    rules.net_fen(gross, cost)
    with transaction.atomic():
        report = _draft(user, report)
        return IncomeLine.objects.create(report=report, kind=kind, description=description[:200], gross_fen=gross,
                                         cost_fen=cost)


def remove_line(user, line: IncomeLine) -> None:
    with transaction.atomic():
        _draft(user, line.report)
        IncomeLine.objects.filter(pk=line.pk).delete()


def publish(user, report: IncomeReport) -> IncomeReport:
    """Freeze the report and post it on the compound's board, linking to its public page."""
    with transaction.atomic():
        report = _draft(user, report)
        lines = list(report.lines.all())
        if not lines:
            raise RefusedError("no_lines", "没有收入明细，不能公示（本季度无收入也请写一行说明）",
                               "Nothing to publish: add the quarter's income first")
        report.published_at, report.published_by = timezone.now(), user
        report.notice = _notice(user, report, lines)
        report.save(update_fields=["published_at", "published_by", "notice"])
    return report


def _notice(user, report: IncomeReport, lines):
    gross = sum(line.gross_fen for line in lines)
    cost = sum(line.cost_fen for line in lines)
    title = f"{report.place.name}{report.year}年第{report.quarter}季度共有部分经营收入公示"
    body = (f"利用业主共有部分产生的收入 {to_yuan(gross)} 元，扣除合理成本 {to_yuan(cost)} 元，"
            f"属于全体业主共有 {to_yuan(gross - cost)} 元（《民法典》第二百八十二条）。")
    return place_notices.create_by_rule(
        report.place, by=user, title=title[:100], body=body, link=reverse("property-income", args=[report.pk]),
        expires_at=timezone.now() + datetime.timedelta(days=90))


def check(user, report: IncomeReport, *, agrees: bool, note: str = "") -> IncomeCheck:
    """An owners' committee member's check of a published report (once each)."""
    if not can_check(user, report.place):
        raise PermissionDenied("not the owners' committee here")
    if report.published_at is None:
        raise RefusedError("not_published", "公示后才能核对", "Check it once it is published")
    note = (note or "").strip()
    if not agrees and not note:
        raise RefusedError("note_required", "有异议时请写明理由", "Say what does not agree")
    try:
        with transaction.atomic():
            return IncomeCheck.objects.create(report=report, checked_by=user, agrees=agrees, note=note[:300])
    except IntegrityError:
        raise RefusedError("checked", "您已经核对过这份公示", "You have already checked this report") from None
