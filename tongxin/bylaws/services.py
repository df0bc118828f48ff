"""Every write of rules on the wall: create a rule, draft a version, publish it. Each is one
transaction and checks ``bylaws.manage`` at the rule's place. ``docs/bylaws.md``."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.urls import reverse
from django.utils import timezone

from tongxin.bylaws import rules
from tongxin.bylaws.apps import MANAGE
from tongxin.bylaws.models import Bylaw, BylawVersion
from tongxin.core import access, place_notices
from tongxin.core.errors import RefusedError
from tongxin.core.models import Place
from tongxin.deliberation.models import Consultation, MajorMatter
from tongxin.voting.models import Decision


def can_manage(user, place_path: str) -> bool:
    return access.can_see_path(user, MANAGE, place_path)


def _require(user, place_path: str) -> None:
    if not can_manage(user, place_path):
        raise PermissionDenied("not allowed to manage the rules of this place")


def create_bylaw(user, place: Place, *, kind: str, title: str) -> Bylaw:
    _require(user, place.path)
    rules.check_place(kind, place.kind)
    title = (title or "").strip()[:100]
    if not title:
        raise RefusedError("bylaw_title", "请填写规章名称", "Give the rule a title")
    try:
        with transaction.atomic():
            return Bylaw.objects.create(place=place, place_path=place.path, kind=kind, title=title, created_by=user)
    except IntegrityError:
        raise RefusedError("bylaw_exists", "这个地点已有同名的同类规章", "This place already has a rule of this kind "
                           "with this title") from None


def cited(place_path: str, *, decision: Decision | None, matter: MajorMatter | None,
          consultation: Consultation | None, basis: str) -> rules.Cited:
    """What a version cites, for ``rules.check_citation``."""
    vote = consultation.owners_vote if consultation is not None and consultation.owners_vote_id else None
    return rules.Cited(
        place_path=place_path, basis=basis,
        decision_state=decision.state if decision else None, decision_passed=decision.passed if decision else None,
        decision_path=decision.place_path if decision else None,
        matter_state=matter.state if matter else None, matter_path=matter.place_path if matter else None,
        consultation_state=consultation.state if consultation else None,
        consultation_path=consultation.place_path if consultation else None,
        consultation_vote_passed=vote.passed if vote is not None else None,
    )


def draft(user, bylaw: Bylaw, *, text: str, effective_on: datetime.date, decision: Decision | None = None,
          matter: MajorMatter | None = None, consultation: Consultation | None = None,
          basis: str = "") -> BylawVersion:
    """Write the rule's draft: the next version, or the draft already open (edited in place).
    A published version is never touched: a change is always a new version."""
    _require(user, bylaw.place_path)
    text = rules.check_text(text)
    basis = (basis or "").strip()[:200]
    rules.check_citation(cited(bylaw.place_path, decision=decision, matter=matter, consultation=consultation,
                               basis=basis))
    if not isinstance(effective_on, datetime.date):
        raise RefusedError("effective_on", "请填写施行日期", "Give the date it takes effect")
    fields = {"text": text, "effective_on": effective_on, "decision": decision, "matter": matter,
              "consultation": consultation, "basis": basis}
    with transaction.atomic():
        # One writer per rule: the next number and the one draft are decided under the lock.
        Bylaw.objects.select_for_update().get(pk=bylaw.pk)
        open_draft = BylawVersion.objects.filter(bylaw=bylaw, published_at__isnull=True).first()
        if open_draft is not None:
            for name, value in fields.items():
                setattr(open_draft, name, value)
            open_draft.save()
            return open_draft
        latest = BylawVersion.objects.filter(bylaw=bylaw).aggregate(n=Max("number"))["n"] or 0
        return BylawVersion.objects.create(bylaw=bylaw, number=latest + 1, created_by=user, **fields)


def discard(user, version: BylawVersion) -> None:
    """Drop a draft (a published version is refused by ``BylawVersion.delete``)."""
    _require(user, version.bylaw.place_path)
    with transaction.atomic():
        found = BylawVersion.objects.select_for_update().get(pk=version.pk)
        found.delete()


def publish(user, version: BylawVersion) -> BylawVersion:
    """Publish a draft: it is frozen, and a notice on the place's board links to the rule's public
    page. A second publish of the same version (a double tap, two staff at once) does nothing more:
    the row lock makes the second wait and then find it published."""
    with transaction.atomic():
        found = (BylawVersion.objects.select_for_update(of=("self",)).select_related("bylaw__place")
                 .get(pk=version.pk))
        _require(user, found.bylaw.place_path)
        if found.published_at is not None:
            return found
        # The decision may have changed since the draft was written: check again.
        rules.check_citation(cited(found.bylaw.place_path, decision=found.decision, matter=found.matter,
                                   consultation=found.consultation, basis=found.basis))
        found.published_at, found.published_by = timezone.now(), user
        found.notice = _notice(user, found)
        # In one save with published_at: after it the row is frozen.
        found.save(update_fields=["published_at", "published_by", "notice"])
    return found


def _notice(user, version: BylawVersion):
    """The new version on the place's board, by the publisher or, when they may not post notices
    there (an owners' committee member), by the rule itself: a published rule is always on the wall."""
    bylaw = version.bylaw
    changed = "公布" if version.number == 1 else f"修订（第{version.number}版）"
    title = f"{bylaw.title}{changed}"
    body = f"{bylaw.title}第{version.number}版自{version.effective_on:%Y年%m月%d日}起施行。"
    if version.decision_id:
        body += f"依据业主共同决定：{version.decision.title}。"
    elif version.matter_id:
        body += f"依据决议：{version.matter.title}。"
    elif version.consultation_id:
        body += f"依据议事协商决议：{version.consultation.title}。"
    if version.basis:
        body += f"{version.basis.rstrip('。')}。"
    body += "全文及历次修订见链接。"
    return place_notices.create_by_rule(
        bylaw.place, by=user, title=title[:100], body=body[:2000],
        link=reverse("bylaws-public-rule", args=[bylaw.pk]),
        expires_at=timezone.now() + datetime.timedelta(days=30),
    )
