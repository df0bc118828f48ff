"""Role assignments: (person, role, place or organisation, from, to)."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongxin.core.roles import GLOBAL_ROLES, ROLE_CHOICES


class RoleAssignment(models.Model):
    person = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="roles", verbose_name=_("person"))
    role = models.CharField(_("role"), max_length=40, choices=ROLE_CHOICES)
    place = models.ForeignKey(
        "core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments",
        verbose_name=_("place"),
    )
    organisation = models.ForeignKey(
        "core.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="role_assignments",
        verbose_name=_("organisation"),
    )
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")
        constraints = [
            models.CheckConstraint(
                condition=Q(place__isnull=False) | Q(organisation__isnull=False) | Q(role__in=sorted(GLOBAL_ROLES)),
                name="role_has_scope",
            ),
            models.CheckConstraint(
                condition=Q(valid_to__isnull=True) | Q(valid_to__gte=models.F("valid_from")),
                name="role_dates_ordered",
            ),
            # One current assignment per (person, role, scope); NULLs are distinct in a
            # unique index, so each kind of scope gets its own partial constraint.
            models.UniqueConstraint(
                fields=["person", "role", "place"], condition=Q(valid_to__isnull=True, place__isnull=False),
                name="role_current_unique_place",
            ),
            models.UniqueConstraint(
                fields=["person", "role", "organisation"],
                condition=Q(valid_to__isnull=True, organisation__isnull=False),
                name="role_current_unique_org",
            ),
            models.UniqueConstraint(
                fields=["person", "role"],
                condition=Q(valid_to__isnull=True, place__isnull=True, organisation__isnull=True),
                name="role_current_unique_global",
            ),
        ]
        indexes = [models.Index(fields=["place", "role"], name="role_place_role")]

    def __str__(self):
        return f"{self.person} · {self.get_role_display()}"
