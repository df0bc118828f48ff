"""Claimable tasks (认领): demands staff mark claimable, and micro-wishes (微心愿).

A :class:`Task` is published to the members, volunteers and social organisations whose
community covers its place; the beneficiary's name and phone stay masked until a person
claims it. A :class:`Claim` is one person's attempt: claimed → done (with a note and photos)
→ confirmed by the grid worker or the resident; or released by the claimant, or expired
when not completed by ``act_by``. **At most one live claim per task** is a partial unique
index: when twenty people claim at once, the database lets exactly one in.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class TaskKind(models.TextChoices):
    DEMAND = "demand", _("Demand")
    WISH = "wish", _("Micro-wish (微心愿)")


class TaskState(models.TextChoices):
    OPEN = "open", _("Waiting to be claimed")
    CLAIMED = "claimed", _("Claimed")
    DONE = "done", _("Done, waiting for confirmation")
    CONFIRMED = "confirmed", _("Completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Task(models.Model):
    kind = models.CharField(_("kind"), max_length=10, choices=TaskKind.choices)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, editable=False)
    # The demand it came from (a demand marked claimable, or a 微心愿 reported at a QR code).
    demand = models.OneToOneField("demands.Demand", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="claimable_task")
    # Whom it is for: a registered person (a care subject), or a name and phone as reported.
    beneficiary = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=TaskState.choices, default=TaskState.OPEN)
    act_within_hours = models.PositiveSmallIntegerField(_("complete within (hours)"), default=72)
    hours_credit = models.DecimalField(_("service hours credited"), max_digits=5, decimal_places=1, default=1)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("claimable task")
        verbose_name_plural = _("claimable tasks")
        indexes = [models.Index(fields=["state", "place_path"], name="task_state_place")]

    def __str__(self):
        return self.title


class ClaimState(models.TextChoices):
    ACTIVE = "active", _("Claimed")
    DONE = "done", _("Done, waiting for confirmation")
    CONFIRMED = "confirmed", _("Confirmed")
    RELEASED = "released", _("Released")
    EXPIRED = "expired", _("Released: not done in time")
    RETURNED = "returned", _("Returned: not accepted")


LIVE_CLAIM = (ClaimState.ACTIVE, ClaimState.DONE)


class Claim(models.Model):
    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="claims")
    enrolment = models.ForeignKey("volunteering.Enrolment", on_delete=models.PROTECT, related_name="claims")
    state = models.CharField(_("state"), max_length=10, choices=ClaimState.choices, default=ClaimState.ACTIVE)
    claimed_at = models.DateTimeField(_("claimed at"), auto_now_add=True)
    act_by = models.DateTimeField(_("complete by"))
    completed_at = models.DateTimeField(null=True, blank=True)
    note = models.TextField(_("what was done"), max_length=2000, blank=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    confirmed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    ended_at = models.DateTimeField(null=True, blank=True)  # released, expired or returned
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [
            models.UniqueConstraint(fields=["task"], condition=Q(state__in=LIVE_CLAIM), name="claim_one_live"),
        ]
        indexes = [
            models.Index(fields=["act_by"], condition=Q(state="active"), name="claim_active_due"),
            models.Index(fields=["enrolment", "state"], name="claim_enrolment_state"),
        ]


class ClaimPhoto(models.Model):
    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="volunteering/claims/%Y/%m/")  # re-encoded, EXIF-free (demands.photos)
    uploaded_at = models.DateTimeField(auto_now_add=True)
