"""Residents' self-governance: major matters under 四议两公开 and the four-step consultation.

Owners' decisions (Civil Code art. 278) are ``tongxin.voting``'s, never here: different law,
different electorate (``docs/deliberation.md``).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tongxin.deliberation import rules


def new_token() -> str:
    return secrets.token_urlsafe(12)


class MatterState(models.TextChoices):
    PROPOSED = rules.PROPOSED, _("Proposed by the party organisation")
    DISCUSSED = rules.DISCUSSED, _("Discussed by the two committees")
    REVIEWED = rules.REVIEWED, _("Reviewed by the party members' meeting")
    RESOLVED = rules.RESOLVED, _("Resolution adopted")
    PUBLISHED = rules.PUBLISHED, _("Resolution published")
    COMPLETED = rules.COMPLETED, _("Result published")
    RETURNED = rules.RETURNED, _("Sent back")
    STOPPED = rules.STOPPED, _("Stopped")
    REJECTED = rules.REJECTED, _("Voted down")


class Body(models.TextChoices):
    TWO_COMMITTEES = rules.TWO_COMMITTEES, _("Two committees' meeting")
    PARTY_MEMBERS = rules.PARTY_MEMBERS, _("Party members' meeting")
    RESIDENTS_MEETING = rules.RESIDENTS_MEETING, _("Residents' meeting")
    RESIDENTS_REPRESENTATIVES = rules.RESIDENTS_REPRESENTATIVES, _("Residents' representatives' meeting")
    VILLAGERS_MEETING = rules.VILLAGERS_MEETING, _("Villagers' meeting")
    VILLAGERS_REPRESENTATIVES = rules.VILLAGERS_REPRESENTATIVES, _("Villagers' representatives' meeting")


class Basis(models.TextChoices):
    PEOPLE = rules.BY_PEOPLE, _("People (aged 18 or over, or members)")
    HOUSEHOLDS = rules.BY_HOUSEHOLDS, _("Household representatives")


class Step(models.TextChoices):
    PROPOSE = rules.PROPOSE, _("Party organisation proposes")
    DISCUSS = rules.DISCUSS, _("Two committees discuss")
    REVIEW = rules.REVIEW, _("Party members' meeting reviews")
    RESOLVE = rules.RESOLVE, _("Residents' meeting resolves")
    PUBLISH_RESOLUTION = rules.PUBLISH_RESOLUTION, _("Resolution published")
    PUBLISH_RESULT = rules.PUBLISH_RESULT, _("Implementation result published")


class Outcome(models.TextChoices):
    PROCEED = rules.PROCEED, _("Agreed: go on")
    RETURN = rules.RETURN, _("Sent back")
    STOP = rules.STOP, _("Stopped")
    NOT_QUORATE = rules.NOT_QUORATE, _("Not quorate: meet again")


class PlaceRule(models.Model):
    """Where the law is silent, the rule a community chose (``rules.quorum``)."""

    place = models.OneToOneField("core.Place", on_delete=models.CASCADE, related_name="+")
    representatives_quorum = models.CharField(
        _("quorum of the residents' representatives' meeting"), max_length=12, default=rules.HALF,
        choices=[(rules.HALF, _("More than half present")), (rules.TWO_THIRDS, _("Two thirds or more present"))],
    )


class MajorMatter(models.Model):
    """A major matter of a community or village, taken through 四议两公开."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, editable=False, db_index=True)
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=4000)
    resolving_body = models.CharField(_("resolved by"), max_length=30, choices=Body.choices)
    state = models.CharField(_("state"), max_length=20, choices=MatterState.choices, default=rules.PROPOSED)
    token = models.CharField(max_length=32, default=new_token, editable=False)
    resolution = models.TextField(_("resolution"), max_length=4000, blank=True)
    result = models.TextField(_("implementation result"), max_length=4000, blank=True)
    resolution_notice = models.ForeignKey("core.PlaceNotice", null=True, blank=True, on_delete=models.SET_NULL,
                                          related_name="+", db_index=False)
    result_notice = models.ForeignKey("core.PlaceNotice", null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", db_index=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                   db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("major matter")
        verbose_name_plural = _("major matters")
        constraints = [
            models.UniqueConstraint(fields=["token"], name="matter_token_unique"),
            models.CheckConstraint(condition=Q(state__in=rules.MATTER_STATES), name="matter_state_known"),
        ]

    def __str__(self):
        return self.title


class MatterStep(models.Model):
    """One step of a major matter: who, when, the meeting and its vote, the outcome."""

    matter = models.ForeignKey(MajorMatter, on_delete=models.CASCADE, related_name="steps")
    seq = models.PositiveSmallIntegerField()
    step = models.CharField(_("step"), max_length=20, choices=Step.choices)
    body = models.CharField(_("meeting"), max_length=30, choices=Body.choices, blank=True)
    actor = models.CharField(_("who"), max_length=120)  # the body that acted: "社区党委"
    held_on = models.DateField(_("date"))
    basis = models.CharField(_("attendance counted by"), max_length=12, choices=Basis.choices, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    entitled = models.PositiveIntegerField(_("entitled to attend"), null=True, blank=True)
    votes_for = models.PositiveIntegerField(_("for"), null=True, blank=True)
    votes_against = models.PositiveIntegerField(_("against"), null=True, blank=True)
    abstentions = models.PositiveIntegerField(_("abstain"), null=True, blank=True)
    quorum_rule = models.CharField(max_length=120, blank=True)  # the arithmetic, as shown at the time
    majority_rule = models.CharField(max_length=120, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices)
    note = models.TextField(_("note"), max_length=4000, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                    db_index=False)
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["seq"]
        constraints = [
            # Two staff recording the same step at once: the second insert fails, nothing doubles.
            models.UniqueConstraint(fields=["matter", "seq"], name="matter_step_seq_unique"),
            models.CheckConstraint(condition=Q(present__lte=models.F("entitled")) | Q(present__isnull=True),
                                   name="matter_step_present_le_entitled"),
        ]


class Level(models.TextChoices):
    BUILDING = "building", _("Building")
    AREA = "area", _("Area")
    COMMUNITY = "community", _("Community")


class ConsultationState(models.TextChoices):
    RAISED = rules.RAISED, _("Raised, waiting for review")
    DISCUSSING = rules.DISCUSSING, _("Under discussion")
    DECLINED = rules.DECLINED, _("Declined, with a reason")
    VOTING = rules.VOTING, _("Owners voting")
    DECIDED = rules.DECIDED, _("Decided")


class Consultation(models.Model):
    """A matter raised for the four-step consultation (提议—审议—合议—决议)."""

    place = models.ForeignKey("core.Place", on_delete=models.PROTECT, related_name="+", verbose_name=_("place"))
    place_path = models.CharField(max_length=255, editable=False)
    level = models.CharField(_("level"), max_length=12, choices=Level.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("what should be decided"), max_length=4000)
    state = models.CharField(_("state"), max_length=20, choices=ConsultationState.choices, default=rules.RAISED)
    raised_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                                  db_index=False)
    raised_by_name = models.CharField(max_length=50, blank=True)  # as shown: a resident's name, not their phone
    demand = models.ForeignKey("demands.Demand", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                               verbose_name=_("demand"), db_index=False)
    decision = models.TextField(_("decision"), max_length=4000, blank=True)
    needs_owners_vote = models.BooleanField(_("needs an owners' vote"), default=False)
    #: The owners' vote that decides it (``to_vote``): its result is the 决议.
    owners_vote = models.ForeignKey("voting.Decision", null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("owners' vote"))
    token = models.CharField(max_length=32, default=new_token, editable=False)  # its public page, once decided
    decision_notice = models.ForeignKey("core.PlaceNotice", null=True, blank=True, on_delete=models.SET_NULL,
                                        related_name="+", db_index=False)
    form_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        indexes = [models.Index(fields=["place_path", "id"], name="consultation_place_id")]
        constraints = [
            models.UniqueConstraint(fields=["form_key"], condition=Q(form_key__isnull=False),
                                    name="consultation_form_key_unique"),
            models.UniqueConstraint(fields=["token"], name="consultation_token_unique"),
            models.CheckConstraint(condition=Q(state__in=rules.CONSULTATION_STATES), name="consultation_state_known"),
        ]

    def __str__(self):
        return self.title


class EventKind(models.TextChoices):
    RAISED = "raised", _("Matter raised")
    ACCEPTED = rules.ACCEPT, _("Accepted for discussion")
    DECLINED = rules.DECLINE, _("Declined, with a reason")
    COMMENT = rules.COMMENT, _("Comment")
    MEETING = rules.MEETING, _("Meeting")
    TO_VOTE = rules.TO_VOTE, _("Put to the owners' vote")
    DECIDED = rules.DECIDE, _("Decided")


class ConsultationEvent(models.Model):
    """The timeline of a consultation: each step and comment, with who and when."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(_("step"), max_length=12, choices=EventKind.choices)
    text = models.TextField(_("text"), max_length=4000, blank=True)
    held_on = models.DateField(_("meeting date"), null=True, blank=True)
    present = models.PositiveIntegerField(_("present"), null=True, blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
                           db_index=False)
    by_name = models.CharField(max_length=50, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]
