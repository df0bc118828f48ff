"""Notices: the outbox, the in-app inbox, webhook subscribers, preferences, notices to a place.

An :class:`OutboxMessage` is one notice to one recipient on one channel, written in the
same transaction as the change that causes it and unique per (event, recipient,
channel), so causing the same event twice notifies once. Workers claim rows with a
lease, deliver, and record; a worker that dies mid-delivery leaves a lease that runs
out, and the row is delivered again with the same ``delivery_id``, which the receiver
uses to drop the repeat. See ``docs/notices.md``.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    INBOX = "inbox", _("In-app inbox")
    EMAIL = "email", _("E-mail")
    WEBHOOK = "webhook", _("Webhook")


class DeliveryMode(models.TextChoices):
    IMMEDIATE = "immediate", _("Right away")
    DIGEST = "digest", _("In the daily digest")
    OFF = "off", _("Off")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    HELD = "held", _("Held for the digest")
    DELIVERED = "delivered", _("Delivered")
    DEAD = "dead", _("Gave up")


class WebhookSubscriber(models.Model):
    """A system that receives notices by HTTP POST: an SMS or WeChat gateway, a city platform."""

    name = models.CharField(_("name"), max_length=100)
    url = models.URLField(_("URL"), max_length=500)
    secret = models.CharField(
        _("signing secret"), max_length=200, help_text=_("Shared with the receiver; signs every body.")
    )
    kinds = models.JSONField(_("notification kinds"), default=list, blank=True, help_text=_("Empty: every kind."))
    place = models.ForeignKey(
        "core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+", verbose_name=_("place"),
        help_text=_("Only notices at or under this place; empty: everywhere."),
    )
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("webhook subscriber")
        verbose_name_plural = _("webhook subscribers")

    def __str__(self):
        return self.name


class OutboxMessage(models.Model):
    event = models.CharField(_("event"), max_length=200)
    kind = models.CharField(_("kind"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    recipient = models.CharField(_("recipient"), max_length=40)  # "user:5" or "webhook:3": the unique key
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    subscriber = models.ForeignKey(
        WebhookSubscriber, null=True, blank=True, on_delete=models.CASCADE, related_name="messages"
    )
    place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    delivery_id = models.UUIDField(_("delivery id"), default=uuid.uuid4, unique=True, editable=False)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("body"), blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    payload = models.JSONField(default=dict, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"))
    claimed_until = models.DateTimeField(null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    delivered_at = models.DateTimeField(_("delivered at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("outgoing notice")
        verbose_name_plural = _("outgoing notices")
        constraints = [
            models.UniqueConstraint(fields=["event", "recipient", "channel"], name="outbox_once_per_recipient"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | Q(subscriber__isnull=False), name="outbox_has_recipient"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="outbox_due")]

    def __str__(self):
        return f"{self.kind} → {self.recipient} ({self.channel})"


class WebhookAttempt(models.Model):
    """The delivery log: every POST to a subscriber, answered or not."""

    message = models.ForeignKey(OutboxMessage, on_delete=models.CASCADE, related_name="attempts_log")
    at = models.DateTimeField(auto_now_add=True)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    duration_ms = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("webhook attempt")
        verbose_name_plural = _("webhook attempts")


class InboxItem(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    delivery_id = models.UUIDField(unique=True)
    kind = models.CharField(max_length=60)
    subject = models.CharField(max_length=200)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inbox item")
        verbose_name_plural = _("inbox items")
        indexes = [models.Index(fields=["user", "read_at"], name="inbox_unread")]


class NoticePreference(models.Model):
    """How one user wants one kind of notice on one channel (absent: the kind's default)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notice_preferences")
    kind = models.CharField(max_length=60)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    mode = models.CharField(max_length=10, choices=DeliveryMode.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "channel"], name="preference_unique")]


class RecurringRun(models.Model):
    """One run of a recurring job for one time slot: the unique key that stops a second worker."""

    key = models.CharField(max_length=60)
    slot = models.DateTimeField()
    started_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "slot"], name="recurring_once_per_slot")]


class PlaceNotice(models.Model):
    """停水停电, a meeting, a typhoon warning: shown on the pages of a place and everything under it."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="notices", verbose_name=_("place"))
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("text"), max_length=2000)
    #: A page of this site with the full text (a resolution, a vote's arithmetic): a path only.
    link = models.CharField(max_length=300, blank=True)
    publish_at = models.DateTimeField(_("publish at"))
    expires_at = models.DateTimeField(_("show until"))
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    version = models.PositiveIntegerField(default=1)  # a scheduled publication acts only on the version it was for
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notice to a place")
        verbose_name_plural = _("notices to places")
        indexes = [models.Index(fields=["place", "published_at"], name="placenotice_place")]
        constraints = [
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("publish_at")), name="placenotice_dates"),
        ]

    def __str__(self):
        return self.title
