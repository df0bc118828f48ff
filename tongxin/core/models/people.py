"""Households and people.

A household belongs to a place that holds households (an entrance, a building, a
villager group or a courtyard). People are linked to households by
:class:`HouseholdMember` rows (owner, family member, tenant) with validity dates, so
moves keep history. ``Person.household`` and the ``*_path`` columns are denormalised
copies kept by ``core.services`` so that counting "everything under this place" is an
index range scan rather than a join through history rows.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongxin.core.tags import TAG_CHOICES


class Tenure(models.TextChoices):
    OWNER_OCCUPIED = "owner_occupied", _("Owner-occupied")
    RENTED = "rented", _("Rented")
    VACANT = "vacant", _("Vacant")


class Household(models.Model):
    place = models.ForeignKey(
        "core.Place", on_delete=models.PROTECT, related_name="households", verbose_name=_("place")
    )
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    unit_number = models.CharField(_("unit number"), max_length=40)
    floor_area = models.DecimalField(
        _("floor area (m²)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    tenure = models.CharField(_("tenure"), max_length=20, choices=Tenure.choices, default=Tenure.OWNER_OCCUPIED)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("household")
        verbose_name_plural = _("households")
        constraints = [
            models.UniqueConstraint(
                fields=["place", "unit_number"], condition=Q(closed_on__isnull=True), name="household_unit_unique"
            ),
            models.CheckConstraint(
                condition=Q(floor_area__isnull=True) | Q(floor_area__gt=0), name="household_area_positive"
            ),
        ]

    def __str__(self):
        return f"{self.place} {self.unit_number}"


class HouseholdMove(models.Model):
    """History: a household moved from one place to another (never overwritten)."""

    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="moves")
    from_place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    to_place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    moved_at = models.DateTimeField(auto_now_add=True)
    moved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    reason = models.CharField(max_length=200, blank=True)

    class Meta:
        ordering = ["-moved_at", "-id"]


class Gender(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "", _("Not recorded")


class Person(models.Model):
    """A resident (居民) or anyone else the registers name: staff, helpers, leaders."""

    name = models.CharField(_("name"), max_length=50)
    phone = models.CharField(_("phone"), max_length=20, blank=True, db_index=True)
    # ID numbers are encrypted at rest (core.privacy); the keyed hash finds duplicates.
    id_number_encrypted = models.TextField(blank=True, editable=False)
    id_number_hash = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    birth_date = models.DateField(_("birth date"), null=True, blank=True)
    gender = models.CharField(_("gender"), max_length=10, choices=Gender.choices, blank=True)
    household = models.ForeignKey(
        Household, null=True, blank=True, on_delete=models.SET_NULL, related_name="residents",
        verbose_name=_("household lived in"),
    )
    home_path = models.CharField(max_length=255, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")

    def __str__(self):
        return self.name


class MemberRelation(models.TextChoices):
    OWNER = "owner", _("Owner")
    FAMILY = "family", _("Family member")
    TENANT = "tenant", _("Tenant")


class HouseholdMember(models.Model):
    household = models.ForeignKey(Household, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    relation = models.CharField(_("relation"), max_length=10, choices=MemberRelation.choices)
    lives_here = models.BooleanField(_("lives here"), default=True)
    is_head = models.BooleanField(_("head of household"), default=False)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        verbose_name = _("household member")
        verbose_name_plural = _("household members")
        constraints = [
            models.UniqueConstraint(
                fields=["household", "person", "relation"], condition=Q(valid_to__isnull=True),
                name="member_current_unique",
            ),
            # A person lives in at most one household at a time.
            models.UniqueConstraint(
                fields=["person"], condition=Q(valid_to__isnull=True, lives_here=True),
                name="member_one_home",
            ),
        ]


class PersonTag(models.Model):
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="tags")
    tag = models.CharField(_("tag"), max_length=30, choices=TAG_CHOICES)
    added_on = models.DateField(_("added on"), auto_now_add=True)

    class Meta:
        verbose_name = _("person tag")
        verbose_name_plural = _("person tags")
        constraints = [models.UniqueConstraint(fields=["person", "tag"], name="person_tag_unique")]
        indexes = [models.Index(fields=["tag", "person"], name="persontag_tag_person")]
