"""Demands (诉求) and where they come from: categories, QR codes on doors, the timeline.

A :class:`Demand` is one resident's report at a place, in a workflow state
(``demands.rules``); every change is a :class:`DemandEvent` in an append-only timeline.
A :class:`QrCode` is a stable, unguessable token per place (an entrance, a gate, a
villager group, a facility) printed on the door poster: ``/q/<token>``.
"""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tongxin.demands.deadlines import TIER_CHOICES
from tongxin.demands.rules import ACTIONS, STATES

#: Tracking codes: no 0/O, 1/I/L, so a code read out over the phone is not misheard.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))


def new_qr_token() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, 96 bits: unguessable


class Category(models.Model):
    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=40)
    name_en = models.CharField(_("name in English"), max_length=60)
    sensitive = models.BooleanField(
        _("sensitive"), default=False, help_text=_("Never shown to other residents, even redacted (邻里纠纷)."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)
    tier = models.CharField(_("time limits"), max_length=12, choices=TIER_CHOICES, default="ordinary",
                            help_text=_("The 12345 tier its response and resolution deadlines follow."))
    response_time = models.DurationField(_("response deadline"), null=True, blank=True,
                                         help_text=_("Overrides the tier's, in clock time."))
    resolution_time = models.DurationField(_("resolution deadline"), null=True, blank=True,
                                           help_text=_("Overrides the tier's, in clock time."))

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name


class ErrandItem(models.Model):
    """A service the community handles on a resident's behalf (代办: social insurance, subsidies,
    certificates…): the papers to bring, the office responsible and its time limit."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=60)
    name_en = models.CharField(_("name in English"), max_length=100)
    papers = models.TextField(_("papers needed"), blank=True, help_text=_("One per line."))
    office = models.CharField(_("office responsible"), max_length=100)
    time_limit_days = models.PositiveSmallIntegerField(_("time limit (working days)"), default=5)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("service on behalf")
        verbose_name_plural = _("services on behalf")
        ordering = ["order", "id"]

    def __str__(self):
        return self.name

    @property
    def paper_list(self) -> list[str]:
        return [line.strip() for line in self.papers.splitlines() if line.strip()]


class CannedReply(models.Model):
    """A ready answer staff pick instead of typing (常用回复), for one category or all, and for
    one community (its subtree) or everywhere."""

    category = models.ForeignKey(Category, null=True, blank=True, on_delete=models.CASCADE,
                                 related_name="canned_replies", verbose_name=_("category"))
    place = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("place"), help_text=_("Empty: everywhere."))
    text = models.CharField(_("text"), max_length=500)
    order = models.PositiveSmallIntegerField(_("order"), default=100)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        verbose_name = _("canned reply")
        verbose_name_plural = _("canned replies")
        ordering = ["order", "id"]

    def __str__(self):
        return self.text[:40]


class QrCode(models.Model):
    place = models.OneToOneField(
        "core.Place", on_delete=models.PROTECT, related_name="qr_code", verbose_name=_("place")
    )
    token = models.CharField(max_length=32, unique=True, default=new_qr_token, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("QR code")
        verbose_name_plural = _("QR codes")

    def __str__(self):
        return f"{self.place} /q/{self.token}"


class Source(models.TextChoices):
    QR = "qr", _("QR code")
    VISIT = "visit", _("Door-to-door visit")
    PHONE = "phone", _("Phone call")
    HOTLINE = "hotline", _("Hotline")
    MEETING = "meeting", _("Meeting")
    API = "api", _("Another system (Open311)")


class Demand(models.Model):
    tracking_code = models.CharField(_("tracking code"), max_length=12, default=new_tracking_code)
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="demands", verbose_name=_("place"))
    # Indexed by ``demand_place_recent`` (place_path, created_at): a one-column index beside it
    # served the same ranges and drew the duplicate check away from the date (issue 7).
    place_path = models.CharField(max_length=255, editable=False)
    category = models.ForeignKey(Category, on_delete=models.PROTECT, related_name="demands", verbose_name=_("category"))
    errand = models.ForeignKey(ErrandItem, null=True, blank=True, on_delete=models.PROTECT, related_name="demands",
                               verbose_name=_("service on behalf"), db_index=False)
    description = models.TextField(_("description"), max_length=2000)
    reporter_name = models.CharField(_("name"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("phone"), max_length=20, blank=True)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.QR)
    state = models.CharField(_("state"), max_length=20, choices=[(c, s.label) for c, s in STATES.items()],
                             default="received")
    handler = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="demands_handled", verbose_name=_("handler"), db_index=False)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", db_index=False)
    form_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    client_key = models.CharField(max_length=64, blank=True, editable=False)  # keyed hash of the address: rate limits
    # Deadlines (``demands.deadlines``) and what the indicators count (``docs/indicators.md``).
    respond_by = models.DateTimeField(_("respond by"), null=True, blank=True)
    resolve_by = models.DateTimeField(_("resolve by"), null=True, blank=True)
    responded_at = models.DateTimeField(_("responded at"), null=True, blank=True)  # first step by staff
    resolved_at = models.DateTimeField(_("resolved at"), null=True, blank=True)  # last report as resolved
    # The grid (else the community or village) the demand belongs to when reported: where the
    # indicators count it, whatever happens to it later.
    unit = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                             verbose_name=_("grid"), db_index=False)
    unit_path = models.CharField(max_length=255, blank=True, editable=False)  # read by the rollups, not searched
    level = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+",
                              verbose_name=_("responsible level"), db_index=False)  # grid → … → district
    escalations = models.PositiveSmallIntegerField(default=0)
    extensions = models.PositiveSmallIntegerField(default=0)
    reworks = models.PositiveSmallIntegerField(default=0)  # returned for rework or reopened by a rating
    # When the intake task (``services.take_in``) notified staff and set the deadline checks.
    taken_in_at = models.DateTimeField(null=True, blank=True, editable=False)
    merged_into = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="merged", verbose_name=_("merged into"), db_index=False)
    rating = models.PositiveSmallIntegerField(_("rating"), null=True, blank=True)
    rating_comment = models.CharField(_("comment"), max_length=500, blank=True)
    rated_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(_("reported at"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("demand")
        verbose_name_plural = _("demands")
        indexes = [
            models.Index(fields=["state", "place_path"], name="demand_state_place"),
            models.Index(fields=["client_key", "created_at"], name="demand_client_recent"),
            # Duplicate candidates: one compound's (or building's) recent demands, never the city's.
            models.Index(fields=["place_path", "created_at"], name="demand_place_recent"),
            models.Index(fields=["state", "resolve_by"], name="demand_state_due"),
            # The intake sweep's few reports not yet taken in, never a scan of all demands.
            models.Index(fields=["created_at"], condition=Q(taken_in_at__isnull=True), name="demand_awaiting_intake"),
            # Every index is written by every report, so what is empty when a resident reports
            # (a handler, a merge, the unit set at intake...) is indexed only where set: a
            # lookup of one value (``handler = 5``) implies NOT NULL and uses these.
            *(models.Index(fields=[name], condition=Q(**{f"{name}__isnull": False}), name=f"demand_{name}_set")
              for name in ("handler", "recorded_by", "errand", "unit", "level", "merged_into")),
        ]
        constraints = [
            # Constraints, not ``unique=True``: that adds a LIKE index on PostgreSQL, never used
            # for codes, and written by every report.
            models.UniqueConstraint(fields=["tracking_code"], name="demand_tracking_code_unique"),
            models.UniqueConstraint(fields=["form_key"], condition=Q(form_key__isnull=False),
                                    name="demand_form_key_unique"),
            models.CheckConstraint(condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                                   name="demand_rating_range"),
        ]

    def __str__(self):
        return self.tracking_code

    @property
    def is_open(self) -> bool:
        return STATES[self.state].kind == "open"


class DemandEvent(models.Model):
    """One step in a demand's life: never changed, never deleted."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(
        max_length=20, choices=[("report", _("Reported")), *ACTIONS.items(), ("rate", _("Rated"))]
    )
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    actor_role = models.CharField(max_length=20)
    note = models.TextField(blank=True, max_length=2000)
    at = models.DateTimeField(default=timezone.now)  # the report's step is written at intake, dated at the report

    class Meta:
        ordering = ["at", "id"]


class Referral(models.Model):
    """A recorded hand-off to an office outside the community (转办): to whom, when, by whom,
    under which of their reference numbers, and what they answered."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="referrals")
    office = models.CharField(_("office"), max_length=100)
    contact = models.CharField(_("contact at the office"), max_length=100, blank=True)
    reference = models.CharField(_("their reference number"), max_length=60, blank=True)
    note = models.TextField(_("what was handed over"), max_length=2000)
    referred_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    referred_at = models.DateTimeField(auto_now_add=True)
    answer = models.TextField(_("the office's answer"), blank=True, max_length=2000)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["referred_at", "id"]


def photo_path(instance, filename: str) -> str:
    return f"demands/{instance.demand_id}/{secrets.token_hex(8)}.jpg"


class DemandPhoto(models.Model):
    """A photo with a report or a step (resized, EXIF-free: ``demands.photos``); private."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="photos")
    image = models.FileField(upload_to=photo_path)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class MeToo(models.Model):
    """我也遇到: another resident has the same problem. Counted as affected, not filed again."""

    demand = models.ForeignKey(Demand, on_delete=models.CASCADE, related_name="me_too")
    phone = models.CharField(max_length=20, blank=True)
    client_key = models.CharField(max_length=64, blank=True)  # a keyed hash of the address, not the address
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["demand", "phone"], condition=~Q(phone=""), name="metoo_once_per_phone"),
            models.UniqueConstraint(fields=["demand", "client_key"], condition=~Q(client_key=""),
                                    name="metoo_once_per_client"),
        ]
