"""Writes to the case files, one transaction each, the case row locked (``select_for_update``)
so two mediators cannot move one case two ways. The state machine and deadlines are
``mediation.rules``; who may act is checked here again (views are thin).

Who may do what: holders of ``mediation.manage`` at the case's place do everything; the
case's mediators record its work (investigation, sessions, the agreement and signatures,
follow-up, judicial confirmation) but do not accept, decline, assign or hand off.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Person, Place, User
from tongxin.core.roles import VIEW_REGISTER
from tongxin.core.validators import normalise_phone
from tongxin.core.workdays import exceptions_between
from tongxin.mediation import rules
from tongxin.mediation.apps import MANAGE
from tongxin.mediation.models import (
    Agreement,
    AgreementForm,
    Case,
    CaseType,
    Channel,
    ConfirmationOutcome,
    FollowUp,
    HandOff,
    HandOffTo,
    JudicialConfirmation,
    Kept,
    Mediator,
    MediatorRole,
    Outcome,
    Party,
    Session,
    Signature,
    SignMethod,
)

MAX_PARTIES = 10
CODE_MINUTES = 15


@dataclass(frozen=True)
class PartyInput:
    """A party: ``person`` from the registers, or ``name`` and ``phone`` typed in."""

    person: Person | None = None
    name: str = ""
    phone: str = ""


def _refuse(problem) -> None:
    if problem is not None:
        raise RefusedError(*problem)


def can_manage(user, case: Case) -> bool:
    return access.can_see_path(user, MANAGE, case.place_path)


def is_mediator(user, case: Case) -> bool:
    return bool(user.is_authenticated and user.person_id) and case.mediators.filter(person_id=user.person_id).exists()


def _require_manage(user, case: Case) -> None:
    if not can_manage(user, case):
        raise RefusedError("not_allowed", "您不能管理这里的调解案件", "You may not keep the mediation cases here")


def _require_work(user, case: Case) -> None:
    if not (can_manage(user, case) or is_mediator(user, case)):
        raise RefusedError("not_allowed", "只有本案调解员和社区工作人员可以记录",
                           "Only the case's mediators and staff may record")


def _locked(case: Case) -> Case:
    return Case.objects.select_for_update().get(pk=case.pk)


def _move(case: Case, action: str) -> None:
    _refuse(rules.transition_problem(case.state, action))
    case.state = rules.next_state(case.state, action)


def _text(value, limit: int) -> str:
    return (value or "").strip()[:limit]


def _parse_date(value, *, default: datetime.date | None = None) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    if not value:
        if default is not None:
            return default
        raise RefusedError("date_missing", "请填写日期", "Please give the date")
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise RefusedError("date_bad", "日期格式不对", "The date is not valid") from None


def _clean_parties(user, parties: list[PartyInput]) -> list[Party]:
    rows, seen = [], set()
    for given in parties:
        if given.person is not None:
            if not Person.objects.filter(access.person_filter(user, VIEW_REGISTER), pk=given.person.pk).exists():
                raise RefusedError("party_not_visible", "只能选择您辖区登记的居民", "Choose a resident of your places")
            if given.person.pk in seen:
                raise RefusedError("party_twice", "同一人不能重复列为当事人", "The same person is listed twice")
            seen.add(given.person.pk)
            rows.append(Party(person=given.person, name=given.person.name))
            continue
        name = _text(given.name, 50)
        if not name and not given.phone.strip():
            continue
        if not name:
            raise RefusedError("party_name_missing", "请填写当事人姓名", "A party needs a name")
        try:
            phone = normalise_phone(given.phone)
        except ValidationError:
            raise RefusedError("party_phone_bad", f"当事人“{name}”的手机号格式不对",
                               f"The phone of {name} is not a valid mobile number") from None
        rows.append(Party(name=name, phone=phone))
    if len(rows) < 2:
        raise RefusedError("parties_too_few", "纠纷至少有两方当事人", "A dispute has at least two parties")
    if len(rows) > MAX_PARTIES:
        raise RefusedError("parties_too_many", f"当事人最多{MAX_PARTIES}方", f"At most {MAX_PARTIES} parties")
    return rows


# --- application, acceptance, mediators --------------------------------------------------


@transaction.atomic
def open_case(user, place: Place, *, title: str, case_type: str, channel: str, parties: list[PartyInput],
              applicant: str = "", referred_by: str = "", facts: str = "",
              received_on: datetime.date | None = None) -> Case:
    """Register a dispute at a place (art. 17: on application, or on the committee's initiative)."""
    if not access.can_see_path(user, MANAGE, place.path):
        raise RefusedError("not_allowed", "您不能管理这里的调解案件", "You may not keep the mediation cases here")
    if not _text(title, 120):
        raise RefusedError("title_missing", "请填写纠纷简述", "Please say what the dispute is about")
    if case_type not in CaseType.values:
        raise RefusedError("type_unknown", "请选择纠纷类型", "Choose the type of dispute")
    if channel not in Channel.values:
        raise RefusedError("channel_unknown", "请选择受理来源", "Choose how the case came")
    if channel == Channel.GRID and not _text(referred_by, 50):
        raise RefusedError("referrer_missing", "请填写转介的网格员", "Say which grid worker referred it")
    if channel != Channel.INITIATIVE and not _text(applicant, 50):
        raise RefusedError("applicant_missing", "请填写申请人", "Say who applied")
    rows = _clean_parties(user, parties)
    case = Case.objects.create(
        place=place, place_path=place.path, title=_text(title, 120), case_type=case_type, channel=channel,
        applicant=_text(applicant, 50), referred_by=_text(referred_by, 50), facts=_text(facts, 4000),
        received_on=received_on or timezone.localdate(), created_by=user)
    for order, row in enumerate(rows):
        row.case, row.order = case, order
    Party.objects.bulk_create(rows)
    return case


@transaction.atomic
def accept(user, case: Case, *, on: datetime.date | None = None) -> Case:
    case = _locked(case)
    _require_manage(user, case)
    _move(case, "accept")
    case.accepted_on = on or timezone.localdate()
    case.deadline = rules.default_deadline(case.accepted_on)
    case.save(update_fields=["state", "accepted_on", "deadline"])
    return case


@transaction.atomic
def decline(user, case: Case, reason: str, *, on: datetime.date | None = None) -> Case:
    """Not taken (e.g. art. 17: a party refuses mediation; or not a civil dispute)."""
    case = _locked(case)
    _require_manage(user, case)
    if not _text(reason, 300):
        raise RefusedError("reason_missing", "请填写不予受理的原因", "Please give the reason")
    _move(case, "decline")
    case.ended_reason, case.outcome = _text(reason, 300), Outcome.DECLINED
    case.concluded_on = case.closed_on = on or timezone.localdate()
    case.save(update_fields=["state", "ended_reason", "outcome", "concluded_on", "closed_on"])
    return case


def mediator_candidates(case: Case):
    """Members of a people's mediation committee (an organisation named or subtyped so)
    at the case's place or above it, and the community staff there."""
    from tongxin.core.models import OrganisationMember
    from tongxin.core.tree import lineage

    paths = lineage(case.place_path)
    today = timezone.localdate()
    members = (OrganisationMember.objects
               .filter(Q(organisation__subtype__contains="调解") | Q(organisation__name__contains="人民调解委员会"),
                       organisation__place__path__in=paths, valid_from__lte=today)
               .exclude(valid_to__lte=today).values("person_id"))
    staff = access.current_assignments().filter(role="community_staff", place__path__in=paths).values("person_id")
    committee = set(Person.objects.filter(pk__in=members).values_list("pk", flat=True))
    people = list(Person.objects.filter(pk__in=members).union(Person.objects.filter(pk__in=staff)).order_by("name"))
    return [(person, MediatorRole.COMMITTEE if person.pk in committee else MediatorRole.STAFF) for person in people]


@transaction.atomic
def add_mediator(user, case: Case, person: Person) -> Mediator:
    case = _locked(case)
    _require_manage(user, case)
    if case.state in rules.FINAL_STATES:
        raise RefusedError("case_final", "案件已办结", "The case is finished")
    role = next((role for candidate, role in mediator_candidates(case) if candidate.pk == person.pk), None)
    if role is None:
        raise RefusedError("mediator_not_allowed", "调解员须为人民调解委员会委员或社区工作人员",
                           "A mediator is a member of the people's mediation committee or community staff")
    try:
        with transaction.atomic():
            mediator = Mediator.objects.create(case=case, person=person, role=role)
    except IntegrityError:
        raise RefusedError("already_mediator", f"{person.name}已是本案调解员",
                           f"{person.name} already mediates this case") from None
    login = User.objects.filter(person_id=person.pk, is_active=True).first()
    if login is not None:
        from tongxin.core.outbox import notify

        notify("mediation_assigned", f"mediation-mediator-{mediator.pk}", subject="您被指定为一起纠纷的调解员",
               body=case.title, users=[login], url=reverse("mediation-case", args=[case.pk]),
               webhooks=False)  # a case's contents go to its mediator only
    return mediator


@transaction.atomic
def remove_mediator(user, case: Case, mediator_pk: int) -> None:
    _require_manage(user, case)
    Mediator.objects.filter(case=case, pk=mediator_pk).delete()


@transaction.atomic
def record_investigation(user, case: Case, notes: str) -> Case:
    case = _locked(case)
    _require_work(user, case)
    if case.state in rules.FINAL_STATES:
        raise RefusedError("case_final", "案件已办结", "The case is finished")
    case.investigation = _text(notes, 8000)
    case.save(update_fields=["investigation"])
    return case


@transaction.atomic
def extend(user, case: Case, new_deadline, reason: str, *, parties_agree: bool) -> Case:
    case = _locked(case)
    _require_manage(user, case)
    new = _parse_date(new_deadline)
    _refuse(rules.extension_problem(case.state, case.deadline, new, reason, parties_agree))
    case.deadline, case.extension_reason = new, _text(reason, 300)
    case.save(update_fields=["deadline", "extension_reason"])
    return case


# --- mediating ---------------------------------------------------------------------------


@transaction.atomic
def record_session(user, case: Case, *, held_on, attended: str, record: str) -> Session:
    case = _locked(case)
    _require_work(user, case)
    held = _parse_date(held_on, default=timezone.localdate())
    if held > timezone.localdate():
        raise RefusedError("date_future", "日期不能晚于今天", "The date cannot be in the future")
    if not _text(attended, 300) or not _text(record, 8000):
        raise RefusedError("session_incomplete", "请填写参加人员和调解记录", "Say who attended and what was said")
    _move(case, "session")
    case.save(update_fields=["state"])
    return Session.objects.create(case=case, held_on=held, attended=_text(attended, 300),
                                  record=_text(record, 8000), recorded_by=user)


@transaction.atomic
def record_agreement(user, case: Case, *, form: str, text: str, terms: str, performance: str = "",
                     reached_on=None) -> Agreement:
    """Arts. 28–29: written (in force when all have signed) or oral (in force at once, art. 30)."""
    case = _locked(case)
    _require_work(user, case)
    if form not in AgreementForm.values:
        raise RefusedError("form_unknown", "请选择书面或口头协议", "Choose a written or an oral agreement")
    if not _text(terms, 4000):
        raise RefusedError("terms_missing", "请填写协议内容", "Please write what the parties agreed")
    reached = _parse_date(reached_on, default=timezone.localdate())
    _move(case, "agree")
    agreement = Agreement.objects.create(
        case=case, form=form, text=_text(text, 4000), terms=_text(terms, 4000),
        performance=_text(performance, 500), reached_on=reached, created_by=user,
        effective_on=rules.agreement_effective_on(form, reached, [], case.parties.count()))
    case.outcome, case.concluded_on = Outcome.AGREEMENT, reached
    case.save(update_fields=["state", "outcome", "concluded_on"])
    return agreement


def _refresh_effective(agreement: Agreement) -> None:
    signed = [timezone.localtime(s.signed_at).date() for s in agreement.signatures.filter(signed_at__isnull=False)]
    effective = rules.agreement_effective_on(agreement.form, agreement.reached_on, signed,
                                             agreement.case.parties.count())
    if effective != agreement.effective_on:
        agreement.effective_on = effective
        agreement.save(update_fields=["effective_on"])


def _agreement_locked(user, case: Case) -> Agreement:
    _locked(case)
    _require_work(user, case)
    agreement = Agreement.objects.select_for_update().select_related("case").filter(case=case).first()
    if agreement is None:
        raise RefusedError("no_agreement", "尚未记录调解协议", "No agreement is recorded yet")
    if agreement.form != AgreementForm.WRITTEN:
        raise RefusedError("oral", "口头协议无需签名", "An oral agreement is not signed")
    return agreement


def _party_of(case: Case, party_pk) -> Party:
    party = Party.objects.filter(case=case, pk=party_pk).select_related("person").first()
    if party is None:
        raise RefusedError("party_missing", "请选择当事人", "Choose a party")
    return party


@transaction.atomic
def sign_on_paper(user, case: Case, party_pk, scan) -> Signature:
    """The party signed the printed agreement; its scan is kept."""
    agreement = _agreement_locked(user, case)
    party = _party_of(case, party_pk)
    if scan is None:
        raise RefusedError("scan_missing", "请上传签名页扫描件", "Please upload the scan of the signed page")
    if getattr(scan, "size", 0) > 10 * 1024 * 1024:
        raise RefusedError("scan_too_big", "扫描件不能超过10MB", "The scan must be 10 MB or less")
    signature, _created = Signature.objects.get_or_create(agreement=agreement, party=party,
                                                          defaults={"method": SignMethod.PAPER})
    if signature.signed_at:
        raise RefusedError("already_signed", f"{party.name}已签名", f"{party.name} has signed already")
    signature.method, signature.scan, signature.signed_at, signature.recorded_by = (
        SignMethod.PAPER, scan, timezone.now(), user)
    signature.code_hash, signature.code_expires_at = "", None
    signature.save()
    _refresh_effective(agreement)
    return signature


def _code_hash(signature_pk: int, code: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), f"mediation-sign:{signature_pk}:{code}".encode(),
                    hashlib.sha256).hexdigest()


@transaction.atomic
def send_code(user, case: Case, party_pk) -> Signature:
    """A six-digit code to the party's own login (its inbox on their phone); they read it back
    to the mediator, who enters it (:func:`confirm_code`)."""
    agreement = _agreement_locked(user, case)
    party = _party_of(case, party_pk)
    login = User.objects.filter(person_id=party.person_id, is_active=True).first() if party.person_id else None
    if login is None:
        raise RefusedError("no_login", f"{party.name}没有平台账号，请在纸质协议上签名",
                           f"{party.name} has no login: sign on paper instead")
    signature, _created = Signature.objects.get_or_create(agreement=agreement, party=party,
                                                          defaults={"method": SignMethod.PHONE_CODE})
    if signature.signed_at:
        raise RefusedError("already_signed", f"{party.name}已签名", f"{party.name} has signed already")
    code = f"{secrets.randbelow(1_000_000):06d}"
    signature.method, signature.code_hash = SignMethod.PHONE_CODE, _code_hash(signature.pk, code)
    signature.code_expires_at = timezone.now() + datetime.timedelta(minutes=CODE_MINUTES)
    signature.save(update_fields=["method", "code_hash", "code_expires_at"])
    from tongxin.core.outbox import notify

    notify("mediation_sign_code", f"mediation-code-{signature.pk}-{code}", subject=f"调解协议确认码：{code}",
           body=f"您确认同意“{case.title}”调解协议的内容，请将确认码告诉调解员。{CODE_MINUTES}分钟内有效。",
           users=[login], webhooks=False)  # the code goes to the party only
    return signature


@transaction.atomic
def confirm_code(user, case: Case, party_pk, code: str) -> Signature:
    agreement = _agreement_locked(user, case)
    party = _party_of(case, party_pk)
    signature = Signature.objects.filter(agreement=agreement, party=party).first()
    if signature is None or not signature.code_hash:
        raise RefusedError("no_code", "请先发送确认码", "Send a code first")
    if signature.signed_at:
        raise RefusedError("already_signed", f"{party.name}已签名", f"{party.name} has signed already")
    if signature.code_expires_at < timezone.now():
        raise RefusedError("code_expired", "确认码已过期，请重新发送", "The code has expired; send a new one")
    if not hmac.compare_digest(signature.code_hash, _code_hash(signature.pk, (code or "").strip())):
        raise RefusedError("code_wrong", "确认码不对", "The code is wrong")
    signature.signed_at, signature.recorded_by, signature.code_hash = timezone.now(), user, ""
    signature.save(update_fields=["signed_at", "recorded_by", "code_hash"])
    _refresh_effective(agreement)
    return signature


@transaction.atomic
def fail(user, case: Case, reason: str, *, on: datetime.date | None = None) -> Case:
    """Art. 26: mediation ended without agreement; the parties are told of other ways."""
    case = _locked(case)
    _require_work(user, case)
    if not _text(reason, 300):
        raise RefusedError("reason_missing", "请填写调解终止的原因", "Please give the reason")
    _move(case, "fail")
    case.outcome, case.concluded_on = Outcome.FAILED, on or timezone.localdate()
    case.ended_reason = _text(reason, 300)
    case.save(update_fields=["state", "outcome", "concluded_on", "ended_reason"])
    return case


@transaction.atomic
def follow_up(user, case: Case, *, visited_on, kept: str, note: str = "") -> FollowUp:
    case = _locked(case)
    _require_work(user, case)
    if kept not in Kept.values:
        raise RefusedError("kept_unknown", "请选择协议履行情况", "Say whether the agreement was kept")
    visited = _parse_date(visited_on, default=timezone.localdate())
    _move(case, "follow_up")
    case.save(update_fields=["state"])
    return FollowUp.objects.create(case=case, visited_on=visited, kept=kept, note=_text(note, 2000),
                                   recorded_by=user)


@transaction.atomic
def close(user, case: Case, *, on: datetime.date | None = None) -> Case:
    case = _locked(case)
    _require_manage(user, case)
    _move(case, "close")
    case.closed_on = on or timezone.localdate()
    case.save(update_fields=["state", "closed_on"])
    return case


def confirmation_last_day(effective_on: datetime.date) -> datetime.date:
    """Art. 33's last day, rest days from the calendar (``core.CalendarDay``)."""
    start = effective_on + datetime.timedelta(days=rules.CONFIRMATION_DAYS)
    return rules.confirmation_last_day(effective_on, exceptions_between(start, start + datetime.timedelta(days=20)))


@transaction.atomic
def apply_confirmation(user, case: Case, *, applied_on, court: str, both_parties: bool) -> JudicialConfirmation:
    case = _locked(case)
    _require_work(user, case)
    agreement = Agreement.objects.filter(case=case).first()
    if agreement is None:
        raise RefusedError("no_agreement", "尚未记录调解协议", "No agreement is recorded yet")
    applied = _parse_date(applied_on, default=timezone.localdate())
    if not _text(court, 100):
        raise RefusedError("court_missing", "请填写受理法院", "Say which court")
    exceptions = None
    if agreement.effective_on:
        start = agreement.effective_on + datetime.timedelta(days=rules.CONFIRMATION_DAYS)
        exceptions = exceptions_between(start, start + datetime.timedelta(days=20))
    _refuse(rules.confirmation_problem(agreement.effective_on, applied, exceptions, both_parties=both_parties))
    try:
        with transaction.atomic():
            return JudicialConfirmation.objects.create(case=case, applied_on=applied, court=_text(court, 100))
    except IntegrityError:
        raise RefusedError("already_applied", "已申请司法确认",
                           "Judicial confirmation was applied for already") from None


@transaction.atomic
def record_confirmation_outcome(user, case: Case, *, outcome: str, decided_on=None) -> JudicialConfirmation:
    case = _locked(case)
    _require_work(user, case)
    confirmation = JudicialConfirmation.objects.filter(case=case).first()
    if confirmation is None:
        raise RefusedError("not_applied", "尚未申请司法确认", "No judicial confirmation was applied for")
    if outcome not in ConfirmationOutcome.values or outcome == ConfirmationOutcome.PENDING:
        raise RefusedError("outcome_unknown", "请选择法院的确认结果", "Choose the court's decision")
    confirmation.outcome = outcome
    confirmation.decided_on = _parse_date(decided_on, default=timezone.localdate())
    confirmation.save(update_fields=["outcome", "decided_on"])
    return confirmation


@transaction.atomic
def hand_off(user, case: Case, *, to_kind: str, to_whom: str, reason: str, on=None) -> HandOff:
    """To the police for 治安调解, a court or arbitration: recorded, and the case ends."""
    case = _locked(case)
    _require_manage(user, case)
    if to_kind not in HandOffTo.values:
        raise RefusedError("to_unknown", "请选择移交对象", "Choose whom it goes to")
    if not _text(to_whom, 100) or not _text(reason, 500):
        raise RefusedError("hand_off_incomplete", "请填写接收单位和移交原因", "Say which body and why")
    day = _parse_date(on, default=timezone.localdate())
    _move(case, "hand_off")
    case.outcome = Outcome.HANDED_OFF
    case.concluded_on = case.closed_on = day
    case.save(update_fields=["state", "outcome", "concluded_on", "closed_on"])
    return HandOff.objects.create(case=case, to_kind=to_kind, to_whom=_text(to_whom, 100), on=day,
                                  reason=_text(reason, 500), recorded_by=user)
