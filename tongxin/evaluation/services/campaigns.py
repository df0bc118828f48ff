"""Every write of evaluation campaigns: create, answer (resident or panel), close."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Organisation, Place, User
from tongxin.evaluation.apps import MANAGE
from tongxin.evaluation.models import Answer, Campaign, PanelMember, Question, Response, Side, SubjectKind
from tongxin.evaluation.selectors import campaigns as selectors

MAX_QUESTIONS = 10


def _refuse_dates(opens_on: datetime.date, closes_on: datetime.date) -> None:
    if closes_on < opens_on:
        raise RefusedError("campaign_dates", "结束日期不能早于开始日期", "The campaign cannot close before it opens")


@transaction.atomic
def create(user, place: Place, *, title: str, subject_kind: str, opens_on: datetime.date,
           closes_on: datetime.date, questions: list[str], resident_weight: int = 60,
           organisation: Organisation | None = None, subject_name: str = "",
           panel: list[tuple[str, str]] = ()) -> Campaign:
    """``panel``: (phone of a login, capacity) pairs, e.g. ("139…", "街道领导")."""
    if not access.can_see_path(user, MANAGE, place.path):
        raise PermissionDenied("not allowed to run evaluations here")
    title = title.strip()
    if not title:
        raise RefusedError("title_missing", "请填写测评名称", "Give the evaluation a title")
    if subject_kind not in SubjectKind.values:
        raise RefusedError("subject_invalid", "请选择测评对象", "Choose what is evaluated")
    if subject_kind == SubjectKind.PROPERTY and organisation is None:
        raise RefusedError("organisation_missing", "请选择物业公司", "Choose the property company")
    if subject_kind == SubjectKind.PROJECT and not subject_name.strip():
        raise RefusedError("project_missing", "请填写项目名称", "Give the project's name")
    _refuse_dates(opens_on, closes_on)
    if not 0 <= resident_weight <= 100:
        raise RefusedError("weight_invalid", "居民权重须在 0 到 100 之间", "The residents' weight is 0 to 100")
    questions = [text.strip() for text in questions if text.strip()]
    if not 1 <= len(questions) <= MAX_QUESTIONS:
        raise RefusedError("questions_count", f"请填写 1 到 {MAX_QUESTIONS} 个问题",
                           f"Ask 1 to {MAX_QUESTIONS} questions")
    users = {}
    for phone, capacity in panel:
        found = User.objects.filter(phone=phone.strip(), is_active=True).first()
        if found is None:
            raise RefusedError("panel_unknown", f"找不到手机号为 {phone} 的账号",
                               f"No account has the phone {phone}")
        users[found.pk] = (found, capacity.strip()[:40] or "-")
    campaign = Campaign.objects.create(
        place=place, place_path=place.path, title=title[:100], subject_kind=subject_kind,
        organisation=organisation if subject_kind == SubjectKind.PROPERTY else None,
        subject_name=subject_name.strip()[:100] if subject_kind == SubjectKind.PROJECT else "",
        opens_on=opens_on, closes_on=closes_on, resident_weight=resident_weight, created_by=user,
    )
    Question.objects.bulk_create(
        [Question(campaign=campaign, number=n, text=text[:200]) for n, text in enumerate(questions, 1)])
    PanelMember.objects.bulk_create(
        [PanelMember(campaign=campaign, user=u, capacity=capacity) for u, capacity in users.values()])
    return campaign


def _ratings(campaign: Campaign, ratings: dict[int, object]) -> list[tuple[Question, int]]:
    """Every question rated 1–5, or a refusal naming what is missing (nothing is saved)."""
    chosen = []
    for question in campaign.questions.all():
        raw = str(ratings.get(question.pk, "")).strip()
        if raw not in {"1", "2", "3", "4", "5"}:
            raise RefusedError("rating_missing", f"请为第 {question.number} 题打 1 到 5 分",
                               f"Rate question {question.number} from 1 to 5")
        chosen.append((question, int(raw)))
    return chosen


def _save(campaign, user, chosen, comment, **who) -> Response:
    try:
        with transaction.atomic():
            response = Response.objects.create(campaign=campaign, comment=comment.strip()[:500],
                                               submitted_by=user, **who)
            Answer.objects.bulk_create([Answer(response=response, question=q, rating=r) for q, r in chosen])
    except IntegrityError:
        if who.get("household") is not None:
            raise RefusedError("household_answered", "您家已经参加过本次测评，每户一份",
                               "Your household has already answered; one answer per household") from None
        raise RefusedError("panel_answered", "您已经评过分了", "You have already scored this evaluation") from None
    return response


def _refuse_closed(campaign: Campaign) -> None:
    # Read again: the caller's copy may predate a close.
    if not selectors.is_open(Campaign.objects.get(pk=campaign.pk)):
        raise RefusedError("campaign_closed", "本次测评未开放或已结束", "This evaluation is not open")


def answer_as_resident(user, campaign: Campaign, ratings: dict[int, object], comment: str = "") -> Response:
    """For the user's household (core's HouseholdMember, living there now, under the campaign's place)."""
    _refuse_closed(campaign)
    household = selectors.household_for(user, campaign)
    if household is None:
        raise RefusedError("not_resident", "只有本区域的住户可以参加", "Only households of this place may answer")
    chosen = _ratings(campaign, ratings)
    return _save(campaign, user, chosen, comment, side=Side.RESIDENT, household=household)


def answer_as_panel(user, campaign: Campaign, ratings: dict[int, object], comment: str = "") -> Response:
    _refuse_closed(campaign)
    member = PanelMember.objects.filter(campaign=campaign, user=user).first()
    if member is None:
        raise PermissionDenied("not on this campaign's panel")
    chosen = _ratings(campaign, ratings)
    return _save(campaign, user, chosen, comment, side=Side.PANEL, panel_member=member)


@transaction.atomic
def close(user, campaign: Campaign) -> Campaign:
    if not access.can_see_path(user, MANAGE, campaign.place_path):
        raise PermissionDenied("not allowed to close this evaluation")
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if campaign.closed_at is None:
        campaign.closed_at = timezone.now()
        campaign.save(update_fields=["closed_at"])
    return campaign
