"""Writing notices: :func:`notify` puts one event's notices in the outbox, in the caller's transaction.

A mechanism declares its kinds in its manifest (``NotificationKind``: code, label,
channels) and calls ``notify(kind, event, users=…, place=…, subject=…)`` where its
change happens. The rows commit or roll back with the change; the same ``event`` notifies
each recipient on each channel once however often it is raised (a unique index), and a
delivery task is queued in the same transaction (at most one per process every
``DELIVERY_WINDOW``: see :func:`queue_delivery`). Delivery is ``core.delivery``. A kind with
``inbox_at_once`` has its inbox items written here, in the change's transaction.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache
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
    """Active webhook subscribers that take this kind at this place (empty kinds: all, except
    for a kind with ``named_subscribers_only``)."""
    subscribers = WebhookSubscriber.objects.filter(active=True)
    if place is not None:
        subscribers = subscribers.filter(Q(place__isnull=True) | Q(place__path__in=lineage(place.path)))
    else:
        subscribers = subscribers.filter(place__isnull=True)
    definition = kinds().get(kind)
    catch_all = not (definition and definition.named_subscribers_only)
    return [s for s in subscribers if kind in s.kinds or (catch_all and not s.kinds)]


@dataclass(frozen=True)
class Notice:
    """One event's notice, for :func:`notify_all` (the arguments of :func:`notify`)."""

    event: str
    subject: str
    users: Sequence = ()
    body: str = ""
    url: str = ""
    place: Place | None = None
    payload: dict | None = None
    webhooks: bool = True


def notify(kind: str, event: str, *, subject: str, users=(), body: str = "", url: str = "", place: Place | None = None,
           payload: dict | None = None, webhooks: bool = True) -> int:
    """Put the notices of ``event`` in the outbox; returns how many (recipient, channel) pairs it named."""
    return notify_all(kind, [Notice(event, subject, users, body, url, place, payload, webhooks)])


def notify_all(kind: str, notices: Sequence[Notice]) -> int:
    """Several events' notices of one kind in one go: one look at the preferences and the
    subscribers, one INSERT (an emergency call tells its helpers and each family contact)."""
    definition = kinds().get(kind)
    if definition is None:
        raise ValueError(f"unknown notification kind {kind!r}: declare it in an app's notification_kinds")
    everyone = {user.pk: user for notice in notices for user in notice.users if user is not None and user.is_active}
    modes = {
        (p.user_id, p.channel): p.mode
        for p in NoticePreference.objects.filter(user__in=list(everyone), kind=kind)
    } if everyone else {}
    subscribers: dict[object, list] = {}
    now = timezone.now()
    rows = []
    for notice in notices:
        common = {"event": notice.event[:200], "kind": kind, "subject": notice.subject[:200], "body": notice.body,
                  "url": notice.url[:300], "payload": notice.payload or {}, "place": notice.place,
                  "next_attempt_at": now}
        for user in notice.users:
            if user is None or user.pk not in everyone:
                continue
            for channel in definition.channels:
                if channel == Channel.EMAIL and not user.email:
                    continue
                mode = modes.get((user.pk, channel), default_mode(definition, channel))
                if mode == DeliveryMode.DIGEST and channel != Channel.EMAIL:
                    mode = DeliveryMode.IMMEDIATE  # only e-mail has a digest; the inbox is one already
                if mode == DeliveryMode.OFF:
                    continue
                status = OutboxStatus.HELD if mode == DeliveryMode.DIGEST else OutboxStatus.PENDING
                if channel == Channel.INBOX and definition.inbox_at_once:
                    rows.append(OutboxMessage(channel=channel, recipient=f"user:{user.pk}", user=user,
                                              status=OutboxStatus.DELIVERED, delivered_at=now, attempts=1, **common))
                else:
                    rows.append(OutboxMessage(channel=channel, recipient=f"user:{user.pk}", user=user, status=status,
                                              **common))
        if notice.webhooks:
            place_key = notice.place.pk if notice.place is not None else None
            if place_key not in subscribers:
                subscribers[place_key] = subscribers_for(kind, notice.place)
            for subscriber in subscribers[place_key]:
                rows.append(OutboxMessage(
                    channel=Channel.WEBHOOK, recipient=f"webhook:{subscriber.pk}", subscriber=subscriber, **common
                ))
    if not rows:
        return 0
    OutboxMessage.objects.bulk_create(rows, ignore_conflicts=True)  # raised again: nothing new
    at_once = [row for row in rows if row.status == OutboxStatus.DELIVERED]
    if at_once:
        _write_inbox(at_once)
    if any(row.status == OutboxStatus.PENDING for row in rows):
        queue_delivery()
    return len(rows)


def _write_inbox(rows: list[OutboxMessage]) -> None:
    """The inbox items of rows delivered at once: only of those this call inserted (a row
    raised again conflicted and was not), so each recipient still gets one item."""
    from tongxin.core.delivery import write_inbox

    inserted = set(OutboxMessage.objects.filter(delivery_id__in=[row.delivery_id for row in rows])
                   .values_list("delivery_id", flat=True))
    write_inbox([row for row in rows if row.delivery_id in inserted])


#: At most one delivery task is queued per window (per process with the local-memory
#: cache, across processes with a shared one); the task is due when the window
#: has closed (plus ``DELIVERY_MARGIN`` for transactions still committing), so it finds
#: every notice this process wrote meanwhile. At a hundred notices a second that is a few
#: tasks a second instead of a hundred, each claiming a batch (``bench/bench_alarms.py``).
#: A notice whose transaction outlived the window waits for the next task or the sweep.
DELIVERY_WINDOW = 0.2
DELIVERY_MARGIN = 0.1
_ASKED = "core:delivery-asked"


def queue_delivery(run_after=None) -> None:
    """Queue a delivery task (it commits with the notices), unless one queued in the current
    window is still to run. ``run_after``: a retry at that time."""
    from tongxin.core.tasks import deliver_outbox

    if run_after is not None:
        deliver_outbox.using(run_after=run_after).enqueue()
        return
    connection = transaction.get_connection()
    if cache.get(_ASKED) or (connection.in_atomic_block and any(
            func is _delivery_marker for _sids, func, _robust in connection.run_on_commit)):
        return
    due = timezone.now() + datetime.timedelta(seconds=DELIVERY_WINDOW + DELIVERY_MARGIN)
    deliver_outbox.using(run_after=due).enqueue()
    # Only once the task has committed may later notices count on it.
    transaction.on_commit(_delivery_marker)


def _delivery_marker():
    """Run on commit: "a delivery task is queued" (its presence among the transaction's
    on-commit callbacks also stops a second task in the same transaction)."""
    cache.set(_ASKED, True, DELIVERY_WINDOW)
