"""Activities (志愿活动): one-off, weekly, or on a fixed day each month (seed 004's members
serve on a fixed day every month), with capacity, sign-up and a waiting list, and check-in
and check-out by scanning the activity's QR code at the venue.

An :class:`Activity` is the plan; each date it happens is a :class:`Session` (made ahead
by ``services.activities``); people sign up for a session (:class:`SignUp`, booked or
waiting); :class:`Attendance` records check-in and check-out, whose difference is the
service time, unless the organiser adjusted it (with a reason, kept).
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


def new_activity_token() -> str:
    return secrets.token_urlsafe(12)


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")
    MONTHLY = "monthly", _("On a fixed day each month")


class Activity(models.Model):
    community = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+",
                                  verbose_name=_("community"))
    community_path = models.CharField(max_length=255, editable=False, db_index=True)
    team = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("team"))
    post = models.ForeignKey("volunteering.ServicePost", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="activities", verbose_name=_("service post"))
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    venue = models.CharField(_("venue"), max_length=120)
    recurrence = models.CharField(_("repeats"), max_length=10, choices=Recurrence.choices, default=Recurrence.ONCE)
    first_date = models.DateField(_("first date"))
    last_date = models.DateField(_("last date"), null=True, blank=True)
    start_time = models.TimeField(_("starts"))
    end_time = models.TimeField(_("ends"))
    capacity = models.PositiveSmallIntegerField(_("places available"), null=True, blank=True)  # none: no limit
    token = models.CharField(max_length=32, unique=True, default=new_activity_token, editable=False)
    organiser = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    cancelled = models.BooleanField(_("cancelled"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        constraints = [
            models.CheckConstraint(condition=Q(end_time__gt=models.F("start_time")), name="activity_times_ordered"),
            models.CheckConstraint(condition=Q(last_date__isnull=True) | Q(last_date__gte=models.F("first_date")),
                                   name="activity_dates_ordered"),
        ]

    def __str__(self):
        return self.title


class Session(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="sessions")
    date = models.DateField(_("date"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    booked = models.PositiveSmallIntegerField(default=0)  # kept under the session's row lock
    cancelled = models.BooleanField(_("cancelled"), default=False)

    class Meta:
        ordering = ["starts_at"]
        constraints = [models.UniqueConstraint(fields=["activity", "date"], name="session_one_per_day")]
        indexes = [models.Index(fields=["starts_at"], name="session_starts")]


class SignUpState(models.TextChoices):
    BOOKED = "booked", _("Booked")
    WAITING = "waiting", _("On the waiting list")
    CANCELLED = "cancelled", _("Cancelled")


class SignUp(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="sign_ups")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey("volunteering.Enrolment", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="sign_ups")
    state = models.CharField(_("state"), max_length=10, choices=SignUpState.choices)
    signed_at = models.DateTimeField(auto_now_add=True)  # the waiting list's order

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], condition=~Q(state="cancelled"),
                                    name="signup_one_live"),
        ]


class Attendance(models.Model):
    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="attendances")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    enrolment = models.ForeignKey("volunteering.Enrolment", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="attendances")
    checked_in_at = models.DateTimeField(_("checked in"))
    checked_out_at = models.DateTimeField(_("checked out"), null=True, blank=True)
    minutes = models.PositiveIntegerField(_("minutes"), null=True, blank=True)  # from check-in and out
    adjusted_minutes = models.PositiveIntegerField(_("adjusted minutes"), null=True, blank=True)
    adjust_reason = models.CharField(_("reason for the adjustment"), max_length=200, blank=True)
    adjusted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["session", "person"], name="attendance_one_per_session"),
            models.CheckConstraint(condition=Q(adjusted_minutes__isnull=True) | ~Q(adjust_reason=""),
                                   name="attendance_adjust_has_reason"),
        ]
