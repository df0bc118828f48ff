"""Test helpers: a property register on ``core.testing.two_grids`` and a decision ready to vote."""

from __future__ import annotations

import datetime

from django.utils import timezone

from tongxin.core.models import Organisation
from tongxin.voting.models import ExclusiveUnit, UnitStatus
from tongxin.voting.services import decisions, register


def seed_compound(world) -> list[ExclusiveUnit]:
    """Every household of the test compound becomes a unit of 80.50㎡ with its owner voting."""
    register.seed_from_households(world.places["compound"])
    return list(ExclusiveUnit.objects.filter(place_path__startswith=world.places["compound"].path).order_by("id"))


def developer() -> Organisation:
    return Organisation.objects.get_or_create(code="t-developer", defaults={
        "name": "测试置业有限公司", "kind": "work_unit", "subtype": "开发商",
        "started_on": datetime.date(2015, 1, 1)})[0]


def make_unsold(units) -> None:
    ExclusiveUnit.objects.filter(pk__in=[u.pk for u in units]).update(status=UnitStatus.UNSOLD, developer=developer())


def open_decision(world, *, place="b1", user="worker_a", item=4, days=7, **options):
    """A decision at building 1 (grid A's), opened: 6 owners of 80.50㎡ unless the register changed."""
    closes_at = timezone.now() + datetime.timedelta(days=days)
    decision = decisions.create_decision(world.users[user], world.places[place], title="更换物业公司",
                                         item=item, closes_at=closes_at, **options)
    return decisions.open_decision(world.users[user], decision)
