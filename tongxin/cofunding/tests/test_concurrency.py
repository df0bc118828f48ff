"""On PostgreSQL, at the same moment: two clerks record one receipt (one row, the other told
it is recorded), two receipts that together overpay a share (one goes in), two staff open
collection (one opening, one notice)."""

from decimal import Decimal

import pytest
from django.db import connection

from tongxin.cofunding import services
from tongxin.cofunding.models import OwnerShare, Payment, Project
from tongxin.cofunding.services import SourceInput
from tongxin.core.errors import RefusedError
from tongxin.core.models import PlaceNotice
from tongxin.core.testing import at_once, login_for, two_grids

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def collecting(world):
    project = services.create(world.users["staff"], world.places["compound"], title="加装电梯", budget_fen=600,
                              owners_rule="per_household", buildings=[world.places["b1"].pk],
                              sources=[SourceInput("owners", "受益业主", percent=Decimal(100))])
    return services.open_collection(world.users["staff"], project)


def clerks(world):
    return [world.users["staff"], login_for(world, "staff2", "community_staff", place=world.places["community"],
                                            phone="13100000099")]


def test_one_receipt_recorded_twice_at_once():
    assert connection.vendor == "postgresql"
    world = two_grids()
    project = collecting(world)
    first, second = OwnerShare.objects.filter(project=project).order_by("id")[:2]
    outcomes = at_once([lambda u=u, s=s: services.record_payment(u, s, amount_fen=50, receipt_no="NO.8")
                        for u, s in zip(clerks(world), (first, second), strict=True)])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and isinstance(refused[0], RefusedError), outcomes
    assert refused[0].code == "receipt_used"
    assert Payment.objects.filter(project=project, receipt_no="NO.8").count() == 1
    assert sum(OwnerShare.objects.filter(project=project).values_list("paid_fen", flat=True)) == 50


def test_two_receipts_that_together_overpay_a_share():
    world = two_grids()
    project = collecting(world)
    share = OwnerShare.objects.filter(project=project).order_by("id").first()
    assert share.amount_fen == 100
    outcomes = at_once([lambda u=u, n=n: services.record_payment(u, share, amount_fen=60, receipt_no=f"NO.{n}")
                        for n, u in enumerate(clerks(world))])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and getattr(refused[0], "code", None) == "overpaid", outcomes
    share.refresh_from_db()
    assert share.paid_fen == 60 and Payment.objects.filter(share=share).count() == 1


def test_collection_opened_twice_at_once():
    world = two_grids()
    project = services.create(world.users["staff"], world.places["compound"], title="加装电梯", budget_fen=600,
                              owners_rule="per_household", buildings=[world.places["b1"].pk],
                              sources=[SourceInput("owners", "受益业主", percent=Decimal(100))])
    outcomes = at_once([lambda u=u: services.open_collection(u, Project.objects.get(pk=project.pk))
                        for u in clerks(world)])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and getattr(refused[0], "code", None) == "state_open", outcomes
    assert Project.objects.get(pk=project.pk).state == "collecting"
    assert OwnerShare.objects.filter(project=project).count() == 6
    assert PlaceNotice.objects.filter(link=f"/cofunding/p/{project.pk}/").count() == 1
