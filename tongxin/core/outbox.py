"""Writing notices: :func:`notify` puts one event's notices in the outbox, in the caller's transaction.

A mechanism declares its kinds in its manifest (``NotificationKind``: code, label,
channels) and calls ``notify(kind, event, users=…, place=…, subject=…)`` where its
change happens. The rows commit or roll back with the change; the same ``event`` notifies
each recipient on each channel once however often it is raised (a unique index), and a
delivery task is queued in the same transaction. Delivery is ``core.delivery``.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import (
    Channel,
    DeliveryMode,
    NoticePreference,
    OutboxMessage,
    OutboxStatus,
    Place,
    WebhookSubscriber,
)
from tongxin.core.registry import notification_kinds
from tongxin.core.tree import lineage


def kinds() -> dict:
    return {kind.code: kind for kind in notification_kinds()}


def default_mode(kind, channel: str) -> str:
    """Without a preference: e-mail goes in the daily digest unless the kind says it is urgent
    (staff get one mail a day, not one per event); every other channel right away."""
    return kind.email_default if channel == Channel.EMAIL else DeliveryMode.IMMEDIATE


def subscribers_for(kind: str, place: Place | None):
    """Active webhook subscribers that take this kind at this place (empty kinds: all)."""
    subscribers = WebhookSubscriber.objects.filter(active=True)
    if place is not None:
        subscribers = subscribers.filter(Q(place__isnull=True) | Q(place__path__in=lineage(place.path)))
    else:
        subscribers = subscribers.filter(place__isnull=True)
    return [s for s in subscribers if not s.kinds or kind in s.kinds]


def notify(kind: str, event: str, *, subject: str, users=(), body: str = "", url: str = "", place: Place | None = None,
           payload: dict | None = None, webhooks: bool = True) -> int:
    """Put the notices of ``event`` in the outbox; returns how many (recipient, channel) pairs it named."""
    definition = kinds().get(kind)
    if definition is None:
        raise ValueError(f"unknown notification kind {kind!r}: declare it in an app's notification_kinds")
    users = [user for user in users if user is not None and user.is_active]
    modes = {
        (p.user_id, p.channel): p.mode
        for p in NoticePreference.objects.filter(user__in=[u.pk for u in users], kind=kind)
    } if users else {}
    now = timezone.now()
    common = {"event": event[:200], "kind": kind, "subject": subject[:200], "body": body, "url": url[:300],
              "payload": payload or {}, "place": place, "next_attempt_at": now}
    rows = []
    for user in users:
        for channel in definition.channels:
            if channel == Channel.EMAIL and not user.email:
                continue
            mode = modes.get((user.pk, channel), default_mode(definition, channel))
            if mode == DeliveryMode.DIGEST and channel != Channel.EMAIL:
                mode = DeliveryMode.IMMEDIATE  # only e-mail has a digest; the inbox is one already
            if mode == DeliveryMode.OFF:
                continue
            status = OutboxStatus.HELD if mode == DeliveryMode.DIGEST else OutboxStatus.PENDING
            rows.append(OutboxMessage(channel=channel, recipient=f"user:{user.pk}", user=user, status=status, **common))
    if webhooks:
        for subscriber in subscribers_for(kind, place):
            rows.append(OutboxMessage(
                channel=Channel.WEBHOOK, recipient=f"webhook:{subscriber.pk}", subscriber=subscriber, **common
            ))
    if not rows:
        return 0
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)  # raised again: nothing new
    if any(row.status == OutboxStatus.PENDING for row in rows):
        queue_delivery()
    return len(rows)


def _delivery_marker():
    """Registered on commit to mark "a delivery task is already queued in this transaction"."""


def queue_delivery(run_after=None) -> None:
    """Queue a delivery task, once per transaction (the task row commits with the notices)."""
    from tongxin.core.tasks import deliver_outbox

    connection = transaction.get_connection()
    if run_after is None and connection.in_atomic_block:
        if any(func is _delivery_marker for _sids, func, _robust in connection.run_on_commit):
            return
        transaction.on_commit(_delivery_marker)
    task = deliver_outbox.using(run_after=run_after) if run_after else deliver_outbox
    task.enqueue()
