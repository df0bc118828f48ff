"""Owners' decisions: create, open (freeze the electorate), close (tally with ``rules``, store
the result with its explanation, publish it on the place's notice board).

The interface other apps use: :func:`create_decision`, :func:`open_decision`,
:func:`close_decision` and ``Decision.get_absolute_url()``.
"""

from __future__ import annotations

import datetime
import logging
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from tongxin.core import place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.voting import rules
from tongxin.voting.models import (
    Candidate,
    Decision,
    DecisionKind,
    DecisionState,
    ExclusiveUnit,
    UnitOwner,
    Voter,
)
from tongxin.voting.services.register import can_manage
from tongxin.voting.signals import decision_closed

log = logging.getLogger(__name__)
DEFAULT_DAYS = 14


def create_decision(user, place: Place, *, title: str, item: int, description: str = "", opens_at=None,
                    closes_at=None, **options) -> Decision:
    """A draft decision. ``options``: ``kind`` (matter / two_step / election), ``allow_change``,
    ``count_by`` (the two 2/3: household / owner), ``seats`` and ``candidates`` (names) for an
    election."""
    if not can_manage(user, place):
        raise PermissionDenied("not allowed to run decisions here")
    title = (title or "").strip()
    if not title:
        raise RefusedError("no_title", "请填写表决事项的标题", "Give the decision a title")
    try:
        item = int(item)
        rules.approval_needed(item)
    except (TypeError, ValueError):
        raise RefusedError("bad_item", "请选择民法典第二百七十八条的事项", "Choose an item of art. 278") from None
    kind = options.get("kind") or DecisionKind.MATTER
    if kind not in DecisionKind.values:
        raise RefusedError("bad_kind", "表决方式不对", "Unknown kind of decision")
    candidates = [name.strip() for name in options.get("candidates") or () if name and name.strip()]
    seats = int(options.get("seats") or 0)
    if kind == DecisionKind.ELECTION and not (candidates and 0 < seats <= len(candidates)):
        raise RefusedError("bad_election", "选举须有候选人，应选人数在 1 和候选人数之间",
                           "An election needs candidates and between 1 and that many seats")
    now = timezone.now()
    opens_at = opens_at or now
    closes_at = closes_at or opens_at + datetime.timedelta(days=DEFAULT_DAYS)
    if closes_at <= opens_at:
        raise RefusedError("bad_dates", "截止时间须晚于开始时间", "The vote must close after it opens")
    with transaction.atomic():
        decision = Decision.objects.create(
            place=place, place_path=place.path, title=title[:200], description=(description or "").strip(),
            item=item, kind=kind, allow_change=bool(options.get("allow_change")),
            count_by=options.get("count_by") or rules.BY_HOUSEHOLD, seats=seats if kind == DecisionKind.ELECTION else 0,
            opens_at=opens_at, closes_at=closes_at, created_by=user,
        )
        Candidate.objects.bulk_create([Candidate(decision=decision, name=name[:50], position=n)
                                       for n, name in enumerate(candidates)])
    return decision


def electorate(place: Place) -> tuple[list[rules.Owner], dict[int, ExclusiveUnit]]:
    """The counted owners under ``place`` today (``rules.count_owners``), and the units by id."""
    units = list(ExclusiveUnit.objects.filter(place_path__gte=place.path, place_path__lt=place.path_end)
                 .select_related("place"))
    voters = dict(UnitOwner.objects.filter(unit__in=[u.pk for u in units], is_voter=True, valid_to__isnull=True)
                  .values_list("unit_id", "person_id"))
    facts = [rules.Unit(unit_id=u.pk, status=u.status, owner_key=f"person:{voters[u.pk]}" if u.pk in voters else None,
                        register_area=u.register_area, survey_area=u.survey_area, contract_area=u.contract_area,
                        developer_key=f"org:{u.developer_id}") for u in units]
    try:
        return rules.count_owners(facts), {u.pk: u for u in units}
    except rules.RuleError as error:
        raise RefusedError(error.code, error.message_zh, error.message_en) from None


@transaction.atomic
def open_decision(user, decision: Decision) -> Decision:
    """Open the vote: freeze the electorate (one Voter per counted owner) and its totals."""
    decision = Decision.objects.select_for_update().select_related("place").get(pk=decision.pk)
    if not can_manage(user, decision.place):
        raise PermissionDenied("not allowed to open this decision")
    if decision.state != DecisionState.DRAFT:
        raise RefusedError("not_draft", "表决已经开始或已结束", "The vote has already opened")
    now = timezone.now()
    if decision.closes_at and decision.closes_at <= now:
        raise RefusedError("bad_dates", "截止时间已过，请先修改", "The closing time has passed")
    owners, units = electorate(decision.place)
    if not owners:
        raise RefusedError("no_owners", "这里的业主名册里还没有专有部分", "The property register has no units here")
    voters = []
    for owner in owners:
        kind, pk = owner.key.split(":")
        labels = [[pk_, f"{units[pk_].place.name} {units[pk_].unit_number}"] for pk_ in owner.unit_ids]
        voters.append(Voter(decision=decision, key=owner.key, person_id=int(pk) if kind == "person" else None,
                            organisation_id=int(pk) if kind == "org" else None, is_developer=owner.is_developer,
                            area=owner.area, households=len(owner.unit_ids), units=labels))
    Voter.objects.bulk_create(voters)
    decision.total_area = sum((owner.area for owner in owners), Decimal(0))
    decision.total_heads = len(owners)
    decision.total_households = sum(len(owner.unit_ids) for owner in owners)
    decision.state, decision.opened_at = DecisionState.OPEN, now
    decision.opens_at = min(decision.opens_at or now, now)
    decision.save()
    transaction.on_commit(lambda: _schedule_close(decision))
    return decision


def _schedule_close(decision: Decision) -> None:
    from tongxin.voting.tasks import close_decision_due

    close_decision_due.using(run_after=decision.closes_at).enqueue(decision.pk)


def counted_ballots(decision: Decision) -> list[rules.CastBallot]:
    rows = decision.ballots.values_list("voter__area", "voter__households", "choice", "how", "picks")
    return [rules.CastBallot(area=area, households=households, choice=choice or rules.ABSTAIN,
                             how=(how or rules.ABSTAIN) if decision.two_step else "", picks=tuple(picks or ()))
            for area, households, choice, how, picks in rows]


def outcome_for(decision: Decision, ballots: list[rules.CastBallot]) -> rules.Outcome:
    if decision.is_election:
        return rules.elect(decision.item, total_area=decision.total_area, total_heads=decision.total_heads,
                           ballots=ballots, candidates=list(decision.candidates.values_list("pk", flat=True)),
                           seats=decision.seats)
    return rules.decide(decision.item, total_area=decision.total_area, total_heads=decision.total_heads,
                        ballots=ballots, two_thirds=decision.two_step, count_by=decision.count_by,
                        total_households=decision.total_households)


def close_decision(decision: Decision, now=None) -> Decision:
    """Close the vote now: tally, store the result, publish it. A second call changes nothing."""
    now = now or timezone.now()
    with transaction.atomic():
        decision = Decision.objects.select_for_update(of=("self",)).select_related("place", "created_by").get(
            pk=decision.pk)
        if decision.state != DecisionState.OPEN:
            return decision
        ballots = counted_ballots(decision)
        outcome = outcome_for(decision, ballots)
        result = outcome.as_dict()
        area, homes = rules.published_totals(ballots)
        result["published_area"] = {key: str(value) for key, value in area.items()}
        result["published_households"] = homes
        result["totals"] = {"area": str(decision.total_area), "heads": decision.total_heads,
                            "households": decision.total_households}
        decision.result, decision.passed = result, outcome.passed
        decision.state, decision.closed_at = DecisionState.CLOSED, now
        decision.save(update_fields=["result", "passed", "state", "closed_at"])
        decision.notice = _publish(decision, outcome)
        if decision.notice:
            decision.save(update_fields=["notice"])
        decision_closed.send(sender=Decision, decision=decision, outcome=outcome)
    return decision


def _publish(decision: Decision, outcome: rules.Outcome):
    """The result on the place's notice board, with the link to the public result page: by
    whoever opened the vote, or by the rule itself when they may no longer publish there (a
    result is always announced)."""
    lines = [outcome.summary_zh, *(check.zh for check in outcome.checks)]
    verdict = "通过" if outcome.passed else "未通过"
    if decision.is_election:
        verdict = "选举结果"
    fields = {"title": f"业主表决结果：{decision.title}（{verdict}）"[:100], "body": "\n".join(lines)[:2000],
              "link": reverse("voting-result", args=[decision.pk]),
              "expires_at": timezone.now() + datetime.timedelta(days=30)}
    return place_notices.create_by_rule(decision.place, by=decision.created_by, **fields)


def close_if_due(decision_id: int, now=None) -> bool:
    """The scheduled task: close when the closing time has come (re-checked: it may have moved)."""
    now = now or timezone.now()
    decision = Decision.objects.filter(pk=decision_id, state=DecisionState.OPEN,
                                       closes_at__lte=now + datetime.timedelta(seconds=1)).first()
    if decision is None:
        return False
    close_decision(decision, now=now)
    return True


def close_due(now=None) -> int:
    """Recurring: close every open decision whose closing task was lost."""
    now = now or timezone.now()
    due = Decision.objects.filter(state=DecisionState.OPEN, closes_at__lte=now).values_list("pk", flat=True)
    return sum(close_if_due(pk, now=now) for pk in list(due[:200]))


def close_now(user, decision: Decision) -> Decision:
    """Staff close the vote: at or after its closing time, or early once every owner has voted
    (closing earlier would shut out owners who were promised time to vote)."""
    if not can_manage(user, decision.place):
        raise PermissionDenied("not allowed to close this decision")
    if decision.state != DecisionState.OPEN:
        raise RefusedError("not_open", "表决不在进行中", "The vote is not open")
    if decision.closes_at > timezone.now() and decision.ballots.count() < decision.total_heads:
        raise RefusedError("too_early", "还没到截止时间，且还有业主没有投票，不能提前结束",
                           "The vote cannot close before its time while some owners have not voted")
    Decision.objects.filter(pk=decision.pk).update(closes_at=timezone.now())
    return close_decision(decision)
