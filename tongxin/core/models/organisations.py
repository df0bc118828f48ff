"""Organisations: party bodies, committees, property companies, units, teams.

Organisations nest (party committee → branch → group; residents' committee →
sub-committee), have start and end dates (temporary branches end), sit at a home place,
and relate to places (a property company *manages* compounds) and to each other (a
大党委's *member units*; a unit branch *paired* with a community branch, 三联系).
"""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    PARTY_COMMITTEE = "party_committee", _("Party committee")
    PARTY_BRANCH = "party_branch", _("Party branch")
    PARTY_GROUP = "party_group", _("Party group")
    RESIDENTS_COMMITTEE = "residents_committee", _("Residents' committee")
    VILLAGERS_COMMITTEE = "villagers_committee", _("Villagers' committee")
    SUB_COMMITTEE = "sub_committee", _("Sub-committee")
    PROPERTY_COMPANY = "property_company", _("Property company")
    OWNERS_COMMITTEE = "owners_committee", _("Owners' committee")
    SUPERVISORY_COMMITTEE = "supervisory_committee", _("Supervisory committee")
    WORK_UNIT = "work_unit", _("Work unit")
    SOCIAL_ORGANISATION = "social_organisation", _("Social organisation")
    SOCIAL_WORK_CENTRE = "social_work_centre", _("Social work centre")
    VOLUNTEER_TEAM = "volunteer_team", _("Volunteer team")


class Organisation(models.Model):
    code = models.SlugField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=120)
    kind = models.CharField(_("kind"), max_length=30, choices=OrganisationKind.choices)
    # Free text refining the kind: "人民调解委员会", "大党委", "政策宣传服务队" ...
    subtype = models.CharField(_("subtype"), max_length=60, blank=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    place = models.ForeignKey(
        "core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="organisations",
        verbose_name=_("home place"),
    )
    is_temporary = models.BooleanField(_("temporary"), default=False)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=models.F("started_on")), name="org_dates_ordered"
            )
        ]

    def __str__(self):
        return self.name


class PlaceRelation(models.TextChoices):
    MANAGES = "manages", _("Manages")
    SERVES = "serves", _("Serves")


class OrganisationPlace(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="place_links")
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="organisation_links")
    relation = models.CharField(_("relation"), max_length=20, choices=PlaceRelation.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "place", "relation"], condition=Q(valid_to__isnull=True),
                name="orgplace_current_unique",
            )
        ]


class OrganisationRelationKind(models.TextChoices):
    MEMBER_UNIT = "member_unit", _("Member unit")
    PAIRED = "paired", _("Paired for joint building")


class OrganisationRelation(models.Model):
    """``subject`` has ``object`` as its member unit / pairing partner."""

    subject = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="relations")
    object = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="inverse_relations")
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationRelationKind.choices)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "object", "kind"], condition=Q(valid_to__isnull=True),
                name="orgrel_current_unique",
            ),
            models.CheckConstraint(condition=~Q(subject=models.F("object")), name="orgrel_not_self"),
        ]


class Position(models.TextChoices):
    SECRETARY = "secretary", _("Secretary")
    DEPUTY_SECRETARY = "deputy_secretary", _("Deputy secretary")
    CHAIR = "chair", _("Chair / director")
    DEPUTY_CHAIR = "deputy_chair", _("Deputy chair")
    COMMITTEE_MEMBER = "committee_member", _("Committee member")
    MEMBER = "member", _("Member")
    MANAGER = "manager", _("Manager")
    STAFF = "staff", _("Staff")


class OrganisationMember(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="members")
    person = models.ForeignKey("core.Person", on_delete=models.CASCADE, related_name="organisation_memberships")
    position = models.CharField(_("position"), max_length=20, choices=Position.choices, default=Position.MEMBER)
    valid_from = models.DateField(_("from"))
    valid_to = models.DateField(_("to"), null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "person", "position"], condition=Q(valid_to__isnull=True),
                name="orgmember_current_unique",
            )
        ]
