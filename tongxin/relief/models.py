"""Relief distributions, their items, eligible households and hand-overs (物资发放).
``docs/relief.md``.

The database holds the promises: one entitlement per distribution and household, one
hand-over per entitlement (a second hand-over of the same relief is refused whatever the
timing), and an item's handed-out count never above its stock (a CHECK, behind the
conditional UPDATE in ``services.hand_over``).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxin.relief import rules


def new_token() -> str:
    return secrets.token_urlsafe(16)


class Kind(models.TextChoices):
    COLD_WEATHER = "cold_weather", _("Cold-weather supplies")
    DISASTER = "disaster", _("Disaster relief")
    HOLIDAY = "holiday", _("Holiday visit")
    OTHER = "other", _("Other")


class State(models.TextChoices):
    DRAFT = rules.DRAFT, _("Draft")
    OPEN = rules.OPEN, pgettext_lazy("relief distribution", "Open")
    CLOSED = rules.CLOSED, pgettext_lazy("relief distribution", "Closed")


class Distribution(models.Model):
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COLD_WEATHER)
    #: The eligibility rule, as data: person tags (any of them, on a current member living there).
    rule_tags = models.JSONField(_("eligible categories"), default=list, blank=True)
    state = models.CharField(max_length=10, choices=State.choices, default=State.DRAFT)
    #: The public list's address: unguessable, so only those given the link (the notice) find it.
    public_token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("relief distribution")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(state__in=[rules.DRAFT, rules.OPEN, rules.CLOSED]),
                                   name="relief_distribution_state"),
        ]

    def __str__(self):
        return self.title


class Item(models.Model):
    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="items")
    name = models.CharField(pgettext_lazy("relief", "item"), max_length=60)
    unit = models.CharField(_("unit"), max_length=10)
    stock_quantity = models.PositiveIntegerField(_("stock"))
    per_household = models.PositiveIntegerField(_("per household"), default=1)
    handed_out = models.PositiveIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["distribution", "name"], name="relief_item_unique_name"),
            models.CheckConstraint(condition=Q(per_household__gte=1), name="relief_item_per_household"),
            models.CheckConstraint(condition=Q(handed_out__lte=F("stock_quantity")), name="relief_item_stock"),
        ]

    @property
    def remaining(self) -> int:
        return rules.remaining(self.stock_quantity, self.handed_out)


class AddedHousehold(models.Model):
    """A household put on the list by hand (a case the registers do not show), with the reason."""

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="added")
    household = models.ForeignKey("core.Household", on_delete=models.PROTECT, related_name="+")
    reason = models.CharField(_("reason"), max_length=200)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["distribution", "household"], name="relief_added_once"),
        ]


class Entitlement(models.Model):
    """A household on a distribution's list, frozen when it opens."""

    distribution = models.ForeignKey(Distribution, on_delete=models.CASCADE, related_name="entitlements")
    household = models.ForeignKey("core.Household", on_delete=models.PROTECT, related_name="+")
    #: The household's place path then (scoping: a grid worker hands over in their grid).
    place_path = models.CharField(max_length=255, editable=False)
    #: The building (or the household's own place when it has none): the list's groups.
    building = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    added_by_hand = models.BooleanField(default=False)
    #: The confirmation code sent to the household, as a keyed hash (never the code).
    code_hash = models.CharField(max_length=64, blank=True, editable=False)
    code_expires_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(fields=["distribution", "household"], name="relief_entitlement_once"),
        ]
        indexes = [models.Index(fields=["distribution", "place_path"], name="relief_entitlement_path")]


class Method(models.TextChoices):
    CODE = rules.CODE, _("Code sent to the household")
    SIGNATURE = rules.SIGNATURE, _("Signature on the phone")


class HandOver(models.Model):
    """The relief given to one household (every item of the distribution, per household)."""

    entitlement = models.OneToOneField(Entitlement, on_delete=models.PROTECT, related_name="hand_over")
    method = models.CharField(max_length=10, choices=Method.choices)
    #: A PNG data URL of the signature drawn on the staff member's phone (method "signature").
    signature = models.TextField(blank=True)
    handed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    handed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(condition=Q(method=rules.CODE) | ~Q(signature=""),
                                   name="relief_handover_confirmed"),
        ]
