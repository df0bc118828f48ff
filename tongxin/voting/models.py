"""Owners' decisions (业主共同决定): the property register of exclusive units and their owners,
decisions with a frozen electorate, ballots with receipts, and elections. ``docs/voting.md``.

The register here is the Civil Code's: who OWNS which exclusive part (专有部分), not the
residents' register (``core.Household``: who lives where), though it is seeded from it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tongxin.voting import rules


def new_token() -> str:
    return secrets.token_urlsafe(18)


def new_receipt() -> str:
    """Ten characters an owner can read out (no 0/O, 1/I/L), random: unlinkable to the voter."""
    alphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
    return "".join(secrets.choice(alphabet) for _n in range(10))


class AreaSource(models.TextChoices):
    REGISTER = rules.REGISTER, _("Property register")
    SURVEY = rules.SURVEY, _("Survey")
    CONTRACT = rules.CONTRACT, _("Sale contract")


class UnitStatus(models.TextChoices):
    UNSOLD = rules.UNSOLD, _("Developer, unsold")
    SOLD_UNDELIVERED = rules.SOLD_UNDELIVERED, _("Sold, not delivered")
    DELIVERED = rules.DELIVERED, _("Delivered")


class ExclusiveUnit(models.Model):
    """One exclusive unit (专有部分) at a building or entrance, with its areas by source (the
    best one counts: register > survey > contract, SPC Interpretation art. 8)."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    unit_number = models.CharField(_("unit number"), max_length=40)
    register_area = models.DecimalField(_("area in the property register (m²)"), max_digits=9, decimal_places=2,
                                        null=True, blank=True)
    survey_area = models.DecimalField(_("surveyed area (m²)"), max_digits=9, decimal_places=2, null=True, blank=True)
    contract_area = models.DecimalField(_("area in the sale contract (m²)"), max_digits=9, decimal_places=2,
                                        null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=UnitStatus.choices, default=UnitStatus.DELIVERED)
    # The developer is an Organisation (kind work_unit, subtype 开发商): its unsold and undelivered
    # units count as one owner (SPC Interpretation art. 9).
    developer = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+", verbose_name=_("developer"))
    household = models.OneToOneField("core.Household", null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", editable=False)

    class Meta:
        verbose_name = _("exclusive unit")
        verbose_name_plural = _("exclusive units")
        ordering = ["place_path", "unit_number"]
        constraints = [
            models.UniqueConstraint(fields=["place", "unit_number"], name="voting_unit_unique"),
            models.CheckConstraint(
                condition=Q(register_area__gt=0) | Q(survey_area__gt=0) | Q(contract_area__gt=0),
                name="voting_unit_has_area",
            ),
            models.CheckConstraint(condition=Q(status=rules.DELIVERED) | Q(developer__isnull=False),
                                   name="voting_undelivered_has_developer"),
        ]

    def __str__(self):
        return f"{self.place.name} {self.unit_number}"

    @property
    def area(self):
        found = rules.unit_area(self.register_area, self.survey_area, self.contract_area)
        return found[0] if found else None

    @property
    def area_source(self) -> str:
        found = rules.unit_area(self.register_area, self.survey_area, self.contract_area)
        return AreaSource(found[1]).label if found else ""


class UnitOwner(models.Model):
    """An owner of a unit over time; co-owners name ONE voter (``is_voter``, one per unit)."""

    unit = models.ForeignKey(ExclusiveUnit, on_delete=models.CASCADE, related_name="owners")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+", verbose_name=_("owner"))
    is_voter = models.BooleanField(_("votes for the unit"), default=False)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["unit"], condition=Q(is_voter=True, valid_to__isnull=True),
                                    name="voting_one_voter_per_unit"),
            models.UniqueConstraint(fields=["unit", "person"], condition=Q(valid_to__isnull=True),
                                    name="voting_owner_current_unique"),
        ]


class DecisionKind(models.TextChoices):
    MATTER = "matter", _("A matter (agree / disagree / abstain)")
    TWO_STEP = "two_step", _("A renovation: whether, then how (two 2/3)")
    ELECTION = "election", _("An election")


class DecisionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for voting")
    CLOSED = "closed", _("Closed")


class Decision(models.Model):
    """An owners' decision at a place (a compound or buildings), under one item of art. 278."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    item = models.PositiveSmallIntegerField(_("Civil Code art. 278 item"),
                                            choices=[(n, f"{n}. {zh}") for n, zh, _en in rules.ITEMS])
    kind = models.CharField(_("kind"), max_length=10, choices=DecisionKind.choices, default=DecisionKind.MATTER)
    count_by = models.CharField(_("two 2/3 counted by"), max_length=10, default=rules.BY_HOUSEHOLD,
                                choices=[(rules.BY_HOUSEHOLD, _("household")), (rules.BY_OWNER, _("owner"))])
    seats = models.PositiveSmallIntegerField(_("seats"), default=0)
    allow_change = models.BooleanField(_("ballots may be changed until the close"), default=False)
    opens_at = models.DateTimeField(_("opens at"), null=True, blank=True)
    closes_at = models.DateTimeField(_("closes at"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=10, choices=DecisionState.choices, default=DecisionState.DRAFT)
    # Frozen at opening: the electorate's totals.
    total_area = models.DecimalField(max_digits=12, decimal_places=2, default=0)
    total_heads = models.PositiveIntegerField(default=0)
    total_households = models.PositiveIntegerField(default=0)
    result = models.JSONField(null=True, blank=True, editable=False)
    passed = models.BooleanField(null=True, editable=False)
    notice = models.ForeignKey("core.PlaceNotice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("owners' decision")
        verbose_name_plural = _("owners' decisions")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["state", "closes_at"], name="voting_decision_due")]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("voting-decision", args=[self.pk])

    def public_url(self):
        return reverse("voting-result", args=[self.pk])

    @property
    def is_election(self) -> bool:
        return self.kind == DecisionKind.ELECTION

    @property
    def two_step(self) -> bool:
        return self.kind == DecisionKind.TWO_STEP


class Candidate(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="candidates")
    name = models.CharField(_("name"), max_length=50)
    person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.name


class Voter(models.Model):
    """One counted owner of a decision, frozen when it opens (``rules.count_owners``): the area
    they carry and their units. ``token`` is the personal link (the link is the capability)."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="voters")
    key = models.CharField(max_length=40)
    person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    is_developer = models.BooleanField(default=False)
    area = models.DecimalField(max_digits=12, decimal_places=2)
    households = models.PositiveIntegerField(default=1)
    units = models.JSONField(default=list)  # [[unit id, "1栋1单元 101"], ...]
    token = models.CharField(max_length=40, unique=True, default=new_token)

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["decision", "key"], name="voting_voter_unique")]

    def __str__(self):
        return self.name

    @property
    def name(self) -> str:
        return (self.person or self.organisation).name if (self.person_id or self.organisation_id) else self.key

    @property
    def units_label(self) -> str:
        return "、".join(label for _pk, label in self.units)


class Origin(models.TextChoices):
    WEB = "web", _("Personal link")
    PAPER = "paper", _("Paper ballot")


class Ballot(models.Model):
    """A voter's one ballot (the database refuses a second), its receipt, and where it came from."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="ballots")
    voter = models.OneToOneField(Voter, on_delete=models.CASCADE, related_name="ballot")
    choice = models.CharField(max_length=10, blank=True)
    how = models.CharField(max_length=10, blank=True)
    picks = models.JSONField(default=list)  # candidate ids, for an election
    receipt = models.CharField(max_length=12, unique=True, default=new_receipt)
    origin = models.CharField(max_length=10, choices=Origin.choices, default=Origin.WEB)
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    scan = models.FileField(upload_to="voting/paper/%Y/%m/", blank=True)
    cast_at = models.DateTimeField(auto_now_add=True)
    changed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.CheckConstraint(
            condition=Q(choice__in=["", *rules.CHOICES]) & Q(how__in=["", *rules.CHOICES]), name="voting_choice_valid")]


class BallotEvent(models.Model):
    """The audit trail of a ballot: cast, changed, entered from paper (who, when, what before)."""

    ballot = models.ForeignKey(Ballot, on_delete=models.CASCADE, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    action = models.CharField(max_length=10)  # cast / changed
    origin = models.CharField(max_length=10, choices=Origin.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                           related_name="+")
    before = models.JSONField(null=True, blank=True)
    after = models.JSONField()

    class Meta:
        ordering = ["at", "id"]


class VotingCode(models.Model):
    """A confirmation code sent to the voter's phone; only its hash is kept, and tries are counted."""

    voter = models.ForeignKey(Voter, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    tries = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
