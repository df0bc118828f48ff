"""Demand events for other systems (issue 8): the webhooks of issue 4 carry created, state
changed, closed and rated, to a real HTTP receiver, each once, never naming the resident."""

import datetime

import pytest
from django.db import transaction

from tongxin.core import delivery
from tongxin.core.models import InboxItem, OutboxMessage, WebhookSubscriber
from tongxin.core.testing import WebhookReceiver
from tongxin.demands import merging, services
from tongxin.demands.models import Category, Demand
from tongxin.demands.testing import file_report

pytestmark = pytest.mark.django_db

KINDS = ["demand_created", "demand_state_changed", "demand_closed", "demand_rated"]


@pytest.fixture
def receiver():
    hook = WebhookReceiver("hook-secret")
    yield hook
    hook.close()


def report(world, where="b1u1", key="w1"):
    return services.report(world.places[where], category=Category.objects.get(code="lighting"),
                           description="楼道灯坏了，请找王秀英", name="王秀英", phone="13812345678", key=key)


def test_a_demands_life_reaches_the_subscriber_once_per_event_without_the_resident(world, receiver):
    WebhookSubscriber.objects.create(name="省平台", url=receiver.url, secret="hook-secret", kinds=KINDS)
    demand = report(world)
    assert not OutboxMessage.objects.exists()  # not counted before the intake
    services.take_in(demand.pk)
    services.take_in(demand.pk)  # a second intake changes nothing
    worker, handler = world.users["worker_a"], world.users["chief_b1"]
    services.act(worker, demand, "accept")
    services.act(worker, demand, "dispatch", handler=handler)
    services.act(handler, demand, "resolve", note="换了灯泡")
    services.act(worker, demand, "verify")
    services.act(worker, demand, "comment", note="跟进")  # no change of state: nothing to say
    services.act(worker, demand, "close", note="已修好")
    services.rate(demand, 2, "王秀英说还是不亮")  # unsatisfied within 7 days: reopened
    delivery.deliver_due()  # the staff's own notices too
    assert delivery.deliver_due() == 0
    assert OutboxMessage.objects.filter(channel="webhook").count() == len(receiver.bodies) == 9
    assert not OutboxMessage.objects.filter(channel="webhook").exclude(kind__in=KINDS).exists()
    bodies = receiver.bodies
    assert sorted(b["kind"] for b in bodies) == sorted(
        ["demand_created", *["demand_state_changed"] * 6, "demand_closed", "demand_rated"])
    changes = [(b["payload"]["from_state"], b["payload"]["state"])
               for b in bodies if b["kind"] == "demand_state_changed"]
    assert changes == [("received", "accepted"), ("accepted", "dispatched"), ("dispatched", "resolved"),
                       ("resolved", "verified"), ("verified", "closed"), ("closed", "rework")]
    created = next(b for b in bodies if b["kind"] == "demand_created")
    demand.refresh_from_db()
    assert created["payload"] == {
        "demand": demand.pk, "tracking_code": demand.tracking_code, "state": "received", "from_state": "",
        "category": "lighting", "place": "t-b1-u1", "at": demand.created_at.isoformat(),
    }
    closed = next(b for b in bodies if b["kind"] == "demand_closed")
    assert closed["payload"]["state"] == "closed" and closed["payload"]["from_state"] == "verified"
    rated = next(b for b in bodies if b["kind"] == "demand_rated")
    assert rated["payload"]["rating"] == 2 and rated["payload"]["at"] == demand.rated_at.isoformat()
    datetime.datetime.fromisoformat(closed["payload"]["at"])
    text = str(bodies)
    assert "王秀英" not in text and "13812345678" not in text and "5678" not in text
    assert receiver.bad_signatures == 0 and receiver.repeats == 0
    assert not InboxItem.objects.filter(subject__contains="demand_").exists()  # nobody's inbox
    assert not OutboxMessage.objects.filter(kind__in=KINDS).exclude(channel="webhook").exists()


def test_subscribers_get_only_their_kinds_at_their_places(world, receiver):
    WebhookSubscriber.objects.create(name="1栋", url=receiver.url, secret="hook-secret", place=world.places["b1"],
                                     kinds=["demand_closed", "demand_created"])
    WebhookSubscriber.objects.create(name="2栋", url=receiver.url, secret="hook-secret", place=world.places["b2"])
    mine, theirs = report(world, "b1u1", "p1"), report(world, "b2u1", "p2")
    services.take_in_waiting()
    services.act(world.users["worker_a"], mine, "reject", note="不属于社区")
    rows = set(OutboxMessage.objects.filter(channel="webhook").values_list(
        "subscriber__name", "kind", "payload__tracking_code"))
    assert rows == {
        ("1栋", "demand_created", mine.tracking_code), ("1栋", "demand_closed", mine.tracking_code),
        ("2栋", "demand_created", theirs.tracking_code),
    }


def test_a_merge_and_an_overdue_escalation_are_state_changes_too(world, receiver):
    WebhookSubscriber.objects.create(name="all", url=receiver.url, secret="hook-secret")
    first, twin = report(world, "b1u1", "m1"), report(world, "b1u1", "m2")
    merging.merge(world.users["worker_a"], twin, first)  # takes both in first
    kinds = list(OutboxMessage.objects.filter(payload__demand=twin.pk).order_by("id").values_list("kind", flat=True))
    assert kinds == ["demand_created", "demand_state_changed", "demand_closed"]
    first = Demand.objects.get(pk=first.pk)
    assert services.check_overdue(first.pk, services.RESPONSE, first.respond_by.isoformat()) is False  # not yet
    Demand.objects.filter(pk=first.pk).update(respond_by=first.respond_by - datetime.timedelta(days=30))
    first.refresh_from_db()
    assert services.check_overdue(first.pk, services.RESPONSE, first.respond_by.isoformat())
    escalated = OutboxMessage.objects.filter(payload__demand=first.pk, kind="demand_state_changed").get()
    assert escalated.payload["state"] == "escalated" and escalated.payload["action"] == "escalate"


def test_events_roll_back_with_the_step(world):
    WebhookSubscriber.objects.create(name="all", url="http://127.0.0.1:9/hook", secret="x")
    demand = file_report(world.places["b1u1"], category=Category.objects.get(code="lighting"),
                         description="灯坏了", key="r1")
    before = OutboxMessage.objects.count()
    with pytest.raises(RuntimeError), transaction.atomic():
        services.act(world.users["worker_a"], demand, "accept")
        raise RuntimeError("the step failed")
    assert OutboxMessage.objects.count() == before
