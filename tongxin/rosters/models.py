"""Duty rosters and patrol rounds (值班巡逻). ``docs/rosters.md``.

What the database enforces: one holder per seat of a shift and one seat per person
(``rosters_assignment_seat``, ``rosters_assignment_once``); one check-in per checkpoint and
round; one open round per walker and route; a checkpoint's token is unique. A swap is a
conditional UPDATE of the offered assignment: of two takers at once exactly one changes it.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


def new_token() -> str:
    return secrets.token_urlsafe(18)


class RosterKind(models.TextChoices):
    DUTY_OFFICE = "duty_office", _("Duty office")
    HOTLINE = "hotline", _("Hotline")
    PATROL = "patrol", _("Patrol team")
    SCHOOL_GATE = "school_gate", _("School-gate guard")
    OTHER = "other", _("Other")


class Roster(models.Model):
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(pgettext_lazy("roster", "name"), max_length=60)
    kind = models.CharField(_("kind"), max_length=12, choices=RosterKind.choices, default=RosterKind.DUTY_OFFICE)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["place_path", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["place", "name"], name="rosters_roster_unique_name")]

    def __str__(self):
        return self.name


class Shift(models.Model):
    roster = models.ForeignKey(Roster, on_delete=models.CASCADE, related_name="shifts")
    #: The roster's place path, copied: ``selectors.on_duty`` finds shifts by place and time alone.
    place_path = models.CharField(max_length=255, editable=False)
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    needed = models.PositiveSmallIntegerField(_("people needed"), default=1)

    class Meta:
        ordering = ["starts_at", "id"]
        indexes = [
            models.Index(fields=["roster", "starts_at"], name="rosters_shift_roster_start"),
            models.Index(fields=["place_path", "starts_at"], name="rosters_shift_path_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="rosters_shift_times"),
            models.CheckConstraint(condition=Q(needed__gte=1), name="rosters_shift_needed"),
        ]


class ShiftAssignment(models.Model):
    """A person holding one seat of a shift; ``offered`` while they look for someone to take it."""

    shift = models.ForeignKey(Shift, on_delete=models.CASCADE, related_name="assignments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    seat = models.PositiveSmallIntegerField()
    offered = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["shift", "seat"]
        indexes = [models.Index(fields=["user", "shift"], name="rosters_assignment_user")]
        constraints = [
            models.UniqueConstraint(fields=["shift", "user"], name="rosters_assignment_once"),
            models.UniqueConstraint(fields=["shift", "seat"], name="rosters_assignment_seat"),
        ]


class Route(models.Model):
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    name = models.CharField(pgettext_lazy("roster", "name"), max_length=60)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["place_path", "name", "id"]
        constraints = [models.UniqueConstraint(fields=["place", "name"], name="rosters_route_unique_name")]

    def __str__(self):
        return self.name


class Checkpoint(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="checkpoints")
    order = models.PositiveSmallIntegerField(_("order"))
    name = models.CharField(pgettext_lazy("roster", "name"), max_length=60)
    #: In the URL of the checkpoint's QR code: holding it (and being signed in) is the check-in.
    token = models.CharField(max_length=32, unique=True, default=new_token, editable=False)

    class Meta:
        ordering = ["route", "order", "id"]
        constraints = [models.UniqueConstraint(fields=["route", "order"], name="rosters_checkpoint_order")]

    def __str__(self):
        return self.name


class Round(models.Model):
    route = models.ForeignKey(Route, on_delete=models.CASCADE, related_name="rounds")
    place_path = models.CharField(max_length=255, editable=False)
    planned_for = models.DateField(_("planned for"))
    #: Planned ahead by a manager (counts toward coverage's "planned"); a round a walker starts
    #: with none planned that day is unplanned.
    planned = models.BooleanField(default=True)
    walker = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                               related_name="+")
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-planned_for", "id"]
        indexes = [models.Index(fields=["route", "planned_for"], name="rosters_round_route_day")]
        constraints = [
            models.UniqueConstraint(fields=["route", "walker"], condition=Q(started_at__isnull=False,
                                                                            finished_at__isnull=True),
                                    name="rosters_round_one_open"),
            models.CheckConstraint(condition=Q(started_at__isnull=True) | Q(walker__isnull=False),
                                   name="rosters_round_started_by_walker"),
            models.CheckConstraint(condition=Q(finished_at__isnull=True) | Q(started_at__isnull=False),
                                   name="rosters_round_finished_after_start"),
        ]


class CheckIn(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="check_ins")
    checkpoint = models.ForeignKey(Checkpoint, on_delete=models.CASCADE, related_name="+")
    at = models.DateTimeField()

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["round", "checkpoint"], name="rosters_checkin_once")]


class Incident(models.Model):
    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="incidents")
    text = models.CharField(_("what happened"), max_length=500)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(auto_now_add=True)
    #: The demand raised for it (``demands.Demand``), kept as an id: the demand lives its own life.
    demand_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["at", "id"]
