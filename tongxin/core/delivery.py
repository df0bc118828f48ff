"""Delivering the outbox: claim with a lease, send, record, retry with back-off.

At-least-once with a stable ``delivery_id``: a worker claims due rows by setting a lease
(``claimed_until``, ``claim_token``) in one short transaction (``SKIP LOCKED`` on
PostgreSQL; SQLite's write lock serialises claims), delivers outside any transaction,
and records the result only if its claim still holds. A worker killed between sending
and recording leaves the lease to run out; the row is sent again with the same
``delivery_id``, and receivers drop the repeat (webhooks carry it in a header, e-mails
as their Message-ID, the inbox has it as a unique key). See ``docs/notices.md``.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import json
import random
import time
import urllib.error
import urllib.request
import uuid

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Min, Q
from django.utils import timezone

from tongxin.core.models import Channel, InboxItem, OutboxMessage, OutboxStatus, WebhookAttempt

BATCH = 50
MAX_ATTEMPTS = 12
WEBHOOK_TIMEOUT = 10


def lease() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.TONGXIN_OUTBOX_LEASE_SECONDS)


def backoff(attempts: int) -> datetime.timedelta:
    """Wait before attempt ``attempts + 1``: 15 s, 30 s, 1 min, … capped at 1 hour, ±10 % jitter
    (the first wait is ``TONGXIN_OUTBOX_RETRY_SECONDS``)."""
    seconds = min(settings.TONGXIN_OUTBOX_RETRY_SECONDS * 2 ** max(attempts - 1, 0), 3600)
    return datetime.timedelta(seconds=seconds * random.uniform(0.9, 1.1))  # noqa: S311 - spreading, not secrecy


def due(now=None):
    now = now or timezone.now()
    return OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)
    )


def claim(limit: int = BATCH) -> tuple[str, list[OutboxMessage]]:
    """Lease up to ``limit`` due rows to this worker; other workers skip them until the lease ends."""
    token = uuid.uuid4().hex
    now = timezone.now()
    with transaction.atomic():
        oldest_first = due(now).order_by("next_attempt_at", "id").select_for_update(skip_locked=True)
        ids = list(oldest_first.values_list("id", flat=True)[:limit])
        OutboxMessage.objects.filter(id__in=ids).update(claimed_until=now + lease(), claim_token=token)
    messages = OutboxMessage.objects.filter(id__in=ids, claim_token=token).select_related("user", "subscriber")
    return token, list(messages.order_by("id"))


def deliver_due(*, budget_seconds: float = 30.0) -> int:
    """Deliver due notices until none are left or the budget is spent; returns how many were delivered."""
    started, delivered, failed = time.monotonic(), 0, 0
    while time.monotonic() - started < budget_seconds:
        token, messages = claim()
        if not messages:
            break
        if len(messages) == BATCH:
            _queue_more()  # more may be due: let another worker help
        done = deliver_batch(messages, token)
        delivered, failed = delivered + done, failed + len(messages) - done
    else:
        _queue_more()
    if failed:
        _queue_retry()  # earlier failures queued theirs when they failed
    return delivered


def _queue_more() -> None:
    from tongxin.core.outbox import queue_delivery

    queue_delivery()


def _queue_retry() -> None:
    """A task at the next retry time, so a back-off is honoured without waiting for the sweep."""
    from tongxin.core.outbox import queue_delivery

    retrying = OutboxMessage.objects.filter(status=OutboxStatus.PENDING, attempts__gt=0)
    soonest = retrying.aggregate(at=Min("next_attempt_at"))["at"]
    if soonest is not None and soonest > timezone.now():
        queue_delivery(run_after=soonest)


def deliver(message: OutboxMessage, token: str) -> int:
    return deliver_batch([message], token)


def deliver_batch(messages: list[OutboxMessage], token: str) -> int:
    """Send each notice, then record the batch, where this worker's claim still holds.

    Successes are recorded in one statement (a crash before it re-sends the batch with the
    same delivery ids, which receivers drop); each failure gets its error and back-off.
    """
    log: list[WebhookAttempt] = []
    delivered = []
    inbox = [message for message in messages if message.channel == Channel.INBOX]
    if inbox:
        write_inbox(inbox)
        delivered += [message.pk for message in inbox]
    for message in messages:
        if message.channel == Channel.INBOX:
            continue
        try:
            SENDERS[message.channel](message, log)
        except Exception as error:  # every failure is recorded and retried; nothing is lost
            attempts = message.attempts + 1
            status = OutboxStatus.DEAD if attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
            OutboxMessage.objects.filter(pk=message.pk, claim_token=token).update(
                attempts=F("attempts") + 1, status=status, last_error=f"{type(error).__name__}: {error}"[:2000],
                next_attempt_at=timezone.now() + backoff(attempts), claimed_until=None,
            )
        else:
            delivered.append(message.pk)
    WebhookAttempt.objects.bulk_create(log)
    return OutboxMessage.objects.filter(pk__in=delivered, claim_token=token).update(
        attempts=F("attempts") + 1, status=OutboxStatus.DELIVERED, delivered_at=timezone.now(), claimed_until=None,
        last_error="",
    )


# --- Channels ---------------------------------------------------------------------------


def write_inbox(messages: list[OutboxMessage]) -> None:
    """The inbox items of ``messages``, one statement; a repeat (same delivery id) is dropped."""
    InboxItem.objects.bulk_create([
        InboxItem(delivery_id=m.delivery_id, user_id=m.user_id, kind=m.kind, subject=m.subject, body=m.body,
                  url=m.url) for m in messages], ignore_conflicts=True)


def send_email(message: OutboxMessage, log: list) -> None:
    mail = EmailMessage(
        subject=message.subject, body=_email_text(message), to=[message.user.email],
        headers={"Message-ID": f"<{message.delivery_id}@tongxin>", "X-Tongxin-Delivery-Id": str(message.delivery_id)},
    )
    mail.send()


def _email_text(message: OutboxMessage) -> str:
    link = f"\n\n{settings.TONGXIN_SITE_URL.rstrip('/')}{message.url}" if message.url else ""
    return f"{message.body}{link}"


def webhook_body(message: OutboxMessage) -> bytes:
    return json.dumps({
        "delivery_id": str(message.delivery_id), "kind": message.kind, "event": message.event,
        "subject": message.subject, "body": message.body, "url": message.url, "payload": message.payload,
        "place": message.place.code if message.place_id else None, "created_at": message.created_at.isoformat(),
    }, ensure_ascii=False, sort_keys=True).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over ``timestamp.body``: the receiver recomputes it and rejects stale timestamps."""
    return "sha256=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


def send_webhook(message: OutboxMessage, log: list) -> None:
    """POST the notice, signed; the attempt goes in ``log`` (the delivery log), answered or not."""
    subscriber = message.subscriber
    body = webhook_body(message)
    timestamp = str(int(time.time()))
    request = urllib.request.Request(subscriber.url, data=body, method="POST", headers={
        "Content-Type": "application/json; charset=utf-8", "User-Agent": "Tongxin-Webhook/1",
        "X-Tongxin-Delivery-Id": str(message.delivery_id), "X-Tongxin-Kind": message.kind,
        "X-Tongxin-Timestamp": timestamp, "X-Tongxin-Signature": signature(subscriber.secret, timestamp, body),
    })
    started = time.monotonic()
    status, error = None, ""
    try:
        with urllib.request.urlopen(request, timeout=WEBHOOK_TIMEOUT) as response:  # noqa: S310 - configured URLs
            status = response.status
    except urllib.error.HTTPError as refused:
        status, error = refused.code, f"HTTP {refused.code}"
    except (urllib.error.URLError, TimeoutError, OSError) as failed:
        error = str(getattr(failed, "reason", failed))[:500]
    log.append(WebhookAttempt(
        message=message, status_code=status, error=error, duration_ms=int((time.monotonic() - started) * 1000)
    ))
    if error or status is None or not 200 <= status < 300:
        raise ConnectionError(error or f"HTTP {status}")


SENDERS = {Channel.EMAIL: send_email, Channel.WEBHOOK: send_webhook}  # the inbox: write_inbox, per batch


# --- Recurring work -------------------------------------------------------------------


def sweep() -> int:
    """Deliver whatever is due that no queued task is carrying (expired leases, lost tasks)."""
    return deliver_due() if due().exists() else 0


def send_digests() -> int:
    """One e-mail per person with every notice held for their digest since the last one."""
    held = OutboxMessage.objects.filter(status=OutboxStatus.HELD, channel=Channel.EMAIL).select_related("user")
    by_user: dict[int, list[OutboxMessage]] = {}
    for message in held.order_by("user_id", "id"):
        by_user.setdefault(message.user_id, []).append(message)
    sent = 0
    for messages in by_user.values():
        user = messages[0].user
        # Named by its contents, so a digest sent again after a crash carries the same id.
        digest_id = uuid.uuid5(uuid.NAMESPACE_URL, f"tongxin:digest:{user.pk}:{messages[-1].pk}")
        lines = [f"· {m.subject}" + (f"  {settings.TONGXIN_SITE_URL.rstrip('/')}{m.url}" if m.url else "")
                 for m in messages]
        mail = EmailMessage(
            subject=f"同心每日摘要：{len(messages)} 条通知 / Tongxin daily digest: {len(messages)} notices",
            body="\n".join(lines), to=[user.email],
            headers={"Message-ID": f"<{digest_id}@tongxin>", "X-Tongxin-Delivery-Id": str(digest_id)},
        )
        try:
            mail.send()
        except Exception as error:  # kept held: the next digest carries them
            held.filter(pk__in=[m.pk for m in messages]).update(last_error=f"{type(error).__name__}: {error}"[:2000])
            continue
        OutboxMessage.objects.filter(pk__in=[m.pk for m in messages], status=OutboxStatus.HELD).update(
            status=OutboxStatus.DELIVERED, delivered_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
        )
        sent += 1
    return sent
