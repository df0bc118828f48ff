"""Every read of evaluation campaigns, scoped through ``core.access``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import pgettext

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
    residents: object = None  # the residents' score: the mean of their per-question means
    panel: object = None


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
        result.residents = rules.side_score([row[1].mean for row in result.rows])
        result.panel = rules.side_score([row[2].mean for row in result.rows])
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


def subject_key(campaign: Campaign) -> tuple:
    """What makes campaigns one series: the place and the subject (kind, company, project name)."""
    return (campaign.place_id, campaign.subject_kind, campaign.organisation_id or 0, campaign.subject_name)


def subject_label(campaign: Campaign) -> str:
    label = str(campaign.get_subject_kind_display())
    if campaign.organisation_id:
        label = f"{label} · {campaign.organisation.name}"
    if campaign.subject_name:
        label = f"{label} · {campaign.subject_name}"
    return label


def closed_visible(user):
    return visible(user).filter(closed_at__isnull=False)


def result_places(user):
    """The places with a closed campaign the user may see (the results page's choice)."""
    from tongxin.core.models import Place

    ids = closed_visible(user).values("place_id")
    return Place.objects.filter(pk__in=ids).order_by("path")


@dataclass
class Series:
    """The closed campaigns of one subject at one place, oldest first, with their results."""

    label: str
    chart_id: str = ""
    results: list = field(default_factory=list)

    @property
    def questions(self) -> list:
        """Per question text (first seen order): (text, [(result, residents, panel, weighted) or None])."""
        texts: list[str] = []
        cells: dict[str, dict[int, tuple]] = defaultdict(dict)
        for result in self.results:
            for question, r, p, w in result.rows:
                if question.text not in cells:
                    texts.append(question.text)
                cells[question.text][result.campaign.pk] = (r.mean, p.mean, w)
        return [(text, [cells[text].get(result.campaign.pk) for result in self.results]) for text in texts]

    def chart(self) -> dict:
        from django.utils.translation import gettext as _

        def num(value):
            return None if value is None else float(value)

        return {
            "labels": [f"{r.campaign.closes_on:%Y-%m}" for r in self.results], "max": 5,
            "series": [
                {"name": str(_("Weighted score")), "values": [num(r.overall) for r in self.results]},
                {"name": str(_("Residents")), "values": [num(r.residents) for r in self.results]},
                {"name": str(pgettext("evaluation", "Panel")), "values": [num(r.panel) for r in self.results]},
            ],
        }


def series_at(user, place, *, limit: int = 200) -> list[Series]:
    """Every subject's series of closed campaigns at ``place`` (one the user may see): a fixed
    number of queries for any number of campaigns."""
    campaigns = list(closed_visible(user).filter(place=place).select_related("place", "organisation")
                     .order_by("closes_on", "pk")[:limit])
    found = results(campaigns)
    by_subject: dict[tuple, Series] = {}
    for campaign in campaigns:
        key = subject_key(campaign)
        if key not in by_subject:
            by_subject[key] = Series(subject_label(campaign), chart_id=f"score-chart-{len(by_subject) + 1}")
        by_subject[key].results.append(found[campaign.pk])
    return list(by_subject.values())


def latest_with_change(user):
    """The latest closed campaign at the user's places with its score, and the change from the
    previous closed one of the same subject: (result, change) or None. Fixed query count."""
    latest = closed_visible(user).select_related("place", "organisation").order_by("-closed_at", "-pk").first()
    if latest is None:
        return None
    previous = (Campaign.objects.filter(place_id=latest.place_id, subject_kind=latest.subject_kind,
                                        organisation_id=latest.organisation_id, subject_name=latest.subject_name,
                                        closed_at__isnull=False, closes_on__lte=latest.closes_on)
                .exclude(pk=latest.pk).order_by("-closes_on", "-pk").first())
    found = results([latest, previous] if previous else [latest])
    before = found[previous.pk].overall if previous else None
    return found[latest.pk], rules.change(found[latest.pk].overall, before)
