"""Meetings with follow-up (会议与跟踪落实). ``docs/meetings.md``.

- A :class:`MeetingSeries` meets on a schedule (``rules``) at a place, with participating
  organisations and invited people; a daily job makes its next meeting. One-off meetings
  have no series.
- A :class:`Meeting` has agenda items, invitations with attendance (or a head count for a
  big open meeting such as a 屋场会), minutes with files, and decisions.
- Each :class:`Decision` becomes :class:`ActionItem` rows with an owner (a person or an
  organisation) and a deadline, tracked to done; ``place_path`` is copied so overdue lists
  are one indexed range.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tongxin.meetings import rules


class MeetingKind(models.TextChoices):
    THREE_PARTY = "three_party", _("Three-party joint meeting")
    OWNERS_ASSEMBLY = "owners_assembly", _("Owners' assembly")
    CONSULTATION = "consultation", _("Heart-to-heart talk")
    COURTYARD = "courtyard", _("Courtyard meeting")
    OPINION = "opinion", _("Residents' opinion meeting")
    OTHER = "other", _("Other meeting")


class Frequency(models.TextChoices):
    MONTHLY = rules.MONTHLY, _("Monthly")
    BIMONTHLY = rules.BIMONTHLY, _("Every two months")
    QUARTERLY = rules.QUARTERLY, _("Quarterly")
    YEARLY = rules.YEARLY, _("Yearly")


class MeetingSeries(models.Model):
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices)
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, editable=False, db_index=True)
    frequency = models.CharField(_("how often"), max_length=12, choices=Frequency.choices)
    starts_on = models.DateField(_("first meeting on or after"))
    # Either a day of the month, or the n-th weekday (week 1–4, -1 the last).
    day = models.PositiveSmallIntegerField(_("day of the month"), null=True, blank=True)
    weekday = models.PositiveSmallIntegerField(_("weekday"), null=True, blank=True)
    week = models.SmallIntegerField(_("week of the month"), null=True, blank=True)
    time = models.TimeField(_("time"))
    location = models.CharField(_("location"), max_length=120, blank=True)
    convener = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("convener"))
    organisations = models.ManyToManyField("core.Organisation", blank=True, related_name="+",
                                           verbose_name=_("participating organisations"))
    invitees = models.ManyToManyField("core.Person", blank=True, related_name="+", verbose_name=_("invited people"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting series")
        verbose_name_plural = _("meeting series")
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(day__isnull=False) | Q(weekday__isnull=False), name="series_has_day"),
        ]

    def __str__(self):
        return self.title


class MeetingState(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", _("Cancelled")


class Meeting(models.Model):
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="meetings")
    title = models.CharField(_("title"), max_length=120)
    kind = models.CharField(_("kind of meeting"), max_length=20, choices=MeetingKind.choices)
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, editable=False, db_index=True)
    starts_at = models.DateTimeField(_("starts at"))
    location = models.CharField(_("location"), max_length=120, blank=True)
    convener = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                 verbose_name=_("convener"))
    state = models.CharField(_("state"), max_length=12, choices=MeetingState.choices,
                             default=MeetingState.SCHEDULED)
    #: A big open meeting (屋场会) counts heads instead of naming each person.
    head_count = models.PositiveIntegerField(_("people present"), null=True, blank=True)
    minutes = models.TextField(_("meeting minutes"), max_length=20000, blank=True)
    # "slot@starts_at" of the last reminder sent (the outbox's event key makes it exactly once).
    reminded = models.CharField(max_length=60, blank=True, editable=False)
    public_token = models.CharField(max_length=32, unique=True, editable=False, default="")
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    notice = models.ForeignKey("core.PlaceNotice", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+", editable=False)
    organisations = models.ManyToManyField("core.Organisation", blank=True, related_name="+",
                                           verbose_name=_("participating organisations"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            # One meeting per series and start: the daily job and a click can both make it.
            models.UniqueConstraint(fields=["series", "starts_at"], condition=Q(series__isnull=False),
                                    name="meeting_series_once"),
        ]
        indexes = [models.Index(fields=["state", "starts_at"], name="meeting_state_start")]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        if not self.public_token:
            self.public_token = secrets.token_urlsafe(18)[:24]
        super().save(*args, **kwargs)


class Attendance(models.TextChoices):
    INVITED = "invited", _("Not recorded")
    PRESENT = "present", pgettext_lazy("meetings", "Present")
    ABSENT = "absent", _("Absent")
    EXCUSED = "excused", _("Excused")


class Invitation(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey("core.Person", on_delete=models.PROTECT, related_name="+")
    attendance = models.CharField(_("attendance"), max_length=10, choices=Attendance.choices,
                                  default=Attendance.INVITED)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["meeting", "person"], name="invitation_once")]
        indexes = [models.Index(fields=["person"], name="invitation_person")]


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda")
    order = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("agenda item"), max_length=200)
    #: Where it came from: a demand's tracking code, a residents' matter, a letter (free text).
    source = models.CharField(_("raised by / source"), max_length=120, blank=True)

    class Meta:
        ordering = ["order", "id"]


class MinutesFile(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(upload_to="meetings/%Y/%m/")  # photos re-encoded EXIF-free; PDFs checked
    name = models.CharField(max_length=120)
    content_type = models.CharField(max_length=40)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    order = models.PositiveSmallIntegerField(default=0)
    text = models.TextField(pgettext_lazy("meetings", "decision"), max_length=2000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["order", "id"]


class ActionStatus(models.TextChoices):
    OPEN = rules.OPEN, _("Open")
    DONE = rules.DONE, _("Done")
    DROPPED = rules.DROPPED, _("Dropped")


class ActionItem(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="actions")
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="+")  # copied: lists by meeting
    series = models.ForeignKey(MeetingSeries, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    place_path = models.CharField(max_length=255, editable=False)
    title = models.CharField(_("what is to be done"), max_length=200)
    owner_person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+", verbose_name=_("owner (person)"))
    owner_organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                           related_name="+", verbose_name=_("owner (organisation)"))
    deadline = models.DateField(pgettext_lazy("meetings", "deadline"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices, default=ActionStatus.OPEN)
    note = models.TextField(_("note"), max_length=2000, blank=True)  # what was done, or why dropped
    closed_at = models.DateTimeField(null=True, blank=True)
    closed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    overdue_notified_on = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["deadline", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(owner_person__isnull=False, owner_organisation__isnull=True)
                           | Q(owner_person__isnull=True, owner_organisation__isnull=False)),
                name="action_one_owner"),
            models.CheckConstraint(condition=Q(status=rules.OPEN) | ~Q(note=""), name="action_closed_with_note"),
        ]
        indexes = [
            models.Index(fields=["place_path", "deadline"], condition=Q(status=rules.OPEN), name="action_open_path"),
            models.Index(fields=["deadline"], condition=Q(status=rules.OPEN), name="action_open_deadline"),
            models.Index(fields=["series", "status"], name="action_series_status"),
        ]
