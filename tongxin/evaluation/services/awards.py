"""Every write of award rounds: create, nominate (from the registers), name the panel, review (the
panel, or staff without one), vote (one per household), publish."""

from __future__ import annotations

import secrets

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone

from tongxin.core import access, place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.models import Person, Place, User
from tongxin.evaluation import rules
from tongxin.evaluation.apps import MANAGE
from tongxin.evaluation.models import (
    AwardKind,
    AwardPanelMember,
    AwardRound,
    AwardVote,
    Nomination,
    NominationStatus,
    NomineeKind,
    PanelReview,
)
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


def _nominee(user, award_round: AwardRound, nominee: str) -> dict:
    """"household:12", "person:34" or "building:56" -> the nomination's link and derived name,
    refused unless it lies under the round's place (and, for a resident, is their own household
    or a building)."""
    kind, _sep, raw = (nominee or "").partition(":")
    if kind not in NomineeKind.values or not raw.isdigit():
        raise RefusedError("nominee_missing", "请选择被推荐的住户、个人或楼栋",
                           "Choose the household, person or building nominated")
    staff = selectors.can_manage(user, award_round)
    path = award_round.place_path
    outside = RefusedError("nominee_outside", "被推荐的对象不在本次评选的范围内",
                           "The nominee is not under this award's place")
    if kind == NomineeKind.BUILDING:
        building = selectors.buildings_under(path).filter(pk=int(raw)).first()
        if building is None:
            raise outside
        return {"building": building, "nominee_name": building.name}
    if kind == NomineeKind.HOUSEHOLD:
        household = selectors.households_under(path).filter(pk=int(raw)).first()
        if household is None:
            raise outside
        own = selectors.household_for(user, award_round)
        if not staff and (own is None or own.pk != household.pk):
            raise RefusedError("nominee_not_own", "居民只能推荐自己家或楼栋", "Residents nominate their own household "
                               "or a building")
        return {"household": household, "nominee_name": selectors.household_label(household)}
    if not staff:
        raise RefusedError("nominee_not_own", "居民只能推荐自己家或楼栋",
                           "Residents nominate their own household or a building")
    person = Person.objects.filter(pk=int(raw)).first()
    if person is None or selectors.person_home_under(person, path) is None:
        raise outside
    return {"person": person, "nominee_name": person.name}


def nominate(user, award_round: AwardRound, *, nominee: str, reason: str, consent: bool = False) -> Nomination:
    """By staff of the place (any household, person or building under it) or by a resident
    living under it (their own household, or a building). ``nominee`` is "kind:id"."""
    if not (selectors.can_manage(user, award_round) or selectors.household_for(user, award_round)):
        raise PermissionDenied("not a resident or staff of this place")
    _refuse_published(award_round)
    link = _nominee(user, award_round, nominee)
    if not reason.strip():
        raise RefusedError("nomination_incomplete", "请填写推荐理由", "Give the reason")
    kind = next(k for k in ("household", "person", "building") if k in link)
    return Nomination.objects.create(
        award_round=award_round, nominee_kind=kind, reason=reason.strip()[:1000], consent=consent,
        nominated_by=user, **{**link, "nominee_name": link["nominee_name"][:100]},
    )


@transaction.atomic
def set_panel(user, award_round: AwardRound, phones: list[str]) -> list[AwardPanelMember]:
    """Staff name the round's award panel by the members' login phones (replacing a panel no one
    has reviewed with yet); an empty list leaves the review to staff."""
    _manager(user, award_round.place_path)
    _refuse_published(award_round)
    if PanelReview.objects.filter(member__award_round=award_round).exists():
        raise RefusedError("award_panel_started", "评审小组已经开始评审，不能再更换",
                           "The panel has started reviewing; it cannot change now")
    users = {}
    for phone in phones:
        phone = phone.strip()
        if not phone:
            continue
        found = User.objects.filter(phone=phone, is_active=True).first()
        if found is None:
            raise RefusedError("panel_unknown", f"找不到手机号为 {phone} 的账号", f"No account has the phone {phone}")
        users[found.pk] = found
    AwardPanelMember.objects.filter(award_round=award_round).delete()
    return AwardPanelMember.objects.bulk_create(
        [AwardPanelMember(award_round=award_round, user=u, added_by=user) for u in users.values()])


def panel_review(user, nomination: Nomination, *, approve: bool, note: str = "") -> Nomination:
    """A panel member approves or declines a nomination, once (database: one review per member
    and nomination); the nomination is approved when more than half the panel approve
    (``rules.panel_verdict``)."""
    award_round = nomination.award_round
    member = selectors.panel_member(user, award_round)
    if member is None:
        raise PermissionDenied("not on this award's panel")
    _refuse_published(award_round)
    try:
        with transaction.atomic():
            nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
            PanelReview.objects.create(nomination=nomination, member=member, approve=approve, note=note.strip()[:500])
            counts = {row["approve"]: row["n"] for row in PanelReview.objects.filter(nomination=nomination)
                      .values("approve").annotate(n=Count("id"))}
            size = AwardPanelMember.objects.filter(award_round=award_round).count()
            status = rules.panel_verdict(counts.get(True, 0), counts.get(False, 0), size)
            if status != nomination.status:
                nomination.status = status
                nomination.save(update_fields=["status"])
            return nomination
    except IntegrityError:
        raise RefusedError("panel_reviewed", "您已经评审过这一推荐",
                           "You have already reviewed this nomination") from None


@transaction.atomic
def review(user, nomination: Nomination, *, approve: bool, note: str = "") -> Nomination:
    """Staff review, when the round has no award panel (with one, the panel decides)."""
    _manager(user, nomination.award_round.place_path)
    _refuse_published(nomination.award_round)
    if AwardPanelMember.objects.filter(award_round_id=nomination.award_round_id).exists():
        raise RefusedError("award_panel_reviews", "本次评选由评审小组审核",
                           "This award's panel reviews the nominations")
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
    place_notices.create_by_rule(award_round.place, by=user, title=f"{label}评选结果"[:100],
                                 body=f"{label}：{names}"[:2000], link=selectors.winners_path(award_round))
    return chosen
