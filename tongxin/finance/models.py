"""Open books: accounts per compound, their entries, and the quarterly statements that
publish them. Money in fen (integers). ``docs/finance.md``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tongxin.core.errors import RefusedError
from tongxin.finance import rules


class AccountKind(models.TextChoices):
    COMMITTEE = rules.COMMITTEE, _("Owners' committee account")
    MAINTENANCE_FUND = rules.MAINTENANCE_FUND, _("Maintenance fund")


class Direction(models.TextChoices):
    INCOME = rules.INCOME, _("Income")
    SPENDING = rules.SPENDING, _("Spending")


class Account(models.Model):
    """One account of a compound: the owners' committee's, or the maintenance fund."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("compound"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=AccountKind.choices)
    opening_fen = models.BigIntegerField(_("opening balance (fen)"), default=0)

    class Meta:
        ordering = ["place_path", "kind"]
        constraints = [models.UniqueConstraint(fields=["place", "kind"], name="finance_account_unique")]

    def __str__(self):
        return f"{self.place.name} {self.get_kind_display()}"


class Entry(models.Model):
    """One income or spending. Counts in a statement once approved by a second person."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    date = models.DateField(_("date"))
    direction = models.CharField(_("income or spending"), max_length=10, choices=Direction.choices)
    category = models.CharField(_("category"), max_length=40)
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    description = models.CharField(_("description"), max_length=300)
    voucher = models.FileField(upload_to="finance/vouchers/%Y/%m/", blank=True)
    # A spending from the maintenance fund cites the owners' decision that allowed it (rules).
    decision = models.ForeignKey("voting.Decision", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("owners' decision"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    entered_at = models.DateTimeField(auto_now_add=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    approved_at = models.DateTimeField(null=True, blank=True)
    # The supervisory committee's review (监事会): optional.
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    review_note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["date", "id"]
        indexes = [models.Index(fields=["account", "date"], name="finance_entry_account_date")]
        constraints = [
            models.CheckConstraint(condition=Q(amount_fen__gt=0), name="finance_entry_positive"),
            # The database too refuses an entry approved by the one who entered it.
            models.CheckConstraint(condition=Q(approved_by__isnull=True) | ~Q(approved_by=F("entered_by")),
                                   name="finance_entry_second_approver"),
        ]


class Statement(models.Model):
    """A quarter's statement of one account. Once published it is frozen: a mistake is
    corrected by a later statement for the same quarter that links to it (更正)."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="statements")
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    opening_fen = models.BigIntegerField()
    income_fen = models.BigIntegerField()
    spending_fen = models.BigIntegerField()
    closing_fen = models.BigIntegerField()
    # [{"entry": id, "date": "2026-01-05", "direction": …, "category": …, "amount_fen": …,
    #   "description": …}, …] — a copy, so a published statement never changes with the ledger.
    lines = models.JSONField(default=list)
    corrects = models.OneToOneField("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="correction")
    correction_reason = models.CharField(_("reason for the correction"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    notice = models.ForeignKey("core.PlaceNotice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", editable=False)

    class Meta:
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="finance_statement_quarter"),
            models.CheckConstraint(condition=Q(corrects__isnull=True) | ~Q(correction_reason=""),
                                   name="finance_correction_has_reason"),
        ]

    def save(self, *args, **kwargs):
        # Frozen once published: any save of a row already published in the database is refused.
        if self.pk and Statement.objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise RefusedError("statement_frozen", "已公开的季度账目不能修改，请另出更正",
                               "A published statement cannot be changed; publish a correction")
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("finance-statement", args=[self.pk])


class LineQuestion(models.Model):
    """A resident's question about one line of a published statement, and the keeper's answer
    (the committee publishes the accounts and answers questions about them)."""

    statement = models.ForeignKey(Statement, on_delete=models.PROTECT, related_name="questions")
    # The line's entry id (each line of ``Statement.lines`` carries "entry").
    entry_id = models.BigIntegerField(_("line"))
    asked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.CharField(_("question"), max_length=500)
    asked_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("answer"), max_length=2000, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["asked_at", "id"]
        indexes = [models.Index(fields=["statement", "entry_id"], name="finance_question_line")]
        constraints = [
            # A double submit (the same person, line and words twice) makes one question.
            models.UniqueConstraint(fields=["statement", "entry_id", "asked_by", "text"],
                                    name="finance_question_once"),
            models.CheckConstraint(condition=~Q(text=""), name="finance_question_text"),
            # An answer has its author and time, and is not empty.
            models.CheckConstraint(
                condition=Q(answered_at__isnull=True, answered_by__isnull=True, answer="")
                | (Q(answered_at__isnull=False, answered_by__isnull=False) & ~Q(answer="")),
                name="finance_question_answer_whole"),
        ]

    @property
    def anchor(self) -> str:
        return f"line-{self.entry_id}"
