from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Consent(models.Model):
    """Separate consent to hold one sensitive category about a person (PIPL arts. 28–31).

    Categories held under a statutory duty need none (``core.tags``). For a child under 14
    the consent is a guardian's. Withdrawing closes the row (kept as the record) and the
    category is removed from the person.
    """

    person = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="consents")
    tag = models.CharField(_("category"), max_length=30)
    given_by = models.CharField(_("consent given by"), max_length=50)
    by_guardian = models.BooleanField(_("given by a guardian"), default=False)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        constraints = [
            models.UniqueConstraint(
                fields=["person", "tag"], condition=Q(withdrawn_on__isnull=True), name="consent_current_unique"
            )
        ]
