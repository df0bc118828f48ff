"""The three links (三联系, seed 003): work-unit branch ↔ community branch (core's
``OrganisationRelation`` of kind ``paired``, made when a unit registers), and party member ↔
households: each household gets a linked member or helper (:class:`HouseholdLink`)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class HouseholdLink(models.Model):
    household = models.ForeignKey("core.Household", on_delete=models.CASCADE, related_name="links")
    enrolment = models.ForeignKey("volunteering.Enrolment", on_delete=models.CASCADE, related_name="household_links")
    # A copy of the household's place path: coverage counts one building's households by range.
    place_path = models.CharField(max_length=255, editable=False)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = _("household link")
        verbose_name_plural = _("household links")
        constraints = [
            models.UniqueConstraint(fields=["household", "enrolment"], condition=Q(valid_to__isnull=True),
                                    name="householdlink_current_unique"),
        ]
        indexes = [models.Index(fields=["place_path"], condition=Q(valid_to__isnull=True),
                                name="householdlink_current_path")]
