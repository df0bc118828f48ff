"""Ballots: by the voter's personal link confirmed with a code sent to their phone, or entered
from paper by staff. One ballot per voter (the database's unique constraint; the voter's row
is locked while a ballot is written); a change, where allowed, keeps the history."""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, connection, transaction
from django.urls import reverse
from django.utils import timezone

from tongxin.core import outbox
from tongxin.core.errors import RefusedError
from tongxin.voting import rules
from tongxin.voting.models import Ballot, BallotEvent, Decision, DecisionState, Origin, Voter, VotingCode
from tongxin.voting.services.register import can_manage

CODE_MINUTES = 15
MAX_TRIES = 5
MAX_CODES_PER_HOUR = 5

ALREADY_VOTED = ("already_voted", "您已经投过票了，这次表决不能改票",
                 "You have already voted; this vote allows no change")
NOT_OPEN = ("not_open", "表决现在不在进行中", "The vote is not open now")


def _hash(voter_id: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"{voter_id}:{code}".encode(), hashlib.sha256).hexdigest()


def voter_for_token(token: str) -> Voter | None:
    return Voter.objects.select_related("decision__place", "person").filter(token=token).first()


def _check_open(decision, now) -> None:
    if decision.state != DecisionState.OPEN or (decision.closes_at and decision.closes_at <= now):
        raise RefusedError(*NOT_OPEN)


def send_code(voter: Voter, now=None) -> str:
    """A six-digit code to the voter's phone through the outbox (a webhook SMS gateway takes
    ``voting_code``); only its hash is stored. Returns the code (the tests read it)."""
    now = now or timezone.now()
    _check_open(voter.decision, now)
    if not voter.decision.allow_change and Ballot.objects.filter(voter=voter).exists():
        raise RefusedError(*ALREADY_VOTED)
    phone = voter.person.phone if voter.person_id else ""
    if not phone:
        raise RefusedError("no_phone", "名册里没有您的手机号，请到社区用纸质选票投票",
                           "No phone is on record for you: please vote on paper at the community office")
    recent = VotingCode.objects.filter(voter=voter, created_at__gte=now - datetime.timedelta(hours=1)).count()
    if recent >= MAX_CODES_PER_HOUR:
        raise RefusedError("too_many_codes", "验证码发送太频繁，请一小时后再试", "Too many codes: try again in an hour")
    code = f"{secrets.randbelow(1_000_000):06d}"
    row = VotingCode.objects.create(voter=voter, code_hash=_hash(voter.pk, code),
                                    expires_at=now + datetime.timedelta(minutes=CODE_MINUTES))
    decision = voter.decision
    outbox.notify(
        "voting_code", f"voting-code:{row.pk}", subject=f"业主表决验证码 {code}", place=decision.place,
        body=f"您的业主表决验证码是 {code}，{CODE_MINUTES} 分钟内有效。请勿告诉他人。",
        url=reverse("voting-ballot", args=[voter.token]),
        payload={"phone": phone, "code": code, "decision": decision.pk, "name": voter.person.name},
    )
    return code


def check_code(voter: Voter, code: str, now=None) -> None:
    """Its own transaction, so that a wrong try is counted even though the ballot is refused."""
    now = now or timezone.now()
    code = (code or "").strip()
    with transaction.atomic():
        row = (VotingCode.objects.select_for_update().filter(voter=voter, expires_at__gt=now)
               .order_by("-created_at", "-id").first())
        if row is None:
            raise RefusedError("no_code", "请先获取验证码，或验证码已过期", "Ask for a code first, or the code expired")
        if row.tries >= MAX_TRIES:
            raise RefusedError("code_locked", "验证码输错次数太多，请重新获取",
                               "Too many wrong tries: ask for a new code")
        if not hmac.compare_digest(row.code_hash, _hash(voter.pk, code)):
            row.tries += 1
            row.save(update_fields=["tries"])
            wrong = ("wrong_code", f"验证码不对，还可以再试 {MAX_TRIES - row.tries} 次",
                     f"Wrong code: {MAX_TRIES - row.tries} tries left")
        else:
            wrong = None
            if row.used_at is None:
                row.used_at = now
                row.save(update_fields=["used_at"])
    if wrong:
        raise RefusedError(*wrong)


def clean_answers(decision, *, choice: str = "", how: str = "", picks=()) -> dict:
    if decision.is_election:
        allowed = set(decision.candidates.values_list("pk", flat=True))
        try:
            chosen = sorted({int(pk) for pk in picks or ()})
        except (TypeError, ValueError):
            chosen = [0]
        if not set(chosen) <= allowed:
            raise RefusedError("bad_pick", "候选人不对", "Unknown candidate")
        if len(chosen) > decision.seats:
            raise RefusedError("too_many_picks", f"最多选 {decision.seats} 人", f"Choose at most {decision.seats}")
        return {"choice": "", "how": "", "picks": chosen}
    if choice not in rules.CHOICES:
        raise RefusedError("no_choice", "请选择同意、不同意或弃权", "Choose agree, disagree or abstain")
    if decision.two_step and how not in rules.CHOICES:
        raise RefusedError("no_how", "请对改造方案也作出选择", "Answer the question on the plan too")
    return {"choice": choice, "how": how if decision.two_step else "", "picks": []}


def _share_lock(decision_id: int) -> Decision:
    """Ballots hold the decision in SHARE mode (they do not wait for each other), the close in
    UPDATE mode: no ballot commits between the close's check and its tally. (SQLite writes one
    transaction at a time anyway.)"""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {Decision._meta.db_table} WHERE id = %s FOR SHARE", [decision_id])
    return Decision.objects.get(pk=decision_id)


def _record(voter: Voter, answers: dict, *, origin: str, by=None, scan=None, now=None) -> tuple[Ballot, bool]:
    """Write the voter's ballot under a lock on the voter's row; returns (ballot, changed)."""
    now = now or timezone.now()
    with transaction.atomic():
        voter = Voter.objects.select_for_update(of=("self",)).get(pk=voter.pk)
        decision = _share_lock(voter.decision_id)
        _check_open(decision, now)
        answers = clean_answers(decision, **answers)
        existing = Ballot.objects.filter(voter=voter).first()
        if existing is not None:
            if not decision.allow_change:
                raise RefusedError(*ALREADY_VOTED)
            before = {"choice": existing.choice, "how": existing.how, "picks": existing.picks,
                      "origin": existing.origin}
            for field, value in answers.items():
                setattr(existing, field, value)
            existing.origin, existing.entered_by, existing.changed_at = origin, by, now
            if scan:
                existing.scan = scan
            existing.save()
            BallotEvent.objects.create(ballot=existing, action="changed", origin=origin, by=by, before=before,
                                       after=answers)
            return existing, True
        try:
            with transaction.atomic():
                ballot = Ballot.objects.create(decision=decision, voter=voter, origin=origin, entered_by=by,
                                               scan=scan or "", **answers)
        except IntegrityError:  # the lock makes this unreachable; the constraint is the last word
            raise RefusedError(*ALREADY_VOTED) from None
        BallotEvent.objects.create(ballot=ballot, action="cast", origin=origin, by=by, after=answers)
        return ballot, False


def cast_by_link(voter: Voter, code: str, *, now=None, **answers) -> tuple[Ballot, bool]:
    """The owner's own ballot: the code first (a wrong one is counted), then the ballot."""
    _check_open(voter.decision, now or timezone.now())
    check_code(voter, code, now=now)
    return _record(voter, answers, origin=Origin.WEB, now=now)


def enter_paper(user, voter: Voter, *, scan=None, now=None, **answers) -> tuple[Ballot, bool]:
    """Staff enter a signed paper ballot (with its scan); the audit trail names them."""
    if not can_manage(user, voter.decision.place):
        raise PermissionDenied("not allowed to enter ballots here")
    return _record(voter, answers, origin=Origin.PAPER, by=user, scan=scan, now=now)
