"""Fee standards: a compound's prices from a date on. A new standard supersedes the one in
force (which is kept, with its items, for the history); a standard already billed from is
never changed."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction

from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.property import rules
from tongxin.property.models import FeeItem, FeeKind, FeeStandard, FeeUnit
from tongxin.property.services.income import fen, require_keep


@dataclass(frozen=True)
class Item:
    kind: str
    name: str
    unit: str
    price_yuan: str
    building: Place | None = None


def create(user, compound: Place, *, effective_from: datetime.date, basis: str, items: list[Item],
           decision=None) -> FeeStandard:
    require_keep(user, compound)
    basis = (basis or "").strip()
    if not basis:
        raise RefusedError("no_basis", "请写明收费依据（物业服务合同、业主大会决定或政府指导价）",
                           "Give the basis of the fees (the contract, the owners' decision, the official price)")
    if not items:
        raise RefusedError("no_items", "请至少填写一项收费", "Give at least one fee")
    rows = []
    for item in items:
        if item.kind not in FeeKind.values or item.unit not in FeeUnit.values:
            raise RefusedError("bad_item", "收费项目或计价单位不对", "Unknown fee or unit")
        if item.building is not None and (item.building.kind != "building"
                                          or not compound.path <= item.building.path < compound.path_end):
            raise RefusedError("bad_building", "只能按本小区的楼栋定价",
                               "A price by building must be for a building of this compound")
        name = (item.name or "").strip() or str(dict(FeeKind.choices)[item.kind])
        rows.append(FeeItem(kind=item.kind, name=name[:60], unit=item.unit, price_fen=fen(item.price_yuan),
                            building=item.building))
    if decision is not None:
        if not (decision.place.path <= compound.path or compound.path <= decision.place.path < compound.path_end):
            raise RefusedError("decision_elsewhere", "引用的业主决定不属于本小区",
                               "The decision cited is not this compound's")
        if decision.state != "closed" or not decision.passed:
            raise RefusedError("decision_not_passed", "引用的业主决定须已表决通过",
                               "The decision cited must have passed")
    try:
        with transaction.atomic():
            standard = FeeStandard.objects.create(place=compound, place_path=compound.path,
                                                  effective_from=effective_from, basis=basis[:4000],
                                                  decision=decision, created_by=user)
            for row in rows:
                row.standard = standard
            FeeItem.objects.bulk_create(rows)
    except IntegrityError:
        raise RefusedError("standard_duplicate", "同一生效日期已有收费标准，或同一收费项目重复",
                           "A standard is already in force from that date, or a fee is given twice") from None
    return standard


def service_item(items: list[FeeItem], building_id: int | None) -> FeeItem | None:
    """The property service fee that applies to a building: its own, else the compound's."""
    service = [i for i in items if i.kind == rules.SERVICE_FEE]
    return (next((i for i in service if i.building_id == building_id and building_id is not None), None)
            or next((i for i in service if i.building_id is None), None))
