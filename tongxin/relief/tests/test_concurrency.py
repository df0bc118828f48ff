"""On PostgreSQL, two workers hand the same household its relief at the same moment: one
hand-over is written, the other gets the clear bilingual refusal; the stock is taken once.
And two households take the last parcel at once: one gets it, the shelf never goes below zero."""

import base64

import pytest
from django.db import connection

from tongxin.core.errors import RefusedError
from tongxin.core.testing import at_once, two_grids
from tongxin.relief import services
from tongxin.relief.models import Entitlement, HandOver, Item

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
SIGNED = "data:image/png;base64," + base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 40).decode()


def opened(world, stock: int):
    staff = world.users["staff"]
    found = services.create(staff, world.places["community"], title="冬季御寒物资", rule_tags=["elderly_alone"])
    services.add_item(staff, found, name="棉被", unit="床", stock=stock)
    services.open_distribution(staff, found)
    return found


def hand(user, entitlement_pk):
    return lambda: services.hand_over(user, Entitlement.objects.get(pk=entitlement_pk), signature=SIGNED)


def test_one_relief_item_handed_out_twice_at_once_is_refused():
    assert connection.vendor == "postgresql"
    world = two_grids()
    found = opened(world, stock=10)
    entitlement = Entitlement.objects.filter(distribution=found, building=world.places["b1"]).first()
    outcomes = at_once([hand(world.users["worker_a"], entitlement.pk), hand(world.users["chief_b1"], entitlement.pk)])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and isinstance(refused[0], RefusedError), outcomes
    assert refused[0].code == "already_handed_over"
    assert refused[0].message_zh == "这户已经领取过了，不能重复发放"
    assert HandOver.objects.count() == 1
    assert Item.objects.get().handed_out == 1


def test_the_last_parcel_taken_at_once_goes_to_one_household():
    world = two_grids()
    found = opened(world, stock=1)
    first, second = Entitlement.objects.filter(distribution=found, building=world.places["b1"]).order_by("id")[:2]
    outcomes = at_once([hand(world.users["worker_a"], first.pk), hand(world.users["chief_b1"], second.pk)])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and refused[0].code == "stock_out", outcomes
    assert HandOver.objects.count() == 1
    item = Item.objects.get()
    assert (item.handed_out, item.remaining) == (1, 0)
