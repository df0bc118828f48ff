import datetime

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tongxin.core import delivery, outbox
from tongxin.core.models import (
    InboxItem,
    NoticePreference,
    OutboxMessage,
    OutboxStatus,
    WebhookAttempt,
    WebhookSubscriber,
)
from tongxin.core.testing import WebhookReceiver

pytestmark = pytest.mark.django_db


@pytest.fixture
def receiver():
    hook = WebhookReceiver("s3cret")
    yield hook
    hook.close()


def test_an_event_notifies_each_recipient_once_per_channel_however_often_it_is_raised(world):
    staff = world.users["staff"]
    staff.email = "staff@example.cn"
    staff.save()
    for _ in range(3):
        outbox.notify("place_notice", "test:1", users=[staff, world.users["worker_a"]], subject="停水通知")
    assert set(OutboxMessage.objects.values_list("recipient", "channel")) == {
        (f"user:{staff.pk}", "email"), (f"user:{staff.pk}", "inbox"), (f"user:{world.users['worker_a'].pk}", "inbox"),
    }  # no e-mail address, no e-mail


def test_notices_roll_back_with_the_change_that_caused_them(world):
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.notify("place_notice", "test:2", users=[world.users["staff"]], subject="x")
        raise RuntimeError("the change failed")
    assert not OutboxMessage.objects.exists()
    assert not DBTaskResult.objects.filter(task_path="tongxin.core.tasks.deliver_outbox").exists()


def test_one_delivery_task_is_queued_per_transaction(world):
    with transaction.atomic():
        for n in range(20):
            outbox.notify("place_notice", f"test:many:{n}", users=[world.users["staff"]], subject="x")
    assert DBTaskResult.objects.filter(task_path="tongxin.core.tasks.deliver_outbox").count() == 1


def test_inbox_and_email_are_delivered_with_the_delivery_id(world):
    staff = world.users["staff"]
    staff.email = "staff@example.cn"
    staff.save()
    assert OutboxMessage.objects.count() == 0
    outbox.notify("place_notice", "test:default", users=[staff], subject="x")
    assert dict(OutboxMessage.objects.values_list("channel", "status")) == {"inbox": "pending", "email": "held"}
    OutboxMessage.objects.all().delete()  # by default staff e-mail waits for the digest; this one wants each mail
    NoticePreference.objects.create(user=staff, kind="place_notice", channel="email", mode="immediate")
    outbox.notify("place_notice", "test:3", users=[staff], subject="停电", body="明天停电", url="/places/t-b1/")
    assert delivery.deliver_due() == 2
    item = InboxItem.objects.get(user=staff)
    message = OutboxMessage.objects.get(channel="inbox")
    assert item.delivery_id == message.delivery_id and item.subject == "停电"
    sent = mail.outbox[0]
    assert sent.to == ["staff@example.cn"] and "明天停电" in sent.body and "/places/t-b1/" in sent.body
    assert sent.extra_headers["Message-ID"] == f"<{OutboxMessage.objects.get(channel='email').delivery_id}@tongxin>"
    assert delivery.deliver_due() == 0  # nothing twice
    delivery.write_inbox([message])  # a repeat after a crash: the unique delivery id drops it
    assert InboxItem.objects.count() == 1


def test_a_failing_webhook_is_retried_with_back_off_and_logged(world):
    hook = WebhookReceiver("s3cret", fail_first=1)
    try:
        WebhookSubscriber.objects.create(name="短信网关", url=hook.url, secret="s3cret", kinds=["place_notice"])
        outbox.notify("place_notice", "test:4", subject="台风预警", place=world.places["b1"])
        assert delivery.deliver_due() == 0
        message = OutboxMessage.objects.get()
        assert message.status == OutboxStatus.PENDING and message.attempts == 1 and "500" in message.last_error
        assert message.next_attempt_at > timezone.now() + datetime.timedelta(seconds=10)
        retry = DBTaskResult.objects.filter(task_path="tongxin.core.tasks.deliver_outbox", run_after__isnull=False)
        assert retry.exists()
        OutboxMessage.objects.update(next_attempt_at=timezone.now())  # the back-off has passed
        assert delivery.deliver_due() == 1
        assert list(hook.accepted) == [str(message.delivery_id)] and hook.bad_signatures == 0
        assert list(WebhookAttempt.objects.order_by("id").values_list("status_code", flat=True)) == [500, 200]
    finally:
        hook.close()


def test_subscribers_get_the_kinds_and_places_they_asked_for(world, receiver):
    WebhookSubscriber.objects.create(name="全区", url=receiver.url, secret="s3cret")
    WebhookSubscriber.objects.create(name="2栋", url=receiver.url, secret="s3cret", place=world.places["b2"])
    WebhookSubscriber.objects.create(name="别的", url=receiver.url, secret="s3cret", kinds=["other_kind"])
    WebhookSubscriber.objects.create(name="停用", url=receiver.url, secret="s3cret", active=False)
    outbox.notify("place_notice", "test:5", subject="x", place=world.places["b1u1"])
    assert list(OutboxMessage.objects.values_list("subscriber__name", flat=True)) == ["全区"]


def test_a_worker_that_died_after_sending_leaves_a_lease_that_runs_out(world, receiver, settings):
    WebhookSubscriber.objects.create(name="gw", url=receiver.url, secret="s3cret")
    outbox.notify("place_notice", "test:6", subject="x")
    token, claimed = delivery.claim()
    delivery.send_webhook(claimed[0], [])  # sent … and the worker dies before recording it
    assert delivery.claim()[1] == []  # leased: no other worker takes it
    OutboxMessage.objects.update(claimed_until=timezone.now() - datetime.timedelta(seconds=1))
    assert delivery.deliver_due() == 1  # sent again, same delivery id: the receiver drops it
    assert len(receiver.accepted) == 1 and receiver.repeats == 1
    assert delivery.deliver(claimed[0], token) == 0  # the dead worker's late record changes nothing…
    assert OutboxMessage.objects.get().attempts == 1  # …because its claim no longer holds


def test_preferences_turn_a_channel_off_or_into_the_daily_digest(world):
    staff = world.users["staff"]
    staff.email = "staff@example.cn"
    staff.save()
    NoticePreference.objects.create(user=staff, kind="place_notice", channel="email", mode="digest")
    NoticePreference.objects.create(user=staff, kind="place_notice", channel="inbox", mode="off")
    for n in range(3):
        outbox.notify("place_notice", f"test:d{n}", users=[staff], subject=f"通知{n}")
    assert set(OutboxMessage.objects.values_list("channel", "status")) == {("email", "held")}
    assert delivery.deliver_due() == 0 and not mail.outbox
    assert delivery.send_digests() == 1
    assert len(mail.outbox) == 1 and all(f"通知{n}" in mail.outbox[0].body for n in range(3))
    assert not OutboxMessage.objects.exclude(status="delivered").exists()
    assert delivery.send_digests() == 0


@pytest.mark.parametrize(
    ("attempts", "low", "high"), [(1, 13.5, 16.5), (2, 27, 33), (5, 216, 264), (9, 3240, 3960), (30, 3240, 3960)]
)
def test_back_off_doubles_and_is_capped_at_an_hour(attempts, low, high):
    assert low <= delivery.backoff(attempts).total_seconds() <= high


def test_an_unknown_kind_is_a_programming_error(world):
    with pytest.raises(ValueError, match="unknown notification kind"):
        outbox.notify("no_such_kind", "test:7", subject="x", users=[world.users["staff"]])


def _delivery_tasks():
    return DBTaskResult.objects.filter(task_path="tongxin.core.tasks.deliver_outbox")


@pytest.mark.django_db(transaction=True)  # on-commit runs for real, as in a request
def test_one_delivery_task_carries_a_window_of_notices(world):
    """At a hundred notices a second, a few delivery tasks a second, not a hundred: a task
    queued in the window (and committed) carries what follows until the window closes."""
    from django.core.cache import cache

    worker = world.users["worker_a"]
    started = timezone.now()
    outbox.notify("place_notice", "window:1", users=[worker], subject="一")
    outbox.notify("place_notice", "window:2", users=[worker], subject="二")
    assert _delivery_tasks().count() == 1
    due = _delivery_tasks().get().run_after
    assert due >= started + datetime.timedelta(seconds=outbox.DELIVERY_WINDOW + outbox.DELIVERY_MARGIN)
    cache.delete(outbox._ASKED)  # the window closed
    outbox.notify("place_notice", "window:3", users=[worker], subject="三")
    assert _delivery_tasks().count() == 2


@pytest.mark.django_db(transaction=True)
def test_a_rolled_back_delivery_task_does_not_hold_the_window(world):
    worker = world.users["worker_a"]
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox.notify("place_notice", "rolled:1", users=[worker], subject="一")
        raise RuntimeError("the change failed")
    assert not _delivery_tasks().exists()
    outbox.notify("place_notice", "rolled:2", users=[worker], subject="二")
    assert _delivery_tasks().count() == 1 and OutboxMessage.objects.filter(event="rolled:2").exists()


def test_a_kind_for_one_gateway_skips_catch_all_subscribers(world):
    """A voting code or a family's phone goes to the gateway that names the kind, never to a
    subscriber that takes everything."""
    everything = WebhookSubscriber.objects.create(name="数据平台", url="http://127.0.0.1:9/a", secret="s", kinds=[])
    gateway = WebhookSubscriber.objects.create(name="短信网关", url="http://127.0.0.1:9/b", secret="s",
                                               kinds=["voting_code", "alarm_raised"])
    place = world.places["b1"]
    assert outbox.subscribers_for("place_notice", place) == [everything]
    assert outbox.subscribers_for("voting_code", place) == [gateway]
    assert outbox.subscribers_for("alarm_raised", place) == [gateway]
