"""Co-funded projects (三个分担): the project, its sources, every household's share, the
payments, progress and the final accounts. Money in fen; the sums are the services' work
(``shares``), the limits are the database's (constraints below)."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class State(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("cofunding", "Draft")
    COLLECTING = "collecting", _("Collecting")
    IN_PROGRESS = "in_progress", _("Work in progress")
    COMPLETED = "completed", _("Completed")


class OwnersRule(models.TextChoices):
    PER_HOUSEHOLD = "per_household", _("Per household")
    PER_AREA = "per_area", _("Per m² of floor area")


class SourceKind(models.TextChoices):
    POLICY = "policy", _("Policy funds")
    COMMITTEE = "committee", _("Owners' committee income")
    OWNERS = "owners", _("Owners who benefit")
    OTHER = "other", _("Other source")


class Project(models.Model):
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("compound"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    buildings = models.ManyToManyField("core.Place", related_name="+", verbose_name=_("benefiting buildings"))
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    budget_fen = models.PositiveBigIntegerField(_("budget (fen)"))
    owners_rule = models.CharField(_("owners' share"), max_length=20, choices=OwnersRule.choices,
                                   default=OwnersRule.PER_HOUSEHOLD)
    decision = models.ForeignKey("voting.Decision", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("owners' decision"))
    state = models.CharField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    # Explains a final spending that differs from the budget (a balance or an overrun).
    balance_note = models.CharField(_("balance explained"), max_length=500, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True, editable=False)
    completed_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("co-funded project")
        verbose_name_plural = _("co-funded projects")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=State.values), name="cofunding_project_state"),
            # Only a collecting (or later) project has frozen shares and a public page.
            models.CheckConstraint(condition=Q(state=State.DRAFT) | Q(opened_at__isnull=False),
                                   name="cofunding_project_opened"),
            models.CheckConstraint(condition=~Q(state=State.COMPLETED) | Q(completed_at__isnull=False),
                                   name="cofunding_project_completed"),
        ]

    def __str__(self):
        return self.title

    @property
    def is_public(self) -> bool:
        return self.state != State.DRAFT


class Source(models.Model):
    """A source of the budget: a fixed amount or a percentage of what the fixed ones leave."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="sources")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(_("kind"), max_length=20, choices=SourceKind.choices)
    name = models.CharField(pgettext_lazy("cofunding source", "name"), max_length=100)
    fixed_fen = models.PositiveBigIntegerField(_("fixed amount (fen)"), null=True, blank=True)
    percent = models.DecimalField(_("percentage of the rest"), max_digits=7, decimal_places=4, null=True, blank=True)
    amount_fen = models.PositiveBigIntegerField(_("amount (fen)"))

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["project", "position"], name="cofunding_source_position"),
            # Exactly one of a fixed amount and a percentage.
            models.CheckConstraint(condition=(Q(fixed_fen__isnull=False, percent__isnull=True)
                                              | Q(fixed_fen__isnull=True, percent__isnull=False)),
                                   name="cofunding_source_fixed_or_percent"),
            models.CheckConstraint(condition=Q(percent__isnull=True) | Q(percent__gte=0, percent__lte=100),
                                   name="cofunding_source_percent_range"),
            # One owners' part per project: the households' shares sum to it.
            models.UniqueConstraint(fields=["project"], condition=Q(kind=SourceKind.OWNERS),
                                    name="cofunding_one_owners_source"),
        ]


class OwnerShare(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="shares")
    household = models.ForeignKey("core.Household", on_delete=models.PROTECT, related_name="+")
    # The benefiting building the household is in (per-building totals without walking paths).
    building = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    # The household's weight: its floor area (per m²) or 1 (per household).
    basis = models.DecimalField(max_digits=10, decimal_places=2)
    amount_fen = models.PositiveBigIntegerField()
    paid_fen = models.PositiveBigIntegerField(default=0)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["project", "household"], name="cofunding_share_once"),
            models.CheckConstraint(condition=Q(paid_fen__lte=F("amount_fen")), name="cofunding_share_not_overpaid"),
        ]


class Payment(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="payments")
    share = models.ForeignKey(OwnerShare, on_delete=models.CASCADE, related_name="payments")
    amount_fen = models.PositiveBigIntegerField()
    receipt_no = models.CharField(_("receipt number"), max_length=40)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            # One receipt is recorded once: two clerks entering it at once, one row.
            models.UniqueConstraint(fields=["project", "receipt_no"], name="cofunding_receipt_once"),
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="cofunding_payment_positive"),
        ]


class ProgressUpdate(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="progress")
    date = models.DateField(_("date"))
    text = models.CharField(_("progress"), max_length=1000)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]


class SpentItem(models.Model):
    """A line of the final accounts (决算), entered when the project is completed."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="spent_items")
    position = models.PositiveSmallIntegerField()
    description = models.CharField(_("item"), max_length=200)
    amount_fen = models.PositiveBigIntegerField()

    class Meta:
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["project", "position"], name="cofunding_spent_position")]
