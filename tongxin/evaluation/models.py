"""Evaluation campaigns (双向共评): questions, the named panel, and the answers, one per
household and one per panel member, both enforced by the database."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class SubjectKind(models.TextChoices):
    COMPOUND = "compound", _("Residential compound")
    PROPERTY = "property", _("Property company")
    PROJECT = "project", _("Project")


class Side(models.TextChoices):
    RESIDENT = "resident", _("Residents")
    PANEL = "panel", _("Panel")


class Campaign(models.Model):
    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    title = models.CharField(_("title"), max_length=100)
    subject_kind = models.CharField(_("what is evaluated"), max_length=20, choices=SubjectKind.choices)
    # The property company evaluated (subject_kind "property"); a compound is ``place`` itself.
    organisation = models.ForeignKey("core.Organisation", null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    # The project's name (subject_kind "project"); campaigns with the same subject form the series over time.
    subject_name = models.CharField(_("subject name"), max_length=100, blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    resident_weight = models.PositiveSmallIntegerField(_("residents' weight (%)"), default=60)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(condition=Q(resident_weight__lte=100), name="evaluation_weight_percent"),
            models.CheckConstraint(condition=Q(closes_on__gte=models.F("opens_on")), name="evaluation_dates"),
        ]

    def __str__(self):
        return self.title

    @property
    def panel_weight(self) -> int:
        return 100 - self.resident_weight


class Question(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="questions")
    number = models.PositiveSmallIntegerField()
    text = models.CharField(_("question"), max_length=200)

    class Meta:
        ordering = ["number"]
        constraints = [models.UniqueConstraint(fields=["campaign", "number"], name="evaluation_question_number")]


class PanelMember(models.Model):
    """A named scorer: street leader, party representative, deputy, resident representative."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    capacity = models.CharField(_("capacity"), max_length=40)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "user"], name="evaluation_panel_once")]


class Response(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="responses")
    side = models.CharField(max_length=10, choices=Side.choices)
    household = models.ForeignKey("core.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    panel_member = models.ForeignKey(PanelMember, null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    comment = models.CharField(_("comment"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    submitted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            # One answer per household, whoever of it answers first (two phones at once: one row).
            models.UniqueConstraint(fields=["campaign", "household"], name="evaluation_one_per_household"),
            models.UniqueConstraint(fields=["campaign", "panel_member"], name="evaluation_one_per_panel_member"),
            models.CheckConstraint(
                condition=(Q(side="resident", household__isnull=False, panel_member__isnull=True)
                           | Q(side="panel", household__isnull=True, panel_member__isnull=False)),
                name="evaluation_response_side",
            ),
        ]


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    rating = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="evaluation_answer_once"),
            models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="evaluation_rating_1_5"),
        ]


# --- awards (最美家庭, 文明卫生示范户, 身边好人, 文明楼栋) ----------------------------------
class AwardKind(models.TextChoices):
    FAMILY = "family", _("Most beautiful family")
    HYGIENE = "hygiene", _("Model household for civility and hygiene")
    GOOD_PERSON = "good_person", _("Good person next door")
    BUILDING = "building", _("Civilised building")


class NomineeKind(models.TextChoices):
    HOUSEHOLD = "household", _("Household")
    PERSON = "person", _("Person")
    BUILDING = "building", _("Building")


class NominationStatus(models.TextChoices):
    PENDING = "pending", _("Waiting for review")
    APPROVED = "approved", _("Approved")
    DECLINED = "declined", pgettext_lazy("award", "Declined")


class AwardRound(models.Model):
    """One award of one quarter at a place."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+")
    place_path = models.CharField(max_length=255, db_index=True, editable=False)
    kind = models.CharField(_("award"), max_length=20, choices=AwardKind.choices)
    year = models.PositiveSmallIntegerField(_("year"))
    quarter = models.PositiveSmallIntegerField(_("quarter"))
    public_vote = models.BooleanField(_("public vote"), default=False)
    # The winners' page is public: an unguessable token, not the id, is in its address.
    token = models.CharField(max_length=32, unique=True, editable=False)
    published_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-year", "-quarter", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["place", "kind", "year", "quarter"], name="evaluation_award_round_once"),
            models.CheckConstraint(condition=Q(quarter__gte=1, quarter__lte=4), name="evaluation_award_quarter"),
        ]


class Nomination(models.Model):
    award_round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="nominations")
    nominee_kind = models.CharField(max_length=20, choices=NomineeKind.choices)
    household = models.ForeignKey("core.Household", null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    person = models.ForeignKey("core.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    building = models.ForeignKey("core.Place", null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    nominee_name = models.CharField(_("nominee"), max_length=100)
    reason = models.CharField(_("reason"), max_length=1000)
    # The nominee agreed to be named in public; without it the winners' page masks the name.
    consent = models.BooleanField(_("the nominee agrees to be named in public"), default=False)
    nominated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=20, choices=NominationStatus.choices, default=NominationStatus.PENDING)
    review_note = models.CharField(_("note"), max_length=500, blank=True)
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    winner = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            # A register link matches the kind, and at most one is set. Rows from before the links
            # (free text only) have none; every new nomination has exactly one (services.nominate).
            models.CheckConstraint(
                condition=(Q(household__isnull=True) | Q(nominee_kind="household", person__isnull=True,
                                                         building__isnull=True))
                & (Q(person__isnull=True) | Q(nominee_kind="person", building__isnull=True))
                & (Q(building__isnull=True) | Q(nominee_kind="building")),
                name="evaluation_nominee_matches_kind",
            ),
        ]

    @property
    def linked(self) -> bool:
        return bool(self.household_id or self.person_id or self.building_id)


class AwardPanelMember(models.Model):
    """A named member of a round's award panel (评审小组): with a panel, the panel decides."""

    award_round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="panel")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [models.UniqueConstraint(fields=["award_round", "user"], name="evaluation_award_panel_once")]


class PanelReview(models.Model):
    """One panel member's approve or decline of one nomination: once (two clicks at once: one row)."""

    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="panel_reviews")
    member = models.ForeignKey(AwardPanelMember, on_delete=models.CASCADE, related_name="reviews")
    approve = models.BooleanField()
    note = models.CharField(_("note"), max_length=500, blank=True)
    reviewed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["nomination", "member"], name="evaluation_panel_review_once"),
        ]


class AwardVote(models.Model):
    award_round = models.ForeignKey(AwardRound, on_delete=models.CASCADE, related_name="votes")
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    household = models.ForeignKey("core.Household", on_delete=models.PROTECT, related_name="+")
    voted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    voted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["award_round", "household"], name="evaluation_award_vote_per_household"),
        ]
