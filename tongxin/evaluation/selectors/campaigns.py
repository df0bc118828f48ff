"""Every read of evaluation campaigns, scoped through ``core.access``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Household
from tongxin.core.tree import lineage, path_end
from tongxin.evaluation import rules
from tongxin.evaluation.apps import MANAGE, VIEW
from tongxin.evaluation.models import Answer, Campaign, PanelMember, Question, Response, Side


def is_open(campaign: Campaign, today=None) -> bool:
    today = today or timezone.localdate()
    return campaign.closed_at is None and campaign.opens_on <= today <= campaign.closes_on


def visible(user):
    """The campaigns at the places where ``user`` may see evaluations."""
    return Campaign.objects.filter(access.path_filter(user, VIEW, "place_path"))


def can_manage(user, campaign: Campaign) -> bool:
    return access.can_see_path(user, MANAGE, campaign.place_path)


def household_for(user, campaign: Campaign) -> Household | None:
    """The household the user lives in now, if it is under the campaign's place."""
    if not user.person_id:
        return None
    return Household.objects.filter(
        members__person_id=user.person_id, members__lives_here=True, members__valid_to__isnull=True,
        closed_on__isnull=True, place_path__gte=campaign.place_path,
        place_path__lt=path_end(campaign.place_path),
    ).order_by("pk").first()


def open_to(user) -> list[Campaign]:
    """Open campaigns the user may answer: as a resident of a household under the place, or on the panel."""
    today = timezone.localdate()
    live = Campaign.objects.filter(closed_at__isnull=True, opens_on__lte=today, closes_on__gte=today)
    paths = []
    if user.person_id:
        for path in Household.objects.filter(
                members__person_id=user.person_id, members__lives_here=True, members__valid_to__isnull=True,
                closed_on__isnull=True).values_list("place_path", flat=True):
            paths.extend(lineage(path))
    return list(live.filter(Q(place_path__in=paths) | Q(panel__user=user)).distinct().select_related("place"))


@dataclass
class Result:
    campaign: Campaign
    rows: list = field(default_factory=list)  # (question, residents Tally, panel Tally, weighted)
    overall: object = None
    households: int = 0
    panel_done: int = 0


def results(campaigns: list[Campaign]) -> dict[int, Result]:
    """The weighted result of each campaign, per question and overall: two queries for any number."""
    campaigns = list(campaigns)
    ids = [c.pk for c in campaigns]
    tallies = defaultdict(dict)
    for row in (Answer.objects.filter(response__campaign_id__in=ids)
                .values("question_id", "response__side").annotate(total=Sum("rating"), count=Count("id"))):
        tallies[row["question_id"]][row["response__side"]] = rules.Tally(row["total"], row["count"])
    responded = defaultdict(dict)
    for row in (Response.objects.filter(campaign_id__in=ids).values("campaign_id", "side")
                .annotate(n=Count("id"))):
        responded[row["campaign_id"]][row["side"]] = row["n"]
    by_campaign = defaultdict(list)
    for question in Question.objects.filter(campaign_id__in=ids).order_by("campaign_id", "number"):
        by_campaign[question.campaign_id].append(question)
    out = {}
    for campaign in campaigns:
        result = Result(campaign, households=responded[campaign.pk].get(Side.RESIDENT, 0),
                        panel_done=responded[campaign.pk].get(Side.PANEL, 0))
        for question in by_campaign[campaign.pk]:
            r = tallies[question.pk].get(Side.RESIDENT, rules.Tally())
            p = tallies[question.pk].get(Side.PANEL, rules.Tally())
            result.rows.append((question, r, p, rules.weighted(r, p, campaign.resident_weight)))
        result.overall = rules.overall([row[3] for row in result.rows])
        out[campaign.pk] = result
    return out


def series(campaign: Campaign):
    """The campaigns of the same subject at the same place, oldest first (the result over time)."""
    return Campaign.objects.filter(
        place_id=campaign.place_id, subject_kind=campaign.subject_kind,
        organisation_id=campaign.organisation_id, subject_name=campaign.subject_name,
    ).order_by("opens_on", "pk")


def panel_of(campaign: Campaign):
    return PanelMember.objects.filter(campaign=campaign).select_related("user").order_by("pk")
