"""The property company's accounts for the owners: income from the common parts (art. 282),
fee standards, bills and payments. Money in fen (integers). ``docs/property.md``."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxin.core.errors import RefusedError
from tongxin.property import rules

FROZEN = ("income_frozen", "已公示的共有部分收入不能修改", "Published income of the common parts cannot be changed")


class IncomeKind(models.TextChoices):
    ADVERTISING = rules.ADVERTISING, _("Advertising")
    PARKING = rules.PARKING, _("Parking")
    RENTED_SPACE = rules.RENTED_SPACE, _("Rented space")
    OTHER = rules.OTHER, _("Other")


class IncomeReport(models.Model):
    """A quarter's income from a compound's common parts. Frozen once published."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("compound"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    notice = models.ForeignKey("core.PlaceNotice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", editable=False)

    class Meta:
        ordering = ["-year", "-quarter", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["place", "year", "quarter"], name="property_income_quarter_unique"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="property_income_quarter"),
        ]

    def save(self, *args, **kwargs):
        if self.pk and IncomeReport.objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise RefusedError(*FROZEN)
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and IncomeReport.objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise RefusedError(*FROZEN)
        return super().delete(*args, **kwargs)


class IncomeLine(models.Model):
    """One source of income: gross, the reasonable cost, and (computed) the owners' net."""

    report = models.ForeignKey(IncomeReport, on_delete=models.CASCADE, related_name="lines")
    kind = models.CharField(_("kind"), max_length=20, choices=IncomeKind.choices)
    description = models.CharField(_("description"), max_length=200)
    gross_fen = models.BigIntegerField(_("income (fen)"))
    cost_fen = models.BigIntegerField(_("reasonable cost (fen)"), default=0)

    class Meta:
        ordering = ["kind", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(gross_fen__gt=0), name="property_line_gross_positive"),
            models.CheckConstraint(condition=Q(cost_fen__gte=0, cost_fen__lte=F("gross_fen")),
                                   name="property_line_cost_within_gross"),
        ]

    def save(self, *args, **kwargs):
        self._refuse_if_published()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        self._refuse_if_published()
        return super().delete(*args, **kwargs)

    @property
    def net_fen(self) -> int:
        return self.gross_fen - self.cost_fen

    def _refuse_if_published(self):
        if IncomeReport.objects.filter(pk=self.report_id, published_at__isnull=False).exists():
            raise RefusedError(*FROZEN)


class IncomeCheck(models.Model):
    """An owners' committee member checked a published report (核对), with a note."""

    report = models.ForeignKey(IncomeReport, on_delete=models.CASCADE, related_name="checks")
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(auto_now_add=True)
    agrees = models.BooleanField(_("agrees with the figures"), default=True)
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["checked_at", "id"]
        constraints = [models.UniqueConstraint(fields=["report", "checked_by"], name="property_check_once")]


class FeeStandard(models.Model):
    """A compound's fee standard from ``effective_from`` on; a later one supersedes it (kept)."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("compound"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    effective_from = models.DateField(_("effective from"))
    basis = models.TextField(_("basis"), help_text=_("The contract or decision that sets the fees"))
    decision = models.ForeignKey("voting.Decision", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("owners' decision"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-effective_from", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["place", "effective_from"], name="property_standard_date_unique"),
        ]


class FeeKind(models.TextChoices):
    SERVICE = rules.SERVICE_FEE, _("Property service fee")
    PARKING = rules.PARKING_FEE, _("Parking fee")
    OTHER = rules.OTHER_FEE, _("Other fee")


class FeeUnit(models.TextChoices):
    PER_M2_MONTH = rules.PER_M2_MONTH, _("per m² per month")
    PER_MONTH = rules.PER_MONTH, _("per month")


class FeeItem(models.Model):
    """One price of a standard, for the whole compound or one building (a building's item
    overrides the compound's for its households)."""

    standard = models.ForeignKey(FeeStandard, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("fee"), max_length=20, choices=FeeKind.choices)
    name = models.CharField(pgettext_lazy("fee item", "name"), max_length=60)
    building = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                                 verbose_name=_("building"))
    unit = models.CharField(_("unit"), max_length=20, choices=FeeUnit.choices)
    price_fen = models.BigIntegerField(_("price (fen)"))

    class Meta:
        ordering = ["kind", "building_id", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(price_fen__gte=0), name="property_item_price"),
            models.UniqueConstraint(fields=["standard", "kind", "name", "building"],
                                    name="property_item_unique_building"),
            models.UniqueConstraint(fields=["standard", "kind", "name"], condition=Q(building__isnull=True),
                                    name="property_item_unique_compound"),
        ]


class Bill(models.Model):
    """A household's property service fee for a period: a year (``month`` empty) or a month."""

    household = models.ForeignKey("core.Household", on_delete=models.PROTECT, related_name="+")
    place_path = models.CharField(max_length=255, db_index=True, editable=False)  # the household's
    compound = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey("core.Place", null=True, on_delete=models.PROTECT, related_name="+")
    standard = models.ForeignKey(FeeStandard, on_delete=models.PROTECT, related_name="bills")
    item = models.ForeignKey(FeeItem, on_delete=models.PROTECT, related_name="+")
    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    floor_area = models.DecimalField(max_digits=8, decimal_places=2, null=True)
    due_fen = models.BigIntegerField(_("due (fen)"))
    paid_fen = models.BigIntegerField(_("paid (fen)"), default=0)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["place_path", "household_id", "year", "month"]
        indexes = [models.Index(fields=["compound", "year", "building"], name="property_bill_compound_year")]
        constraints = [
            models.UniqueConstraint(fields=["household", "year"], condition=Q(month__isnull=True),
                                    name="property_bill_year_unique"),
            models.UniqueConstraint(fields=["household", "year", "month"], condition=Q(month__isnull=False),
                                    name="property_bill_month_unique"),
            models.CheckConstraint(condition=Q(month__isnull=True) | Q(month__gte=1, month__lte=12),
                                   name="property_bill_month"),
            models.CheckConstraint(condition=Q(due_fen__gte=0), name="property_bill_due"),
            # The database too refuses a bill paid above what is due.
            models.CheckConstraint(condition=Q(paid_fen__gte=0, paid_fen__lte=F("due_fen")),
                                   name="property_bill_paid_within_due"),
        ]

    @property
    def settled(self) -> bool:
        return self.paid_fen >= self.due_fen


class Payment(models.Model):
    """The payment of a bill (one per bill: a receipt), recorded by the property staff."""

    bill = models.OneToOneField(Bill, on_delete=models.PROTECT, related_name="payment")
    amount_fen = models.BigIntegerField(_("amount (fen)"))
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=20, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(amount_fen__gt=0), name="property_payment_positive")]
