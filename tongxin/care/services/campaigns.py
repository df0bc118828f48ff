"""Door-to-door campaigns (逐户走访, 党员敲门): creating one, ticking a household off. One transaction per write.

Visitors are holders of ``care.manage`` at the campaign's place and the approved
volunteering members (volunteers, reporting party members) of a community that contains it.

**A household is ticked once** (``campaignvisit_once``). A second visit to the same
household updates that row rather than adding one: knocking again after "nobody at home"
is the normal course of a campaign, and coverage counts households, not knocks. The
outcome follows ``visit_rules.merged_outcome``: nobody home → reached (or declined)
replaces it; a household once reached stays reached. The latest visit's answers are merged
over the earlier ones (a blank answer keeps the earlier), its note is added below the
earlier note, and it becomes ``visited_by``/``visited_at``. A finding becomes a demand.
"""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.care import visit_rules
from tongxin.care.apps import MANAGE
from tongxin.care.models import Campaign, CampaignVisit, Outcome
from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, Place
from tongxin.core.tree import intersect_ranges, lineage

#: Kinds of place a campaign may cover.
CAMPAIGN_KINDS = ("community", "village", "compound", "villager_group", "building", "courtyard")
MAX_QUESTIONS = 10


def can_manage(user, campaign: Campaign) -> bool:
    return access.can_see_path(user, MANAGE, campaign.place_path)


def member_communities(user) -> list[str]:
    """Paths of the communities where the user is an approved volunteering member."""
    if not user.is_authenticated or user.person_id is None:
        return []
    from tongxin.volunteering.models import Enrolment, Status

    return list(Enrolment.objects.filter(person_id=user.person_id, status=Status.APPROVED)
                .values_list("community_path", flat=True))


def visit_ranges(user, campaign: Campaign) -> list[tuple[str, str]]:
    """The path ranges of the campaign's place where the user may visit: all of it for staff of
    the place and for approved members of a community containing it; for a grid's staff over
    part of it (a compound split between grids), their part."""
    whole = [(campaign.place.path, campaign.place.path_end)]
    if can_manage(user, campaign):
        return whole
    above = set(lineage(campaign.place_path))
    if any(path in above for path in member_communities(user)):
        return whole
    granted = access.ranges(user, MANAGE)
    return intersect_ranges(granted, whole) if granted != access.ALL else whole


def can_visit(user, campaign: Campaign, household: Household | None = None) -> bool:
    found = visit_ranges(user, campaign)
    if household is None:
        return bool(found)
    return any(start <= household.place_path < end for start, end in found)


def questions_from(text: str) -> list[str]:
    """One question a line, blanks dropped."""
    found = [line.strip()[:200] for line in (text or "").splitlines() if line.strip()]
    if len(found) > MAX_QUESTIONS:
        raise RefusedError("too_many_questions", "问题最多10个", "At most 10 questions")
    return found


def create(user, *, title: str, place: Place | None, starts_on: datetime.date, ends_on: datetime.date | None = None,
           questions: list[str] = ()) -> Campaign:
    title = (title or "").strip()
    if len(title) < 2:
        raise RefusedError("title_missing", "请写一个标题", "Please give it a title")
    if place is None or place.kind not in CAMPAIGN_KINDS or not access.can_see_path(user, MANAGE, place.path):
        raise RefusedError("place_not_yours", "请选择您负责范围内的小区、村或楼栋",
                           "Choose a compound, village or building in your places")
    if starts_on is None:
        raise RefusedError("date_missing", "请填写开始日期", "Please give the start date")
    if ends_on is not None and ends_on < starts_on:
        raise RefusedError("dates_order", "结束日期不能早于开始日期", "The end cannot come before the start")
    return Campaign.objects.create(title=title[:120], place=place, place_path=place.path, questions=list(questions),
                                   starts_on=starts_on, ends_on=ends_on, created_by=user)


def household_in(campaign: Campaign, household: Household) -> bool:
    end = campaign.place.path_end
    return campaign.place_path <= household.place_path < end and household.closed_on is None


def tick(user, campaign: Campaign, household: Household, *, outcome: str, answers: dict | None = None,
         note: str = "", problem: str = "", problem_category=None, form_key: str = "") -> CampaignVisit:
    """Tick a household off (see the module's docstring on a second visit)."""
    from tongxin.core import once
    from tongxin.demands import services as demand_services
    from tongxin.demands.models import Source

    if not household_in(campaign, household):
        raise RefusedError("not_in_campaign", "这一户不在本次走访范围内", "This household is not in the campaign")
    if not can_visit(user, campaign, household):
        raise RefusedError("not_visitor", "您不是这一户的走访人", "You are not a visitor of this household")
    if outcome not in Outcome.values:
        raise RefusedError("outcome_missing", "请选择走访结果", "Choose the outcome")
    problem = (problem or "").strip()
    if problem and problem_category is None:
        raise RefusedError("category_missing", "请选择问题的类别", "Choose what kind of problem it is")
    answers = {q: str((answers or {}).get(q, "")).strip()[:500] for q in campaign.questions}
    note = (note or "").strip()[:2000]
    now = timezone.now()
    with transaction.atomic():
        once.claim(form_key, user)
        demand = None
        if problem:
            demand = demand_services.report(household.place, category=problem_category, description=problem,
                                            key=f"campaign:{form_key}"[:64], source=Source.VISIT, recorded_by=user)
        visit = CampaignVisit.objects.select_for_update().filter(campaign=campaign, household=household).first()
        if visit is None:
            try:
                with transaction.atomic():
                    return CampaignVisit.objects.create(
                        campaign=campaign, household=household, place_path=household.place_path, outcome=outcome,
                        answers=answers, note=note, visited_by=user, visited_at=now, demand=demand)
            except IntegrityError:  # another visitor ticked it meanwhile: theirs is updated below
                visit = CampaignVisit.objects.select_for_update().get(campaign=campaign, household=household)
        visit.outcome = visit_rules.merged_outcome(visit.outcome, outcome)
        visit.answers = {**visit.answers, **{q: a for q, a in answers.items() if a}}
        visit.note = "\n".join(filter(None, [visit.note, note]))[:2000]
        visit.visited_by, visit.visited_at = user, now
        if demand is not None:
            visit.demand = demand
        visit.save()
    return visit
