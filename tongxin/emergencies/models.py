"""Emergency notices and the households they reached (``docs/emergencies.md``).

One :class:`Reach` row per household reached, unique per notice and household: a resident's
confirmation and a grid worker's tick at the same moment leave one row. Households not yet
reached have no row, so raising a notice for 100,000 households writes nothing per household;
the board counts the targets from the tree's counters (``core.counts``) and the reached from
the rows grouped by ``block`` (the household's building, courtyard or villager group).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxin.emergencies import rules


class NoticeKind(models.TextChoices):
    TYPHOON = "typhoon", _("Typhoon")
    FLOOD = "flood", _("Flood")
    WATER_CUT = "water_cut", _("Water cut")
    POWER_CUT = "power_cut", _("Power cut")
    EVACUATION = "evacuation", _("Evacuation")
    OTHER = "other", _("Other emergency")


class EmergencyNotice(models.Model):
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=20, choices=NoticeKind.choices)
    title = models.CharField(_("title"), max_length=100)
    body = models.TextField(_("what residents must do"), max_length=2000)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    raised_at = models.DateTimeField(auto_now_add=True)
    #: Households to reach when it was raised (occupied ones under the place), for the report.
    target = models.PositiveIntegerField(default=0, editable=False)
    #: Set by the fan-out task once every household's notice is in the outbox.
    sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    close_note = models.CharField(_("closing note"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("emergency notice")
        ordering = ["-raised_at", "-id"]

    def __str__(self):
        return self.title


class Way(models.TextChoices):
    SELF = rules.SELF, _("Confirmed from the link")
    PHONE = rules.PHONE, pgettext_lazy("emergency", "By phone")
    DOOR = rules.DOOR, _("At the door")
    HELPER = rules.HELPER, _("By the paired helper")


class Reach(models.Model):
    notice = models.ForeignKey(EmergencyNotice, on_delete=models.CASCADE, related_name="reaches")
    household = models.ForeignKey("core.Household", on_delete=models.PROTECT, related_name="+")
    #: The household's building, courtyard or villager group (the board's rows); null if none.
    block = models.ForeignKey("core.Place", null=True, on_delete=models.PROTECT, related_name="+")
    place_path = models.CharField(max_length=255, editable=False)
    way = models.CharField(_("how"), max_length=10, choices=Way.choices)
    at = models.DateTimeField()
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                           related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)
    #: The household asked for help (cannot leave, needs sandbags, someone is ill).
    needs_help = models.BooleanField(_("needs help"), default=False)
    help_handled_at = models.DateTimeField(null=True, blank=True)
    help_handled_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                        related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["notice", "household"], name="emergencies_reach_once")]
        indexes = [
            models.Index(fields=["notice", "block"], name="emergencies_reach_block"),
            models.Index(fields=["notice"], condition=Q(needs_help=True, help_handled_at__isnull=True),
                         name="emergencies_reach_help"),
        ]
