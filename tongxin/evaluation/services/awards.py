"""Every write of award rounds: create, nominate, review, vote (one per household), publish."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from tongxin.core import access, place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.evaluation.apps import MANAGE
from tongxin.evaluation.models import AwardKind, AwardRound, AwardVote, Nomination, NominationStatus, NomineeKind
from tongxin.evaluation.selectors import awards as selectors


def _manager(user, place_path: str) -> None:
    if not access.can_see_path(user, MANAGE, place_path):
        raise PermissionDenied("not allowed to run awards here")


def create_round(user, place: Place, *, kind: str, year: int, quarter: int, public_vote: bool = False) -> AwardRound:
    _manager(user, place.path)
    if kind not in AwardKind.values:
        raise RefusedError("award_kind", "请选择评选项目", "Choose the award")
    if not 1 <= quarter <= 4 or not 2000 <= year <= 2100:
        raise RefusedError("award_quarter", "请填写正确的年份和季度", "Give a valid year and quarter")
    try:
        with transaction.atomic():
            return AwardRound.objects.create(place=place, place_path=place.path, kind=kind, year=year,
                                             quarter=quarter, public_vote=public_vote, created_by=user,
                                             token=secrets.token_urlsafe(16))
    except IntegrityError:
        raise RefusedError("award_round_exists", "本季度这一评选已经建立",
                           "This award already runs this quarter") from None


def _refuse_published(award_round: AwardRound) -> None:
    if AwardRound.objects.filter(pk=award_round.pk, published_at__isnull=False).exists():
        raise RefusedError("award_published", "评选结果已经公布", "The winners are already published")


def nominate(user, award_round: AwardRound, *, nominee_kind: str, nominee_name: str, reason: str,
             consent: bool = False) -> Nomination:
    """By staff of the place or by a resident living under it."""
    if not (selectors.can_manage(user, award_round) or selectors.household_for(user, award_round)):
        raise PermissionDenied("not a resident or staff of this place")
    _refuse_published(award_round)
    if nominee_kind not in NomineeKind.values:
        raise RefusedError("nominee_kind", "请选择被推荐的是住户、个人还是楼栋",
                           "Choose a household, a person or a building")
    if not nominee_name.strip() or not reason.strip():
        raise RefusedError("nomination_incomplete", "请填写被推荐人和推荐理由", "Give the nominee and the reason")
    return Nomination.objects.create(
        award_round=award_round, nominee_kind=nominee_kind, nominee_name=nominee_name.strip()[:100],
        reason=reason.strip()[:1000], consent=consent, nominated_by=user,
    )


@transaction.atomic
def review(user, nomination: Nomination, *, approve: bool, note: str = "") -> Nomination:
    _manager(user, nomination.award_round.place_path)
    _refuse_published(nomination.award_round)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    nomination.status = NominationStatus.APPROVED if approve else NominationStatus.DECLINED
    nomination.review_note, nomination.reviewed_by = note.strip()[:500], user
    nomination.save(update_fields=["status", "review_note", "reviewed_by"])
    return nomination


def vote(user, nomination: Nomination) -> AwardVote:
    nomination = Nomination.objects.select_related("award_round").get(pk=nomination.pk)  # fresh status
    award_round = nomination.award_round
    if not award_round.public_vote:
        raise RefusedError("no_public_vote", "这项评选没有群众投票", "This award has no public vote")
    _refuse_published(award_round)
    if nomination.status != NominationStatus.APPROVED:
        raise RefusedError("nomination_not_approved", "只能投给审核通过的候选", "Vote only for approved nominees")
    household = selectors.household_for(user, award_round)
    if household is None:
        raise RefusedError("not_resident", "只有本区域的住户可以参加", "Only households of this place may answer")
    try:
        with transaction.atomic():
            return AwardVote.objects.create(award_round=award_round, nomination=nomination, household=household,
                                            voted_by=user)
    except IntegrityError:
        raise RefusedError("household_voted", "您家已经投过票了，每户一票",
                           "Your household has already voted; one vote per household") from None


@transaction.atomic
def publish(user, award_round: AwardRound, *, winners: int | None = None) -> list[Nomination]:
    """The approved nominees win (with a public vote: the ``winners`` with most votes), and the
    place's notice board links to the public winners' page."""
    _manager(user, award_round.place_path)
    award_round = AwardRound.objects.select_for_update().select_related("place").get(pk=award_round.pk)
    if award_round.published_at:
        raise RefusedError("award_published", "评选结果已经公布", "The winners are already published")
    approved = (Nomination.objects.filter(award_round=award_round, status=NominationStatus.APPROVED)
                .annotate(n=Count("votes")).order_by("-n", "pk"))
    chosen = list(approved[:winners] if award_round.public_vote and winners else approved)
    if not chosen:
        raise RefusedError("no_winners", "还没有审核通过的候选", "No nominee is approved yet")
    Nomination.objects.filter(pk__in=[n.pk for n in chosen]).update(winner=True)
    award_round.published_at = timezone.now()
    award_round.save(update_fields=["published_at"])
    label = selectors.round_label(award_round)
    names = "、".join(selectors.public_name(n) for n in chosen)
    place_notices.create(user, award_round.place, title=f"{label}评选结果"[:100],
                         body=f"{label}：{names}"[:2000], link=selectors.winners_path(award_round))
    return chosen
