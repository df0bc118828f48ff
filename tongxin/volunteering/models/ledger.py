"""The service ledger (服务台账): one row per piece of service done, written when the service is
confirmed (a checked-out attendance, a confirmed claim), with the person's work unit and team
at that moment, so a unit's quarter and a community's month are index range sums."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ServiceSource(models.TextChoices):
    ACTIVITY = "activity", _("Activity")
    TASK = "task", _("Claimed task")


class ServiceRecord(models.Model):
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey("volunteering.Enrolment", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="service_records")
    unit = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")  # the work unit's party organisation when served
    team = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+")
    community = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    community_path = models.CharField(max_length=255, editable=False)
    source = models.CharField(_("source"), max_length=10, choices=ServiceSource.choices)
    attendance = models.OneToOneField("volunteering.Attendance", null=True, blank=True, on_delete=models.CASCADE,
                                      related_name="record")
    claim = models.OneToOneField("volunteering.Claim", null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="record")
    title = models.CharField(_("service"), max_length=120)
    served_on = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("service record")
        verbose_name_plural = _("service records")
        constraints = [
            models.CheckConstraint(
                condition=Q(source="activity", attendance__isnull=False, claim__isnull=True)
                | Q(source="task", claim__isnull=False, attendance__isnull=True),
                name="record_one_source"),
        ]
        indexes = [
            models.Index(fields=["community_path", "served_on"], name="record_path_date"),
            models.Index(fields=["unit", "served_on"], name="record_unit_date"),
            models.Index(fields=["person", "served_on"], name="record_person_date"),
            models.Index(fields=["team", "served_on"], name="record_team_date"),
        ]


class PublishedRanking(models.Model):
    """A month's ranking as the community published it (on its notice board): kept as
    published, even if a late record changes the figures afterwards."""

    community = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    month = models.DateField(_("month"))  # the first day
    rows = models.JSONField()  # [{"name": masked name, "hours": ..., "tasks": ...}, ...]
    published_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["community", "month"], name="ranking_one_per_month")]
