"""Rules on the wall: a place's rules (``Bylaw``) and every version of each (``BylawVersion``),
each version citing the decision that made it. A published version never changes.
``docs/bylaws.md``."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxin.bylaws import rules
from tongxin.core.errors import RefusedError


class BylawKind(models.TextChoices):
    RULES_OF_PROCEDURE = rules.RULES_OF_PROCEDURE, _("Rules of procedure (议事规则)")
    FEE_STANDARD = rules.FEE_STANDARD, _("Fee standards (收费标准)")
    FINANCIAL_RULES = rules.FINANCIAL_RULES, _("Financial rules (财务管理制度)")
    RESIDENTS_CONVENTION = rules.RESIDENTS_CONVENTION, _("Residents' convention (居民公约)")
    MANAGEMENT_RULES = rules.MANAGEMENT_RULES, _("Management rules (管理规约)")
    VILLAGE_RULES = rules.VILLAGE_RULES, _("Village rules (村规民约)")


class Bylaw(models.Model):
    """One rule of a compound, a community or a village (e.g. 沙市花园议事规则)."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("kind"), max_length=24, choices=BylawKind.choices)
    title = models.CharField(pgettext_lazy("bylaw", "title"), max_length=100)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("rule")
        verbose_name_plural = _("rules")
        ordering = ["place_path", "kind", "title", "id"]
        constraints = [
            models.UniqueConstraint(fields=["place", "kind", "title"], name="bylaw_unique_title"),
            models.CheckConstraint(condition=Q(kind__in=rules.KINDS), name="bylaw_kind_known"),
            models.CheckConstraint(condition=~Q(title=""), name="bylaw_title_not_empty"),
        ]

    def __str__(self):
        return self.title


class BylawVersion(models.Model):
    """Version ``number`` of a rule: its full text, the date it takes effect, and the decision
    that made it. A draft (``published_at`` empty) may be edited; a published one never."""

    bylaw = models.ForeignKey(Bylaw, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(_("version"))
    text = models.TextField(_("full text"))
    effective_on = models.DateField(_("in force from"))
    # The decision that made it: an owners' decision (业主共同决定), a major matter's resolution
    # (四议两公开), a consultation's 决议 (议事协商), and/or a written basis.
    decision = models.ForeignKey("voting.Decision", null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+", verbose_name=_("owners' decision"))
    matter = models.ForeignKey("deliberation.MajorMatter", null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+", verbose_name=_("major matter"))
    consultation = models.ForeignKey("deliberation.Consultation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("consultation"))
    basis = models.CharField(_("basis"), max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+", db_index=False, editable=False)
    notice = models.ForeignKey("core.PlaceNotice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", editable=False, db_index=False)

    class Meta:
        verbose_name = _("version")
        verbose_name_plural = _("versions")
        ordering = ["bylaw", "number"]
        constraints = [
            models.UniqueConstraint(fields=["bylaw", "number"], name="bylaw_version_number_unique"),
            # One draft per rule at a time: two staff drafting at once edit the same one.
            models.UniqueConstraint(fields=["bylaw"], condition=Q(published_at__isnull=True),
                                    name="bylaw_one_draft"),
            models.CheckConstraint(condition=Q(number__gte=1), name="bylaw_version_number_positive"),
            models.CheckConstraint(condition=~Q(text=""), name="bylaw_version_text_not_empty"),
            # Every version cites what made it.
            models.CheckConstraint(
                condition=(Q(decision__isnull=False) | Q(matter__isnull=False) | Q(consultation__isnull=False)
                           | ~Q(basis="")),
                name="bylaw_version_cites_decision"),
        ]

    def __str__(self):
        return f"{self.bylaw} v{self.number}"

    def save(self, *args, **kwargs):
        # A published version never changes: any save of a row already published is refused.
        if self.pk and BylawVersion.objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise RefusedError("version_published", "已公布的版本不能修改，请起草新版本",
                               "A published version cannot be changed; draft a new version")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.pk and BylawVersion.objects.filter(pk=self.pk, published_at__isnull=False).exists():
            raise RefusedError("version_published", "已公布的版本不能删除", "A published version cannot be deleted")
        return super().delete(*args, **kwargs)

    @property
    def is_published(self) -> bool:
        return self.published_at is not None
