"""Every write of deliberation, one transaction each; states move only through ``rules``."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tongxin.core import access, outbox, place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place, User
from tongxin.deliberation import rules
from tongxin.deliberation import selectors as sel
from tongxin.deliberation.apps import MANAGERS
from tongxin.deliberation.models import Consultation, ConsultationEvent, MajorMatter, MatterStep

NOTICE_DAYS = 30  # the resolution and the result stay on the notice board this long


def _refuse_unless(condition: bool, message: str = "not allowed here") -> None:
    if not condition:
        raise PermissionDenied(message)


def _name(user) -> str:
    person = getattr(user, "person", None)
    return (person.name if person else str(user))[:50]


# --- 四议两公开 ---------------------------------------------------------------------------------
@transaction.atomic
def propose(user, place: Place, *, title: str, description: str, resolving_body: str, actor: str,
            held_on: datetime.date, note: str = "") -> MajorMatter:
    """党组织提议: a new major matter with its first step."""
    _refuse_unless(sel.can_manage(user, place.path))
    if resolving_body not in rules.resolving_bodies(place.kind):
        raise RefusedError("matter_body", "该地点不能由此会议决议（社区用居民会议，村用村民会议）",
                           "This meeting cannot resolve matters of this place (residents' for a community, "
                           "villagers' for a village)")
    matter = MajorMatter.objects.create(place=place, place_path=place.path, title=title.strip(),
                                        description=description.strip(), resolving_body=resolving_body,
                                        created_by=user)
    MatterStep.objects.create(matter=matter, seq=1, step=rules.PROPOSE, actor=actor.strip(), held_on=held_on,
                              outcome=rules.PROCEED, note=note.strip(), recorded_by=user)
    return matter


def _figures_refusal(error: ValueError) -> RefusedError:
    return RefusedError("matter_figures", "到会、应到和表决人数对不上，请核对", f"The figures do not add up: {error}")


@transaction.atomic
def record_step(user, matter: MajorMatter, *, step: str, actor: str, held_on: datetime.date, outcome: str,
                note: str = "", basis: str = rules.BY_PEOPLE, present: int | None = None,
                entitled: int | None = None, votes_for: int | None = None, against: int = 0,
                abstain: int = 0) -> MatterStep:
    """One of 两委商议, 党员大会审议, 居民(代表)会议决议, or proposing again after a return."""
    matter = MajorMatter.objects.select_for_update().get(pk=matter.pk)
    _refuse_unless(sel.can_manage(user, matter.place_path))
    if rules.next_step(matter.state) != step:
        raise RefusedError("matter_step", "这一步现在不能记录（可能已被他人记录）",
                           "This step is not due now (someone may have recorded it already)")
    found = None
    body = ""
    if step in rules.MEETING_STEPS:
        body = rules.STEP_BODY.get(step, matter.resolving_body)
        if basis == rules.BY_HOUSEHOLDS and body != rules.VILLAGERS_MEETING:
            basis = rules.BY_PEOPLE  # only a villagers' meeting may count households (art. 22)
        try:
            found = rules.verdict(body, present=present or 0, entitled=entitled or 0, votes_for=votes_for or 0,
                                  against=against, abstain=abstain, basis=basis,
                                  representatives_quorum=sel.representatives_quorum(matter.place))
        except ValueError as error:
            raise _figures_refusal(error) from None
    if outcome not in rules.matter_outcomes(step, found):
        raise RefusedError("matter_outcome", "会议结果与表决数字不符（未达法定人数或未过半数不能通过）",
                           "The outcome does not match the vote (not quorate or no majority cannot go on)")
    matter.state = rules.matter_transition(matter.state, step, outcome)
    if step == rules.RESOLVE and outcome == rules.PROCEED:
        matter.resolution = note.strip()
        if not matter.resolution:
            raise RefusedError("matter_resolution", "请写明决议内容", "Write the resolution")
    matter.save(update_fields=["state", "resolution", "updated_at"])
    seq = matter.steps.count() + 1
    return MatterStep.objects.create(
        matter=matter, seq=seq, step=step, body=body, actor=actor.strip(), held_on=held_on,
        basis=basis if found else "", present=present if found else None, entitled=entitled if found else None,
        votes_for=votes_for if found else None, votes_against=against if found else None,
        abstentions=abstain if found else None, quorum_rule=found.quorum_rule if found else "",
        majority_rule=found.majority_rule if found else "", outcome=outcome, note=note.strip(), recorded_by=user,
    )


def public_url(matter: MajorMatter) -> str:
    return reverse("deliberation-public", kwargs={"token": matter.token})


@transaction.atomic
def publish(user, matter: MajorMatter, *, result: str = "", actor: str = "",
            held_on: datetime.date | None = None) -> MatterStep:
    """两公开: the resolution, then the implementation result, on the place's notice board."""
    matter = MajorMatter.objects.select_for_update().select_related("place").get(pk=matter.pk)
    _refuse_unless(sel.can_manage(user, matter.place_path) and place_notices.can_publish(user, matter.place))
    step = rules.next_step(matter.state)
    if step not in (rules.PUBLISH_RESOLUTION, rules.PUBLISH_RESULT):
        raise RefusedError("matter_publish", "现在没有可公开的内容", "There is nothing to publish now")
    link = public_url(matter)
    expires = timezone.now() + datetime.timedelta(days=NOTICE_DAYS)
    if step == rules.PUBLISH_RESOLUTION:
        notice = place_notices.create(user, matter.place, title=f"决议公开：{matter.title}"[:100],
                                      body=matter.resolution[:2000], link=link, expires_at=expires)
        matter.resolution_notice = notice
    else:
        if not result.strip():
            raise RefusedError("matter_result", "请写明实施结果", "Write the implementation result")
        matter.result = result.strip()
        notice = place_notices.create(user, matter.place, title=f"实施结果公开：{matter.title}"[:100],
                                      body=matter.result[:2000], link=link, expires_at=expires)
        matter.result_notice = notice
    matter.state = rules.matter_transition(matter.state, step, rules.PROCEED)
    matter.save(update_fields=["state", "result", "resolution_notice", "result_notice", "updated_at"])
    return MatterStep.objects.create(
        matter=matter, seq=matter.steps.count() + 1, step=step, actor=actor.strip() or matter.place.name,
        held_on=held_on or timezone.localdate(), outcome=rules.PROCEED, note=notice.title, recorded_by=user,
    )


# --- the four-step consultation ---------------------------------------------------------------
def _staff_of(place: Place):
    """Managers at the place, above it, or at the grids and areas covering it."""
    holders = access.current_assignments().filter(
        role__in=MANAGERS, place_id__in=sel.neighbourhood(place.path), person__user__isnull=False,
    ).values("person__user")
    return list(User.objects.filter(pk__in=holders, is_active=True))


def _tell_raiser(consultation: Consultation, event: ConsultationEvent, subject: str) -> None:
    if consultation.raised_by_id and consultation.raised_by_id != event.by_id:
        outbox.notify("consultation_step", f"consultation:{consultation.pk}:{event.pk}",
                      users=[consultation.raised_by], place=consultation.place, subject=subject[:200],
                      body=event.text, url=reverse("deliberation-consultation", kwargs={"pk": consultation.pk}),
                      webhooks=False)


def _demand(user, reference: str):
    from tongxin.demands.models import Demand

    reference = (reference or "").strip()
    if not reference:
        return None
    lookup = {"pk": int(reference)} if reference.isdigit() else {"tracking_code": reference.upper()}
    demand = Demand.objects.filter(**lookup).only("pk", "place_path", "tracking_code").first()
    if demand is None or not sel.can_manage(user, demand.place_path):
        raise RefusedError("consultation_demand", "找不到这个诉求编号（或不在您的管辖范围）",
                           "No such demand (or not in your places)")
    return demand


@transaction.atomic
def raise_matter(user, place: Place, *, title: str, body: str, form_key: str, demand_ref: str = "") -> Consultation:
    """提议: a resident in scope, or staff (optionally from a demand), raises a matter."""
    level = rules.consultation_level(place.kind)
    if level is None:
        raise RefusedError("consultation_level", "只能在楼栋、片区（网格）或社区层面议事",
                           "Matters are raised at a building, an area (grid) or a community")
    staff = sel.can_manage(user, place.path)
    _refuse_unless(staff or place.pk in sel.neighbourhood(sel.home_path(user)))
    demand = _demand(user, demand_ref) if staff else None
    if not (form_key and len(form_key) <= 64):
        raise RefusedError("form_key_missing", "页面已过期，请刷新后重试",
                           "This page has expired; reload it and try again")
    try:
        with transaction.atomic():
            consultation = Consultation.objects.create(
                place=place, place_path=place.path, level=level, title=title.strip(), body=body.strip(),
                raised_by=user, raised_by_name=_name(user), demand=demand, form_key=form_key,
            )
    except IntegrityError:
        raise RefusedError("already_submitted", "这份表单已经提交过了，无需重复提交",
                           "This form was already submitted; nothing more to do") from None
    ConsultationEvent.objects.create(consultation=consultation, kind="raised", text=consultation.body, by=user,
                                     by_name=_name(user))
    outbox.notify("consultation_raised", f"consultation:{consultation.pk}:raised", users=_staff_of(place),
                  place=place, subject=f"新议题：{consultation.title}"[:200], body=consultation.body,
                  url=reverse("deliberation-consultation", kwargs={"pk": consultation.pk}))
    return consultation


def _step(user, consultation: Consultation, action: str, *, staff_only: bool = True, **fields):
    consultation = Consultation.objects.select_for_update().select_related("place").get(pk=consultation.pk)
    if staff_only:
        _refuse_unless(sel.can_manage(user, consultation.place_path))
    else:
        _refuse_unless(sel.can_take_part(user, consultation) or consultation.raised_by_id == user.pk)
    try:
        new_state = rules.consultation_transition(consultation.state, action)
    except ValueError:
        raise RefusedError("consultation_state", "这个议题现在不能这样办理（可能已被他人处理）",
                           "This matter cannot take this step now (someone may have done it already)") from None
    changed = new_state != consultation.state
    consultation.state = new_state
    extra = [name for name in ("decision", "needs_owners_vote") if name in fields]
    for name in extra:
        setattr(consultation, name, fields.pop(name))
    if changed or extra:
        consultation.save(update_fields=["state", *extra, "updated_at"])
    return consultation, ConsultationEvent.objects.create(consultation=consultation, kind=action, by=user,
                                                          by_name=_name(user), **fields)


@transaction.atomic
def review(user, consultation: Consultation, *, accept: bool, reason: str = "") -> ConsultationEvent:
    """审议: accepted for discussion, or declined with a reason."""
    if not accept and not reason.strip():
        raise RefusedError("consultation_reason", "不予受理须写明理由", "Give the reason for declining")
    consultation, event = _step(user, consultation, rules.ACCEPT if accept else rules.DECLINE, text=reason.strip())
    subject = f"您的议题已受理，进入合议：{consultation.title}" if accept else f"您的议题未予受理：{consultation.title}"
    _tell_raiser(consultation, event, subject)
    return event


@transaction.atomic
def comment(user, consultation: Consultation, *, text: str) -> ConsultationEvent:
    """合议: a comment by anyone in scope."""
    if not text.strip():
        raise RefusedError("consultation_comment", "请填写意见", "Write your comment")
    consultation, event = _step(user, consultation, rules.COMMENT, staff_only=False, text=text.strip())
    _tell_raiser(consultation, event, f"您的议题有新意见：{consultation.title}")
    return event


@transaction.atomic
def meeting(user, consultation: Consultation, *, held_on: datetime.date, present: int | None,
            text: str) -> ConsultationEvent:
    """合议: a meeting's record (date, how many came, what was said)."""
    consultation, event = _step(user, consultation, rules.MEETING, held_on=held_on, present=present, text=text.strip())
    _tell_raiser(consultation, event, f"您的议题已开会合议：{consultation.title}")
    return event


@transaction.atomic
def decide(user, consultation: Consultation, *, decision: str, needs_owners_vote: bool = False) -> ConsultationEvent:
    """决议: the decision, by whom, published on the place's notice board when the decider may
    publish there; "needs an owners' vote" is a flag for ``tongxin.voting`` later."""
    if not decision.strip():
        raise RefusedError("consultation_decision", "请写明决议内容", "Write the decision")
    consultation, event = _step(user, consultation, rules.DECIDE, text=decision.strip(), decision=decision.strip(),
                                needs_owners_vote=needs_owners_vote)
    if place_notices.can_publish(user, consultation.place):
        # Published where it was decided; the notice links to the decision's public page.
        link = reverse("deliberation-consultation-public", kwargs={"token": consultation.token})
        consultation.decision_notice = place_notices.create(
            user, consultation.place, title=f"议事决议：{consultation.title}"[:100],
            body=consultation.decision[:2000], link=link,
            expires_at=timezone.now() + datetime.timedelta(days=NOTICE_DAYS),
        )
        consultation.save(update_fields=["decision_notice"])
    _tell_raiser(consultation, event, f"您的议题已形成决议：{consultation.title}")
    return event


# --- a matter the owners decide (Civil Code art. 278, ``tongxin.voting``) --------------------
@transaction.atomic
def to_owners_vote(user, consultation: Consultation, *, item: int, closes_at=None) -> ConsultationEvent:
    """The matter is the owners' to decide (repairs paid from the maintenance fund, a lift, the
    property company): it goes to their vote at the consultation's place, opened at once; the
    vote's result becomes the 决议 (:func:`record_vote_result`). Residents' self-governance and
    owners' decisions stay apart: this hands over, and the rules are voting's."""
    from tongxin.voting.services import decisions as voting

    consultation, event = _step(user, consultation, rules.TO_VOTE, text="")
    decision = voting.create_decision(user, consultation.place, title=consultation.title, item=item,
                                      description=consultation.body, closes_at=closes_at)
    decision = voting.open_decision(user, decision)
    consultation.owners_vote, consultation.needs_owners_vote = decision, True
    consultation.save(update_fields=["owners_vote", "needs_owners_vote", "updated_at"])
    closes = timezone.localtime(decision.closes_at)
    event.text = f"交业主表决（民法典第二百七十八条第{item}项），截止 {closes:%Y-%m-%d %H:%M}"
    event.save(update_fields=["text"])
    _tell_raiser(consultation, event, f"您的议题已交业主表决：{consultation.title}")
    return event


def record_vote_result(sender, decision, outcome, **_kwargs) -> ConsultationEvent | None:
    """``voting.signals.decision_closed``: the owners' vote that a consultation went to is its
    决议 (the vote's notice on the board is its publication). Runs in the closing transaction."""
    consultation = (Consultation.objects.select_for_update().select_related("place")
                    .filter(owners_vote_id=decision.pk, state=rules.VOTING).first())
    if consultation is None:
        return None
    verdict = "通过" if outcome.passed else "未通过"
    text = f"业主表决{verdict}：{outcome.summary_zh}"[:4000]
    consultation.state = rules.consultation_transition(consultation.state, rules.VOTED)
    consultation.decision, consultation.decision_notice_id = text, decision.notice_id
    consultation.save(update_fields=["state", "decision", "decision_notice", "updated_at"])
    event = ConsultationEvent.objects.create(consultation=consultation, kind=rules.DECIDE, text=text,
                                             by_name="业主表决 / Owners' vote")
    _tell_raiser(consultation, event, f"您的议题业主表决{verdict}：{consultation.title}")
    return event
