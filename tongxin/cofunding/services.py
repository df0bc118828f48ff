"""Every write of co-funded projects, each one transaction with its permission checked:
create with sources, compute the households' shares, open collection (freezing them and
publishing the project), record payments, report progress, start the work, complete it
with the final accounts. ``docs/cofunding.md``."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from tongxin.cofunding import rules
from tongxin.cofunding.apps import MANAGE
from tongxin.cofunding.models import (
    OwnerShare,
    OwnersRule,
    Payment,
    ProgressUpdate,
    Project,
    Source,
    SourceKind,
    SpentItem,
)
from tongxin.core import access, place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, Place
from tongxin.finance import shares
from tongxin.finance.shares import ShareError

MAX_SOURCES = 10
MAX_SPENT_ITEMS = 50
_RULES = {OwnersRule.PER_HOUSEHOLD: shares.PER_HOUSEHOLD, OwnersRule.PER_AREA: shares.PER_AREA}


@dataclass(frozen=True)
class SourceInput:
    """A source as entered: a fixed amount in fen, or a percentage (0–100) of what the
    fixed ones leave."""

    kind: str
    name: str
    fixed_fen: int | None = None
    percent: Decimal | None = None


def _refused(error: ShareError) -> RefusedError:
    return RefusedError(error.code, error.message_zh, error.message_en)


def _check_manage(user, project_or_place) -> None:
    path = project_or_place.place_path if isinstance(project_or_place, Project) else project_or_place.path
    if not access.can_see_path(user, MANAGE, path):
        raise PermissionDenied("not allowed to run co-funded projects here")


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("place").get(pk=project.pk)


def source_amounts(budget_fen: int, sources: list[SourceInput]) -> list[int]:
    """The budget among the sources (``shares.split_sources``): sums to the budget exactly."""
    for source in sources:
        if source.kind not in SourceKind.values:
            raise RefusedError("source_kind", "资金来源类别不对", "Unknown kind of source")
        if not source.name.strip():
            raise RefusedError("source_name", "请填写资金来源名称", "Name every source")
        if (source.fixed_fen is None) == (source.percent is None):
            raise RefusedError("source_amount", f"资金来源「{source.name}」须填固定金额或比例之一",
                               f"Source “{source.name}” needs either a fixed amount or a percentage")
        if source.percent is not None and not 0 <= source.percent <= 100:
            raise RefusedError("source_percent", "比例须在 0 到 100 之间", "A percentage is 0 to 100")
    if sum(1 for s in sources if s.kind == SourceKind.OWNERS) > 1:
        raise RefusedError("owners_twice", "受益业主只能作为一个资金来源", "The owners who benefit are one source")
    try:
        return shares.split_sources(budget_fen, [
            shares.Source(s.name, fixed_fen=s.fixed_fen,
                          fraction=None if s.percent is None else Fraction(str(s.percent)) / 100,
                          beneficiaries=s.kind == SourceKind.OWNERS)
            for s in sources
        ])
    except ShareError as error:
        raise _refused(error) from None


def _buildings(compound: Place, building_ids) -> list[Place]:
    ids = {int(i) for i in building_ids}
    found = list(Place.objects.filter(pk__in=ids, kind="building", path__gt=compound.path,
                                      path__lt=compound.path_end).order_by("path"))
    if not found or len(found) != len(ids):
        raise RefusedError("buildings_invalid", "请选择本小区的受益楼栋",
                           "Choose the benefiting buildings of this compound")
    return found


def _check_decision(decision, compound: Place) -> None:
    """An approving decision is a closed, passed owners' decision taken at the compound, at a
    place containing it, or at one of its buildings."""
    if decision is None:
        return
    related = compound.path.startswith(decision.place_path) or decision.place_path.startswith(compound.path)
    if decision.state != "closed" or decision.passed is not True or not related:
        raise RefusedError("decision_invalid", "所引用的业主表决须已结束、已通过，且属于本小区",
                           "The owners' decision cited must be closed, passed and of this compound")


@transaction.atomic
def create(user, compound: Place, *, title: str, budget_fen: int, owners_rule: str, buildings,
           sources: list[SourceInput], description: str = "", decision=None) -> Project:
    """A draft project with its sources' amounts and a first computation of the shares."""
    if compound.kind != "compound":
        raise RefusedError("place_not_compound", "共建项目须属于一个小区", "A co-funded project belongs to a compound")
    _check_manage(user, compound)
    title = title.strip()
    if not title:
        raise RefusedError("title_missing", "请填写项目名称", "Give the project a title")
    if budget_fen <= 0:
        raise RefusedError("budget_missing", "请填写项目预算", "Give the project's budget")
    if owners_rule not in OwnersRule.values:
        raise RefusedError("rule_invalid", "请选择业主分摊方式", "Choose how the owners share")
    if not 1 <= len(sources) <= MAX_SOURCES:
        raise RefusedError("sources_count", f"请填写 1 到 {MAX_SOURCES} 个资金来源",
                           f"Name 1 to {MAX_SOURCES} sources")
    chosen = _buildings(compound, buildings)
    _check_decision(decision, compound)
    amounts = source_amounts(budget_fen, sources)
    project = Project.objects.create(
        place=compound, place_path=compound.path, title=title[:200], description=description.strip(),
        budget_fen=budget_fen, owners_rule=owners_rule, decision=decision, created_by=user,
    )
    project.buildings.set(chosen)
    Source.objects.bulk_create([
        Source(project=project, position=n, kind=s.kind, name=s.name.strip()[:100], fixed_fen=s.fixed_fen,
               percent=s.percent, amount_fen=amount)
        for n, (s, amount) in enumerate(zip(sources, amounts, strict=True), 1)
    ])
    _compute(project)
    return project


def owners_part(project: Project) -> int:
    """What the owners who benefit pay together (0 without an owners' source)."""
    found = Source.objects.filter(project=project, kind=SourceKind.OWNERS).values_list("amount_fen", flat=True).first()
    return found or 0


def _unit(household: Household, building: Place) -> str:
    return f"{building.name}{household.place.name if household.place_id != building.pk else ''} {household.unit_number}"


def _compute(project: Project) -> list[OwnerShare]:
    """The households of the benefiting buildings (living ones, in register order) and their
    shares of the owners' part (``shares.split_among_owners``): sums to it exactly."""
    buildings = list(project.buildings.order_by("path"))
    in_buildings = Q()
    for building in buildings:
        in_buildings |= Q(place_path__gte=building.path, place_path__lt=building.path_end)
    households = list(Household.objects.filter(in_buildings, closed_on__isnull=True).select_related("place")
                      .order_by("place_path", "unit_number", "pk"))
    owed = owners_part(project)
    OwnerShare.objects.filter(project=project).delete()
    if owed == 0:
        return []
    if not households:
        raise RefusedError("no_households", "受益楼栋里没有登记住户，无法分摊",
                           "The benefiting buildings have no registered households to share among")

    def building_of(household):
        return next(b for b in buildings if household.place_path.startswith(b.path))

    if project.owners_rule == OwnersRule.PER_AREA:
        missing = [h for h in households if h.floor_area is None]
        if missing:
            units = "、".join(_unit(h, building_of(h)) for h in missing[:5])
            more = f" 等 {len(missing)} 户" if len(missing) > 5 else ""
            more_en = f" and {len(missing) - 5} more" if len(missing) > 5 else ""
            raise RefusedError("area_missing", f"{units}{more}没有登记面积，无法按面积分摊；请先在住户登记中补上面积",
                               f"{units}{more_en}: no floor area registered, so the owners cannot share by area; "
                               "add it in the household register first")
        bases = [h.floor_area for h in households]
    else:
        bases = [Decimal(1)] * len(households)
    try:
        amounts = shares.split_among_owners(owed, bases, _RULES[project.owners_rule])
    except ShareError as error:
        raise _refused(error) from None
    return OwnerShare.objects.bulk_create([
        OwnerShare(project=project, household=h, building=building_of(h), basis=basis, amount_fen=amount)
        for h, basis, amount in zip(households, bases, amounts, strict=True)
    ], batch_size=1000)


@transaction.atomic
def compute_shares(user, project: Project) -> list[OwnerShare]:
    """Recompute a draft's shares (after the register changed): refused once collection opens."""
    _check_manage(user, project)
    project = _locked(project)
    rules.check(project.state, "compute_shares")
    return _compute(project)


def public_url(project: Project) -> str:
    return reverse("cofunding-public", args=[project.pk])


def _publish(user, project: Project, title: str, body: str) -> None:
    place_notices.create_by_rule(project.place, by=user, title=title[:100], body=body[:2000],
                                 link=public_url(project), expires_at=timezone.now() + datetime.timedelta(days=30))


@transaction.atomic
def open_collection(user, project: Project) -> Project:
    """Draft → collecting: the shares are computed once more from the register as it is now
    and frozen; the project goes on the compound's notice board with its public page."""
    _check_manage(user, project)
    project = _locked(project)
    project.state = rules.next_state(project.state, "open")
    _compute(project)
    project.opened_at = timezone.now()
    project.save(update_fields=["state", "opened_at"])
    lines = [f"{s.name}：¥{shares.to_yuan(s.amount_fen)}" for s in project.sources.all()]
    count = OwnerShare.objects.filter(project=project).count()
    rule = "按户均摊" if project.owners_rule == OwnersRule.PER_HOUSEHOLD else "按专有面积分摊"
    _publish(user, project, f"共建项目开始收款：{project.title}",
             f"项目预算 ¥{shares.to_yuan(project.budget_fen)}。资金来源：" + "；".join(lines)
             + (f"。受益业主 {count} 户，{rule}，各户应缴金额可登录查看。" if count else "。"))
    return project


@transaction.atomic
def start_work(user, project: Project) -> Project:
    """Collecting → work in progress (payments may still come in)."""
    _check_manage(user, project)
    project = _locked(project)
    project.state = rules.next_state(project.state, "start")
    project.save(update_fields=["state"])
    return project


def record_payment(user, share: OwnerShare, *, amount_fen: int, receipt_no: str) -> Payment:
    """A household's payment against its frozen share. The receipt is recorded once per
    project (the database's unique constraint: two clerks at once, one wins); more than what
    is still due is refused (a conditional update, and the database's check behind it)."""
    receipt_no = receipt_no.strip()
    if not receipt_no:
        raise RefusedError("receipt_missing", "请填写收据编号", "Give the receipt number")
    if amount_fen <= 0:
        raise RefusedError("amount_missing", "缴款金额须大于零", "The payment must be more than zero")
    with transaction.atomic():
        project = Project.objects.get(pk=share.project_id)
        _check_manage(user, project)
        rules.check(project.state, "pay")
        try:
            with transaction.atomic():
                payment = Payment.objects.create(project=project, share_id=share.pk, amount_fen=amount_fen,
                                                 receipt_no=receipt_no[:40], recorded_by=user)
        except IntegrityError:
            raise RefusedError("receipt_used", f"收据 {receipt_no} 已经登记过了",
                               f"Receipt {receipt_no} is already recorded") from None
        paid = OwnerShare.objects.filter(pk=share.pk, paid_fen__lte=F("amount_fen") - amount_fen).update(
            paid_fen=F("paid_fen") + amount_fen)
        if not paid:
            left = OwnerShare.objects.filter(pk=share.pk).values_list("amount_fen", "paid_fen").get()
            raise RefusedError("overpaid", f"超过了该户尚未缴纳的金额（还应缴 ¥{shares.to_yuan(left[0] - left[1])}）",
                               f"More than the household still owes (¥{shares.to_yuan(left[0] - left[1])})")
    return payment


@transaction.atomic
def add_progress(user, project: Project, *, date: datetime.date, text: str) -> ProgressUpdate:
    _check_manage(user, project)
    project = _locked(project)
    rules.check(project.state, "progress")
    text = text.strip()
    if not text:
        raise RefusedError("progress_missing", "请填写进度说明", "Describe the progress")
    return ProgressUpdate.objects.create(project=project, date=date, text=text[:1000], created_by=user)


@transaction.atomic
def complete(user, project: Project, *, items: list[tuple[str, int]], note: str = "") -> Project:
    """Work in progress → completed, with the final accounts (what was spent, line by line);
    a spending other than the budget is explained (``rules.check_final_accounts``). The
    final accounts go on the notice board."""
    _check_manage(user, project)
    project = _locked(project)
    project.state = rules.next_state(project.state, "complete")
    items = [(d.strip(), a) for d, a in items if d.strip() or a]
    if len(items) > MAX_SPENT_ITEMS:
        raise RefusedError("spent_count", f"决算明细最多 {MAX_SPENT_ITEMS} 行", f"At most {MAX_SPENT_ITEMS} lines")
    for description, amount in items:
        if not description or amount <= 0:
            raise RefusedError("spent_line", "每行决算须有项目名称和大于零的金额",
                               "Every line needs an item and an amount above zero")
    spent = sum(a for _d, a in items)
    rules.check_final_accounts(project.budget_fen, spent, note)
    SpentItem.objects.bulk_create([SpentItem(project=project, position=n, description=d[:200], amount_fen=a)
                                   for n, (d, a) in enumerate(items, 1)])
    project.balance_note = note.strip()[:500]
    project.completed_at = timezone.now()
    project.save(update_fields=["state", "balance_note", "completed_at"])
    balance = project.budget_fen - spent
    _publish(user, project, f"共建项目竣工决算：{project.title}",
             f"预算 ¥{shares.to_yuan(project.budget_fen)}，实际支出 ¥{shares.to_yuan(spent)}"
             + (f"，结余 ¥{shares.to_yuan(balance)}" if balance > 0 else "")
             + (f"，超支 ¥{shares.to_yuan(-balance)}" if balance < 0 else "")
             + (f"。说明：{project.balance_note}" if project.balance_note else "。"))
    return project


def yuan_to_fen(raw: str, what: str) -> int:
    """A form's amount in yuan to fen, refused bilingually (for the views)."""
    try:
        return shares.to_fen((raw or "").strip() or "x")
    except ShareError as error:
        raise RefusedError(error.code, f"{what}：{error.message_zh}", f"{what}: {error.message_en}") from None


def percent(raw: str) -> Decimal:
    try:
        value = Decimal(raw.strip())
    except (InvalidOperation, ValueError):
        raise RefusedError("source_percent", "比例须是 0 到 100 的数", "A percentage is a number 0 to 100") from None
    if not value.is_finite() or value != value.quantize(Decimal("0.0001")):
        raise RefusedError("source_percent", "比例最多四位小数", "A percentage has at most four decimals")
    return value

