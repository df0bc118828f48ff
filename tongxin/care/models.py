"""Care for vulnerable residents (关爱): the care register, pairing with helpers, visits, and
door-to-door campaigns (逐户走访). ``docs/care.md``.

- A **care subject** is a resident with one or more care categories. The categories are the
  core's person tags (``core.tags``: elderly living alone, left-behind child, disabled,
  special hardship, ...), which already carry their legal basis: a statutory duty, or a
  separate consent recorded before the tag is set (a guardian's under 14). A
  :class:`CareSubject` row adds what caring needs: the risk level, needs, health notes and
  the visit schedule. Health and hardship details are sensitive personal information: only
  the roles that care for the place and the subject's paired helpers see them, each read
  logged (``core.models.PersonalDataRead``).
- A :class:`Pairing` links a subject with a helper (a party member, a volunteer, the
  building chief, the family doctor); history is kept (``valid_to``).
- A :class:`Visit` is one visit recorded from a phone; ``CareSubject.next_visit_due`` is kept
  by the services, so "overdue" is one indexed range.
- A :class:`Campaign` covers a place's households; :class:`CampaignVisit` ticks one off.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class RiskLevel(models.TextChoices):
    LOW = "low", _("Low")
    MEDIUM = "medium", _("Medium")
    HIGH = "high", _("High")


class CareSubject(models.Model):
    person = models.OneToOneField("core.Person", on_delete=models.CASCADE, related_name="care",
                                  verbose_name=_("resident"))
    # A copy of the person's home path: the register is scoped and counted by place range.
    home_path = models.CharField(max_length=255, editable=False, db_index=True)
    risk = models.CharField(_("risk level"), max_length=10, choices=RiskLevel.choices, default=RiskLevel.MEDIUM)
    needs = models.TextField(_("needs"), max_length=2000, blank=True)  # sensitive
    health_notes = models.TextField(_("health and hardship notes"), max_length=2000, blank=True)  # sensitive
    visit_every_days = models.PositiveSmallIntegerField(_("visit every (days)"), null=True, blank=True)
    next_visit_due = models.DateField(_("next visit due"), null=True, blank=True)
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    closed_on = models.DateField(_("left the register on"), null=True, blank=True)
    closed_reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("care subject")
        verbose_name_plural = _("care subjects")
        indexes = [models.Index(fields=["next_visit_due"], condition=Q(closed_on__isnull=True),
                                name="caresubject_visit_due")]

    def __str__(self):
        return str(self.person)


class EmergencyContact(models.Model):
    subject = models.ForeignKey(CareSubject, on_delete=models.CASCADE, related_name="contacts")
    name = models.CharField(_("name"), max_length=50)
    relation = models.CharField(_("relation"), max_length=30, blank=True)
    phone = models.CharField(_("phone"), max_length=20)
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("emergency contact")
        verbose_name_plural = _("emergency contacts")
        ordering = ["order", "id"]


class CategoryWithdrawal(models.Model):
    """A care category whose consent was withdrawn from the register's page: who, when, why.

    The core's ``Consent`` row keeps the date only (``withdrawn_on``); this is the care
    subject's own record of it."""

    subject = models.ForeignKey(CareSubject, on_delete=models.CASCADE, related_name="withdrawals")
    tag = models.CharField(_("category"), max_length=30)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    withdrawn_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    withdrawn_at = models.DateTimeField(_("withdrawn at"))

    class Meta:
        verbose_name = _("consent withdrawn")
        verbose_name_plural = _("consents withdrawn")
        ordering = ["-withdrawn_at", "-id"]


class HelperRole(models.TextChoices):
    PARTY_MEMBER = "party_member", _("Party member")
    VOLUNTEER = "volunteer", _("Volunteer")
    BUILDING_CHIEF = "building_chief", _("Building chief")
    FAMILY_DOCTOR = "family_doctor", _("Family doctor")
    NEIGHBOUR = "neighbour", _("Neighbour")
    GRID_WORKER = "grid_worker", _("Grid worker")


class Pairing(models.Model):
    """结对帮扶: a helper paired with a subject."""

    subject = models.ForeignKey(CareSubject, on_delete=models.CASCADE, related_name="pairings")
    helper = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="care_pairings")
    role = models.CharField(_("as"), max_length=20, choices=HelperRole.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    paired_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("pairing")
        verbose_name_plural = _("pairings")
        constraints = [
            models.UniqueConstraint(fields=["subject", "helper"], condition=Q(valid_to__isnull=True),
                                    name="pairing_current_unique"),
        ]
        indexes = [models.Index(fields=["helper"], condition=Q(valid_to__isnull=True), name="pairing_current_helper")]


class VisitKind(models.TextChoices):
    HOME = "home", _("At home")
    PHONE = "phone", _("By phone")
    VIDEO = "video", _("By video call")


class Visit(models.Model):
    subject = models.ForeignKey(CareSubject, on_delete=models.CASCADE, related_name="visits")
    visitor = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    kind = models.CharField(_("how"), max_length=10, choices=VisitKind.choices, default=VisitKind.HOME)
    visited_at = models.DateTimeField(_("visited at"))
    observations = models.TextField(_("what you saw"), max_length=2000, blank=True)  # sensitive
    needs = models.TextField(_("needs raised"), max_length=2000, blank=True)
    # What the visit raised: a micro-wish to claim (volunteering) or a problem (a demand).
    wish = models.ForeignKey("volunteering.Task", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    demand = models.ForeignKey("demands.Demand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    form_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-visited_at", "-id"]
        indexes = [models.Index(fields=["subject", "visited_at"], name="visit_subject_time")]
        constraints = [models.UniqueConstraint(fields=["form_key"], condition=Q(form_key__isnull=False),
                                               name="visit_form_key_unique")]


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to="care/visits/%Y/%m/")  # re-encoded, EXIF-free (demands.photos)
    created_at = models.DateTimeField(auto_now_add=True)


class Campaign(models.Model):
    """逐户走访 / 党员敲门: every household of a place visited once, with a checklist."""

    title = models.CharField(_("title"), max_length=120)
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, editable=False, db_index=True)
    questions = models.JSONField(_("questions"), default=list)  # ["家里有没有需要帮助的老人？", ...]
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("door-to-door campaign")
        verbose_name_plural = _("door-to-door campaigns")
        ordering = ["-starts_on", "-id"]


class Outcome(models.TextChoices):
    REACHED = "reached", _("Reached")
    NOBODY_HOME = "nobody_home", _("Nobody at home")
    DECLINED = "declined", _("Declined")


class CampaignVisit(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="visits")
    household = models.ForeignKey("core.Household", on_delete=models.CASCADE, related_name="+")
    place_path = models.CharField(max_length=255, editable=False)  # the household's: coverage by range
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    answers = models.JSONField(_("answers"), default=dict)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    visited_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    visited_at = models.DateTimeField(_("visited at"))
    demand = models.ForeignKey("demands.Demand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("household visited")
        verbose_name_plural = _("households visited")
        constraints = [models.UniqueConstraint(fields=["campaign", "household"], name="campaignvisit_once")]
        indexes = [models.Index(fields=["campaign", "place_path"], name="campaignvisit_path")]
