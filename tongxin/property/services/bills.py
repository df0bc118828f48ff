"""Bills and payments: a period's property service fee for every household of a compound,
from the standard in force (per m² × floor area, rounded to the fen), and one payment per bill."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, Place
from tongxin.core.tree import lineage
from tongxin.property import rules
from tongxin.property.models import Bill, FeeStandard, Payment
from tongxin.property.services.income import fen, require_keep
from tongxin.property.services.standards import service_item


def generate(user, compound: Place, year: int, month: int | None = None) -> int:
    """Bills of the period for every open household of the compound not yet billed for it;
    how many were made. Refused as a whole when a household has no floor area (named), when
    no standard is in force, or when the year is billed the other way (by year / by month)."""
    require_keep(user, compound)
    rules.check_period(year, month)
    starts = datetime.date(year, month or 1, 1)
    pk = rules.in_force(FeeStandard.objects.filter(place=compound).values_list("effective_from", "pk"), starts)
    if pk is None:
        raise RefusedError("no_standard", "这个期间没有生效的收费标准，请先登记收费标准",
                           "No fee standard is in force for the period: record the standard first")
    standard = FeeStandard.objects.prefetch_related("items").get(pk=pk)
    items = list(standard.items.all())
    households = list(Household.objects.filter(
        place_path__gte=compound.path, place_path__lt=compound.path_end, closed_on__isnull=True,
    ).select_related("place").order_by("place_path", "pk"))
    buildings = dict(Place.objects.filter(path__gte=compound.path, path__lt=compound.path_end, kind="building")
                     .values_list("path", "pk"))
    with transaction.atomic():
        # One generation per compound at a time.
        Place.objects.select_for_update().get(pk=compound.pk)
        this_year = Bill.objects.filter(compound=compound, year=year)
        other_way = this_year.filter(month__isnull=month is not None)
        if other_way.exists():
            raise RefusedError("period_mixed", "这一年已经按另一种期间（按年或按月）出过账单",
                               "This year is already billed the other way (by year or by month)")
        billed = set(this_year.filter(month=month).values_list("household_id", flat=True))
        todo = [h for h in households if h.pk not in billed]
        missing = [h for h in todo if h.floor_area is None]
        if missing and any(i.unit == rules.PER_M2_MONTH for i in items if i.kind == rules.SERVICE_FEE):
            named = "、".join(f"{h.place.name}{h.unit_number}" for h in missing[:5])
            raise RefusedError("area_missing", f"{len(missing)}户缺少建筑面积（{named}…），请先补全面积再出账单",
                               f"{len(missing)} households have no floor area ({named}…): fill them in first")
        rows = []
        for household in todo:
            building = next((buildings[p] for p in reversed(lineage(household.place_path)) if p in buildings), None)
            item = service_item(items, building)
            if item is None:
                raise RefusedError("no_service_fee", "收费标准里没有物业服务费",
                                   "The standard has no property service fee")
            rows.append(Bill(household=household, place_path=household.place_path, compound=compound,
                             building_id=building, standard=standard, item=item, year=year, month=month,
                             floor_area=household.floor_area, created_by=user,
                             due_fen=rules.due_fen(item.price_fen, item.unit, household.floor_area,
                                                   rules.months_of(month))))
        try:
            with transaction.atomic():
                Bill.objects.bulk_create(rows, batch_size=1000)
        except IntegrityError:
            raise RefusedError("bills_busy", "账单正在由他人生成，请稍后再试",
                               "Bills are being made by someone else; try again") from None
    return len(rows)


def pay(user, bill: Bill, *, amount_yuan=None, paid_on: datetime.date | None = None, method: str = "") -> Payment:
    """Record the payment of a bill (the whole due unless an amount is given). One payment
    per bill: a second, or two at the same moment, is refused (the database keeps one)."""
    with transaction.atomic():
        bill = Bill.objects.select_for_update(of=("self",)).select_related("compound").get(pk=bill.pk)
        require_keep(user, bill.compound)
        amount = bill.due_fen - bill.paid_fen if amount_yuan in (None, "") else fen(amount_yuan)
        rules.check_payment(amount, bill.due_fen, bill.paid_fen, Payment.objects.filter(bill=bill).exists())
        try:
            with transaction.atomic():
                payment = Payment.objects.create(bill=bill, amount_fen=amount, paid_on=paid_on or datetime.date.today(),
                                                 method=(method or "").strip()[:20], recorded_by=user)
        except IntegrityError:
            raise RefusedError("bill_paid", "这张账单已经登记过缴费",
                               "A payment is already recorded for this bill") from None
        Bill.objects.filter(pk=bill.pk).update(paid_fen=F("paid_fen") + amount)
    return payment
