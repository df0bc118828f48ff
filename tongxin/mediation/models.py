"""People's mediation case files (人民调解, 一事一档; 人民调解法 art. 27): one :class:`Case` per
dispute at a place, with its parties, mediators, sessions, the agreement and its signatures,
follow-up visits, an application for judicial confirmation, and a hand-off when the dispute
goes to the police or a court. ``docs/mediation.md``.

A case's contents are sensitive: only the case's mediators and holders of
``mediation.manage`` at its place see them. The state machine and the deadlines are pure
functions in ``rules.py``; the services keep ``state``, ``outcome`` and ``deadline``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class CaseType(models.TextChoices):
    NEIGHBOURS = "neighbours", _("Neighbours")
    PROPERTY = "property", _("Property management")
    FAMILY = "family", _("Marriage and family")
    TENANCY = "tenancy", _("Tenancy")
    LABOUR = "labour", _("Labour services")
    DAMAGE = "damage", _("Damages")
    OTHER = "other", _("Other")


class Channel(models.TextChoices):
    """How the case came (art. 17: on a party's application, or on the committee's initiative)."""

    IN_PERSON = "in_person", _("Applied in person")
    PHONE = "phone", _("Applied by phone")
    GRID = "grid", _("Referred by a grid worker")
    INITIATIVE = "initiative", _("On the committee's own initiative")


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Not accepted")
    IN_MEDIATION = "in_mediation", _("In mediation")
    AGREED = "agreed", _("Agreement reached")
    FAILED = "failed", _("Mediation failed")
    FOLLOWED_UP = "followed_up", _("Followed up")
    CLOSED = "closed", _("Closed")
    HANDED_OFF = "handed_off", _("Handed off")


class Outcome(models.TextChoices):
    AGREEMENT = "agreement", _("Agreement")
    FAILED = "failed", _("Failed")
    HANDED_OFF = "handed_off", _("Handed off")
    DECLINED = "declined", _("Not accepted")


class Case(models.Model):
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, editable=False)  # scoped and counted by range
    title = models.CharField(_("dispute"), max_length=120)
    case_type = models.CharField(_("type"), max_length=20, choices=CaseType.choices)
    channel = models.CharField(_("how it came"), max_length=20, choices=Channel.choices)
    applicant = models.CharField(_("applied by"), max_length=50, blank=True)
    referred_by = models.CharField(_("referred by"), max_length=50, blank=True)
    facts = models.TextField(_("facts and what is in dispute"), max_length=4000, blank=True)  # sensitive
    investigation = models.TextField(_("investigation notes"), max_length=8000, blank=True)  # sensitive
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    received_on = models.DateField(_("received on"))
    accepted_on = models.DateField(_("accepted on"), null=True, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    extension_reason = models.CharField(_("reason for the extension"), max_length=300, blank=True)
    # Why it was declined, or why mediation ended without agreement (art. 26).
    ended_reason = models.CharField(_("reason"), max_length=300, blank=True)
    concluded_on = models.DateField(_("concluded on"), null=True, blank=True)
    closed_on = models.DateField(_("case closed on"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("mediation case")
        verbose_name_plural = _("mediation cases")
        indexes = [
            models.Index(fields=["place_path", "id"], name="mediationcase_path"),
            models.Index(fields=["deadline"], condition=Q(state__in=("accepted", "in_mediation")),
                         name="mediationcase_open_deadline"),
        ]

    def __str__(self):
        return self.title


class Party(models.Model):
    """A party: a person in the registers, or a name and phone typed in."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="parties")
    person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("Phone"), max_length=20, blank=True)  # typed in; a person's comes from the registers
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["case", "person"], condition=Q(person__isnull=False),
                                               name="mediationparty_person_once")]

    def __str__(self):
        return self.name

    @property
    def phone_number(self) -> str:
        return self.person.phone if self.person_id else self.phone


class MediatorRole(models.TextChoices):
    COMMITTEE = "committee", _("Mediation committee member")
    STAFF = "staff", _("Community staff")


class Mediator(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="mediators")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="mediation_cases")
    role = models.CharField(_("as"), max_length=20, choices=MediatorRole.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "person"], name="mediator_once")]


class Session(models.Model):
    """One mediation session and its record (调解记录)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="sessions")
    held_on = models.DateField(_("held on"))
    attended = models.CharField(_("who attended"), max_length=300)
    record = models.TextField(_("what was said and agreed"), max_length=8000)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["held_on", "id"]


class AgreementForm(models.TextChoices):
    WRITTEN = "written", _("Written agreement")
    ORAL = "oral", _("Oral agreement")


class Agreement(models.Model):
    """The mediation agreement (arts. 28–30): written (in force once every party signed) or
    oral (in force the day it was reached, recorded by the mediator)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="agreement")
    form = models.CharField(_("form"), max_length=10, choices=AgreementForm.choices)
    text = models.TextField(_("facts, issues and responsibilities"), max_length=4000)
    terms = models.TextField(_("what the parties agreed"), max_length=4000)
    performance = models.CharField(_("how and by when it is carried out"), max_length=500, blank=True)
    reached_on = models.DateField(_("reached on"))
    effective_on = models.DateField(_("in force from"), null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")


class SignMethod(models.TextChoices):
    PAPER = "paper", _("Signed on paper, scan uploaded")
    PHONE_CODE = "phone_code", _("Confirmed on a phone with a code")


class Signature(models.Model):
    agreement = models.ForeignKey(Agreement, on_delete=models.CASCADE, related_name="signatures")
    party = models.ForeignKey(Party, on_delete=models.CASCADE, related_name="+")
    method = models.CharField(_("how"), max_length=20, choices=SignMethod.choices)
    scan = models.FileField(upload_to="mediation/signatures/%Y/%m/", blank=True)
    # A phone code is kept hashed until the party confirms it; then ``signed_at`` is set.
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    signed_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["agreement", "party"], name="signature_once")]


class Kept(models.TextChoices):
    KEPT = "kept", _("Kept")
    PARTLY = "partly", _("Partly kept")
    NOT_KEPT = "not_kept", _("Not kept")


class FollowUp(models.Model):
    """回访: whether the agreement was kept (art. 31: the committee supervises performance)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follow_ups")
    visited_on = models.DateField(_("visited on"))
    kept = models.CharField(_("agreement kept"), max_length=10, choices=Kept.choices)
    note = models.TextField(_("note"), max_length=2000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["visited_on", "id"]


class ConfirmationOutcome(models.TextChoices):
    PENDING = "pending", _("Pending")
    CONFIRMED = "confirmed", _("Confirmed valid")
    INVALID = "invalid", _("Found invalid")
    REJECTED = "rejected", _("Not accepted")


class JudicialConfirmation(models.Model):
    """司法确认 (art. 33): applied for jointly by the parties within 30 days of the agreement
    taking effect."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="confirmation")
    applied_on = models.DateField(_("applied on"))
    court = models.CharField(_("court"), max_length=100)
    outcome = models.CharField(_("outcome"), max_length=20, choices=ConfirmationOutcome.choices,
                               default=ConfirmationOutcome.PENDING)
    decided_on = models.DateField(_("decided on"), null=True, blank=True)


class HandOffTo(models.TextChoices):
    POLICE = "police", _("Police (public-security mediation)")
    COURT = "court", _("Court")
    ARBITRATION = "arbitration", _("Arbitration")
    OTHER = "other", _("Another body")


class HandOff(models.Model):
    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="hand_off")
    to_kind = models.CharField(_("handed to"), max_length=20, choices=HandOffTo.choices)
    to_whom = models.CharField(_("receiving body"), max_length=100)
    on = models.DateField(_("on"))
    reason = models.CharField(_("why"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

