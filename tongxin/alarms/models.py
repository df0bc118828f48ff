"""The one-key emergency call (``docs/care.md``, "The one-key emergency call").

- A :class:`Device` is a subject's call button (a 孝心呼叫器 box or the big-button page): its
  secret is kept only as a SHA-256 hash; heartbeats update ``last_heartbeat_at``.
- An :class:`Alarm` is one emergency: open → acknowledged → closed. ``level`` is how far it
  went (0 the subject's own circle, 1 the community's duty list, 2 the street);
  ``next_escalation_at`` is when it goes up if nobody acknowledged (null: it will not).
- :class:`AlarmStep` is its timeline. A notice step is unique per (alarm, level, recipient):
  each recipient is told of each step once, however often the step is tried.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Device(models.Model):
    subject = models.ForeignKey("care.CareSubject", on_delete=models.CASCADE, related_name="alarm_devices",
                                verbose_name=_("care subject"))
    label = models.CharField(_("label"), max_length=60)
    home_path = models.CharField(max_length=255, editable=False, db_index=True)  # the subject's: scope
    secret_hash = models.CharField(max_length=64, editable=False)  # sha256 hex of the secret
    last_heartbeat_at = models.DateTimeField(_("last heartbeat"), null=True, blank=True)
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("call button")
        verbose_name_plural = _("call buttons")

    def __str__(self):
        return self.label


class AlarmState(models.TextChoices):
    OPEN = "open", _("Waiting for an answer")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    CLOSED = "closed", _("Call closed")


class AlarmOutcome(models.TextChoices):
    HELPED = "helped", _("Helped at home")
    HOSPITAL = "hospital", _("Taken to hospital")
    FALSE_ALARM = "false_alarm", _("Pressed by mistake")
    DRILL = "drill", _("Drill done")
    OTHER = "other", _("Other")


class Alarm(models.Model):
    subject = models.ForeignKey("care.CareSubject", on_delete=models.CASCADE, related_name="alarms",
                                verbose_name=_("care subject"))
    device = models.ForeignKey(Device, on_delete=models.CASCADE, related_name="alarms")
    subject_path = models.CharField(max_length=255, editable=False)
    raised_at = models.DateTimeField(_("raised at"))
    state = models.CharField(_("state"), max_length=15, choices=AlarmState.choices, default=AlarmState.OPEN)
    level = models.PositiveSmallIntegerField(_("level reached"), default=0)
    notified_level = models.SmallIntegerField(default=-1, editable=False)  # the last level whose notices are queued
    next_escalation_at = models.DateTimeField(null=True, blank=True, editable=False)
    drill = models.BooleanField(_("drill"), default=False)
    presses = models.PositiveIntegerField(default=1)
    acknowledged_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+")
    acknowledged_at = models.DateTimeField(_("acknowledged at"), null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=AlarmOutcome.choices, blank=True)
    outcome_note = models.CharField(_("note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("emergency call")
        verbose_name_plural = _("emergency calls")
        ordering = ["-raised_at", "-id"]
        indexes = [
            models.Index(fields=["subject_path"], condition=~Q(state="closed"), name="alarm_live_path"),
            models.Index(fields=["raised_at", "id"], name="alarm_raised"),
            models.Index(fields=["next_escalation_at"], condition=Q(state="open"), name="alarm_escalation_due"),
        ]

    def __str__(self):
        return f"#{self.pk}"


class StepKind(models.TextChoices):
    RAISED = "raised", _("Raised")
    NOTICE = "notice", _("Notice sent")
    JOINED = "joined", _("Pressed again")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    ESCALATED = "escalated", _("Went up a level")
    CLOSED = "closed", _("Call closed")


class AlarmStep(models.Model):
    alarm = models.ForeignKey(Alarm, on_delete=models.CASCADE, related_name="steps")
    at = models.DateTimeField()
    kind = models.CharField(max_length=15, choices=StepKind.choices)
    level = models.PositiveSmallIntegerField(default=0)
    #: For a notice: "user:5" or "contact:3" (a family contact, through the SMS/voice gateway).
    recipient = models.CharField(max_length=40, blank=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    label = models.CharField(max_length=120, blank=True)  # whom, as shown: "楼栋长 王…", "家属 李… (女儿)"

    class Meta:
        ordering = ["at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["alarm", "level", "recipient"], condition=Q(kind="notice"),
                                    name="alarmstep_notice_once"),
        ]
        indexes = [models.Index(fields=["user", "alarm"], name="alarmstep_user")]
