"""Dual registration (双报到), both halves, and what members choose.

- A work unit's party organisation registers with the community where it sits
  (:class:`UnitRegistration`) and signs joint projects with it (:class:`JointProject`).
- A party member (or a volunteer) registers with their home community, naming their work
  unit's party organisation (:class:`Enrolment`); the community approves, and the member then
  appears in both the community's lists and the unit's view.
- The community publishes service posts (:class:`ServicePost`); members choose them
  (:class:`PostChoice`). Teams are core organisations of kind ``volunteer_team`` at the
  community (``OrganisationMember`` rows); their specialty is the organisation's subtype.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Status(models.TextChoices):
    PENDING = "pending", _("Waiting for approval")
    APPROVED = "approved", _("Approved")
    REFUSED = "refused", _("Refused")
    ENDED = "ended", pgettext_lazy("registration status", "Ended")  # not the organisations' 撤销


LIVE = (Status.PENDING, Status.APPROVED)


class UnitRegistration(models.Model):
    """单位党组织到社区报到: a work unit's party organisation registers with a community."""

    unit = models.ForeignKey("core.Organisation", on_delete=models.PROTECT, related_name="community_registrations",
                             verbose_name=_("work unit's party organisation"))
    community = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"))
    community_path = models.CharField(max_length=255, editable=False, db_index=True)
    contact_name = models.CharField(_("contact"), max_length=50, blank=True)
    contact_phone = models.CharField(_("contact phone"), max_length=20, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("work unit registration")
        verbose_name_plural = _("work unit registrations")
        constraints = [
            models.UniqueConstraint(fields=["unit", "community"], condition=Q(status__in=LIVE),
                                    name="unitreg_one_live"),
        ]


class JointProject(models.Model):
    """共建项目: what a registered work unit and the community agree to do in a year, and the
    review at the year's end."""

    registration = models.ForeignKey(UnitRegistration, on_delete=models.CASCADE, related_name="projects")
    title = models.CharField(_("title"), max_length=120)
    goals = models.TextField(_("goals"), max_length=2000)
    year = models.PositiveSmallIntegerField(_("year"))
    signed_on = models.DateField(_("signed on"))
    review = models.TextField(_("year-end review"), max_length=2000, blank=True)
    goals_met = models.BooleanField(_("goals met"), null=True, blank=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        ordering = ["-year", "title"]


class EnrolmentKind(models.TextChoices):
    PARTY_MEMBER = "party_member", _("Party member (dual registration)")
    VOLUNTEER = "volunteer", _("Volunteer")
    SOCIAL_ORGANISATION = "social_org", _("Social organisation worker")


class Enrolment(models.Model):
    """A person registered to serve in a community: a party member's 双报到 (with their work
    unit's party organisation), a volunteer, or a social organisation's worker."""

    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="enrolments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="enrolments")
    kind = models.CharField(_("kind"), max_length=20, choices=EnrolmentKind.choices)
    community = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"))
    community_path = models.CharField(max_length=255, editable=False, db_index=True)
    # Where the member lives (a building or entrance), for tasks and households near them.
    home = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("home"))
    home_path = models.CharField(max_length=255, blank=True, editable=False)
    unit = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                             related_name="enrolled_members", verbose_name=_("work unit's party organisation"))
    skills = models.CharField(_("skills"), max_length=200, blank=True)
    # 片长: a member leading an area (an area, a compound or a building) for the community.
    leads = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("area led (片长)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    registered_at = models.DateTimeField(_("registered at"), auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("registered member or volunteer")
        verbose_name_plural = _("registered members and volunteers")
        constraints = [
            models.UniqueConstraint(fields=["person", "community"], condition=Q(status__in=LIVE),
                                    name="enrolment_one_live"),
        ]
        indexes = [
            models.Index(fields=["status", "community_path"], name="enrolment_status_path"),
            models.Index(fields=["unit", "status"], name="enrolment_unit_status"),
            models.Index(fields=["home_path"], name="enrolment_home_path"),
        ]

    def __str__(self):
        return f"{self.person} · {self.get_kind_display()}"


class PostKind(models.TextChoices):
    """Seed 004's five kinds of service post."""

    PUBLICITY = "publicity", _("Publicity and ideas (宣传思想)")
    OPINIONS = "opinions", _("Collecting opinions (收集民意)")
    CONVENIENCE = "convenience", _("Everyday services (便民服务)")
    MEDIATION = "mediation", _("Resolving disputes (化解矛盾)")
    CULTURE = "culture", _("Residents' culture (居民文化)")


class TeamSpecialty(models.TextChoices):
    POLICY = "policy", _("Policy explained")
    LEGAL = "legal", _("Legal aid")
    MEDICAL = "medical", _("Medical")
    EDUCATION = "education", _("Education")
    REPAIR = "repair", _("Repairs")
    CULTURE = "culture", _("Culture and sport")
    PATROL = "patrol", _("Patrol and safety")
    OTHER = "other", _("Other")


class ServicePost(models.Model):
    """A service post (服务岗位) a community publishes for members and volunteers to choose."""

    community = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    community_path = models.CharField(max_length=255, editable=False, db_index=True)
    kind = models.CharField(_("kind"), max_length=20, choices=PostKind.choices)
    name = models.CharField(_("name"), max_length=80)
    description = models.TextField(_("description"), max_length=1000, blank=True)
    places_needed = models.PositiveSmallIntegerField(_("people needed"), null=True, blank=True)
    active = models.BooleanField(_("open"), default=True)

    class Meta:
        verbose_name = _("service post")
        verbose_name_plural = _("service posts")
        ordering = ["kind", "name"]

    def __str__(self):
        return self.name


class PostChoice(models.Model):
    enrolment = models.ForeignKey(Enrolment, on_delete=models.CASCADE, related_name="post_choices")
    post = models.ForeignKey(ServicePost, on_delete=models.CASCADE, related_name="choices")
    chosen_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["enrolment", "post"], name="postchoice_unique")]
