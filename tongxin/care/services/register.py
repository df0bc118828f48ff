"""Writes to the care register: putting a resident on it with their care categories (core
person tags, with the consent the category's legal basis needs), their details and emergency
contacts, closing an entry, and pairing helpers (结对帮扶). One transaction per write.

The consent rules are pure functions (:func:`consent_problem`), tested by table; the core's
``add_tag`` enforces them again, so no screen or import can skip them.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from tongxin.care.apps import MANAGE
from tongxin.care.models import CareSubject, CategoryWithdrawal, EmergencyContact, HelperRole, Pairing, RiskLevel
from tongxin.care.services import visits
from tongxin.care.signals import subject_closed
from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Person, PersonTag
from tongxin.core.services.people import ConsentGiven, add_tag, is_child, withdraw_consent
from tongxin.core.tags import TAG_BY_CODE, TAGS

#: The care categories: the core's sensitive person tags (health and hardship).
CARE_CATEGORIES = tuple(tag.code for tag in TAGS if tag.sensitive)
MAX_CONTACTS = 5


@dataclass(frozen=True)
class Contact:
    name: str
    relation: str
    phone: str


# --- rules (pure) ------------------------------------------------------------------------


def consent_problem(categories, *, child: bool, given_by: str, by_guardian: bool, already: frozenset = frozenset()):
    """Why the categories cannot be recorded with this consent, as (code, zh, en); None if they can.

    Statutory categories need no consent; consent-based ones need who consented (unless a
    consent is already on record, ``already``), and for a child under 14 a guardian's."""
    unknown = [code for code in categories if code not in CARE_CATEGORIES]
    if not categories:
        return ("category_missing", "请至少选择一个关爱类别", "Choose at least one care category")
    if unknown:
        return ("category_unknown", f"未知类别 {unknown[0]}", f"Unknown category {unknown[0]}")
    needing = [code for code in categories if TAG_BY_CODE[code].needs_consent and code not in already]
    if not needing:
        return None
    if not given_by.strip():
        return ("consent_required", "所选类别需要本人单独同意（未满14周岁需监护人同意），请填写同意人",
                "The chosen categories need the person's separate consent (a guardian's under 14): "
                "say who consented")
    if child and not by_guardian:
        return ("guardian_consent_required", "未满14周岁，需由监护人同意", "Under 14: a guardian must give the consent")
    return None


def withdraw_problem(code: str, held) -> tuple[str, str, str] | None:
    """Why the consent for care category ``code`` cannot be withdrawn, as (code, zh, en).

    Only consent-based categories have a consent to withdraw; statutory ones are the
    registers' duty. A category no longer held is ``category_not_held`` (nothing to do)."""
    if code not in CARE_CATEGORIES:
        return ("category_unknown", f"未知类别 {code}", f"Unknown category {code}")
    if not TAG_BY_CODE[code].needs_consent:
        return ("statutory_no_consent", "法定登记类别无需本人同意，没有可撤回的同意",
                "A statutory category needs no consent: there is none to withdraw")
    if code not in held:
        return ("category_not_held", "该类别已不在此人名下", "This person no longer has this category")
    return None


def contacts_problem(contacts) -> tuple[str, str, str] | None:
    if len(contacts) > MAX_CONTACTS:
        return ("contacts_too_many", f"紧急联系人最多{MAX_CONTACTS}位", f"At most {MAX_CONTACTS} emergency contacts")
    for contact in contacts:
        if not contact.name.strip() or not contact.phone.strip():
            return ("contact_incomplete", "紧急联系人需填写姓名和电话", "An emergency contact needs a name and a phone")
        digits = contact.phone.replace("-", "").replace(" ", "")
        if not digits.isdigit() or not 7 <= len(digits) <= 20:
            return ("contact_phone_bad", f"电话“{contact.phone}”格式不对", f"The phone {contact.phone!r} is not valid")
    return None


def _refuse(problem) -> None:
    if problem is not None:
        raise RefusedError(*problem)


def _require_manage(user, path: str) -> None:
    if not access.can_see_path(user, MANAGE, path):
        raise RefusedError("not_allowed", "您不能管理这里的关爱对象", "You may not keep the care register here")


def _clean_details(risk: str, needs: str, health_notes: str, visit_every_days) -> dict:
    if risk not in RiskLevel.values:
        raise RefusedError("risk_unknown", "请选择风险等级", "Choose a risk level")
    if visit_every_days in ("", None):
        days = None
    else:
        try:
            days = int(visit_every_days)
        except (TypeError, ValueError):
            days = 0
        if not 1 <= days <= 365:
            raise RefusedError("visit_days_bad", "走访间隔须为1至365天", "The visit interval must be 1 to 365 days")
    return {"risk": risk, "needs": (needs or "").strip()[:2000], "health_notes": (health_notes or "").strip()[:2000],
            "visit_every_days": days}


def _set_contacts(subject: CareSubject, contacts) -> None:
    _refuse(contacts_problem(contacts))
    subject.contacts.all().delete()
    EmergencyContact.objects.bulk_create([
        EmergencyContact(subject=subject, name=c.name.strip()[:50], relation=c.relation.strip()[:30],
                         phone=c.phone.strip()[:20], order=index)
        for index, c in enumerate(contacts)
    ])


# --- writes ------------------------------------------------------------------------------


@transaction.atomic
def register(user, person: Person, *, categories, consent_by: str = "", by_guardian: bool = False,
             risk: str = RiskLevel.MEDIUM, needs: str = "", health_notes: str = "", visit_every_days=None,
             contacts=()) -> CareSubject:
    """Put a resident of the user's places on the care register (or back on it)."""
    person = Person.objects.select_for_update().get(pk=person.pk)
    if not person.home_path:
        raise RefusedError("not_resident", "此人未在住户中登记，不能列入关爱对象",
                           "This person lives in no registered household")
    _require_manage(user, person.home_path)
    categories = list(dict.fromkeys(categories))
    held = set(PersonTag.objects.filter(person=person).values_list("tag", flat=True))
    from tongxin.core.models import Consent

    consented = frozenset(Consent.objects.filter(person=person, withdrawn_on__isnull=True)
                          .values_list("tag", flat=True)) | frozenset(held)
    _refuse(consent_problem(categories, child=is_child(person), given_by=consent_by, by_guardian=by_guardian,
                            already=consented))
    details = _clean_details(risk, needs, health_notes, visit_every_days)
    subject = CareSubject.objects.filter(person=person).first()
    if subject is not None and subject.closed_on is None:
        raise RefusedError("already_registered", f"{person.name}已是关爱对象",
                           f"{person.name} is already on the register")
    consent = ConsentGiven(given_by=consent_by.strip(), by_guardian=by_guardian) if consent_by.strip() else None
    for code in categories:
        if code not in held:
            add_tag(person, code, consent=consent if TAG_BY_CODE[code].needs_consent else None, by=user)
    if subject is None:
        subject = CareSubject(person=person, created_by=user)
    subject.home_path = person.home_path
    subject.closed_on, subject.closed_reason = None, ""
    for field, value in details.items():
        setattr(subject, field, value)
    try:
        with transaction.atomic():
            subject.save()
    except IntegrityError:
        raise RefusedError("already_registered", f"{person.name}已是关爱对象",
                           f"{person.name} is already on the register") from None
    _set_contacts(subject, list(contacts))
    return visits.reschedule(subject)  # the schedule is the visits' rule (``care.visit_rules``)


@transaction.atomic
def update(user, subject: CareSubject, *, risk: str, needs: str, health_notes: str, visit_every_days=None,
           contacts=()) -> CareSubject:
    subject = CareSubject.objects.select_for_update().get(pk=subject.pk)
    _require_manage(user, subject.home_path)
    if subject.closed_on:
        raise RefusedError("closed", "已移出关爱名单", "This subject has left the register")
    for field, value in _clean_details(risk, needs, health_notes, visit_every_days).items():
        setattr(subject, field, value)
    subject.save()
    _set_contacts(subject, list(contacts))
    return visits.reschedule(subject)


@transaction.atomic
def add_category(user, subject: CareSubject, code: str, *, consent_by: str = "", by_guardian: bool = False) -> None:
    _require_manage(user, subject.home_path)
    person = subject.person
    from tongxin.core.models import Consent

    live = Consent.objects.filter(person=person, withdrawn_on__isnull=True)
    consented = frozenset(live.values_list("tag", flat=True))
    _refuse(consent_problem([code], child=is_child(person), given_by=consent_by, by_guardian=by_guardian,
                            already=consented))
    consent = ConsentGiven(given_by=consent_by.strip(), by_guardian=by_guardian) if consent_by.strip() else None
    add_tag(person, code, consent=consent if TAG_BY_CODE[code].needs_consent else None, by=user)
    visits.reschedule(subject)  # a category may shorten the interval


@transaction.atomic
def withdraw_category(user, subject: CareSubject, code: str, *, reason: str = "") -> bool:
    """The subject (or guardian) withdrew consent for a care category: the core closes the
    consent and removes the category; who, when and why are kept here. False if the category
    was already gone (a double submit)."""
    subject = CareSubject.objects.select_for_update().get(pk=subject.pk)
    _require_manage(user, subject.home_path)
    held = set(PersonTag.objects.filter(person_id=subject.person_id).values_list("tag", flat=True))
    problem = withdraw_problem(code, held)
    if problem is not None and problem[0] == "category_not_held":
        return False
    _refuse(problem)
    withdraw_consent(subject.person, code)
    CategoryWithdrawal.objects.create(subject=subject, tag=code, reason=(reason or "").strip()[:200],
                                      withdrawn_by=user, withdrawn_at=timezone.now())
    visits.reschedule(subject)  # the interval may lengthen
    return True


def care_categories_left(subject: CareSubject) -> list[str]:
    return list(PersonTag.objects.filter(person_id=subject.person_id, tag__in=CARE_CATEGORIES)
                .order_by("tag").values_list("tag", flat=True))


@transaction.atomic
def close(user, subject: CareSubject, reason: str, *, on: datetime.date | None = None) -> CareSubject:
    """The subject leaves the register (moved away, passed away, no longer needs care); the
    live pairings end the same day. The categories stay: they are the registers' business."""
    subject = CareSubject.objects.select_for_update().get(pk=subject.pk)
    _require_manage(user, subject.home_path)
    reason = (reason or "").strip()
    if not reason:
        raise RefusedError("reason_missing", "请填写移出原因", "Please give the reason")
    if subject.closed_on:
        return subject
    on = on or timezone.localdate()
    subject.closed_on, subject.closed_reason = on, reason[:200]
    subject.save(update_fields=["closed_on", "closed_reason"])
    subject.pairings.filter(valid_to__isnull=True).update(valid_to=on)
    subject_closed.send(sender=CareSubject, subject=subject, on=on)
    return visits.reschedule(subject)  # a closed subject has no visit due


def helper_allowed(user, subject: CareSubject, helper: Person) -> bool:
    from tongxin.care.selectors.register import helper_candidates

    return helper_candidates(user, subject, ids=[helper.pk]).exists()


@transaction.atomic
def pair(user, subject: CareSubject, helper: Person, role: str) -> Pairing:
    subject = CareSubject.objects.select_for_update().select_related("person").get(pk=subject.pk)
    _require_manage(user, subject.home_path)
    if subject.closed_on:
        raise RefusedError("closed", "已移出关爱名单", "This subject has left the register")
    if role not in HelperRole.values:
        raise RefusedError("role_unknown", "请选择结对身份", "Choose what the helper is paired as")
    if helper.pk == subject.person_id:
        raise RefusedError("self_pairing", "不能与本人结对", "A subject cannot be their own helper")
    if not helper_allowed(user, subject, helper):
        raise RefusedError("helper_not_allowed", "只能从本社区的志愿者、党员、楼长、家庭医生或您管辖的居民中选择",
                           "Choose a helper among the community's volunteers and party members, the building's "
                           "chief or family doctor, or the residents of your places")
    if subject.pairings.filter(helper=helper, valid_to__isnull=True).exists():
        raise RefusedError("already_paired", f"{helper.name}已与其结对", f"{helper.name} is already paired")
    try:
        with transaction.atomic():
            pairing = Pairing.objects.create(subject=subject, helper=helper, role=role,
                                             valid_from=timezone.localdate(), paired_by=user)
    except IntegrityError:
        raise RefusedError("already_paired", f"{helper.name}已与其结对", f"{helper.name} is already paired") from None
    _notify_helper(pairing)
    return pairing


def _notify_helper(pairing: Pairing) -> None:
    from tongxin.core.models import User
    from tongxin.core.outbox import notify

    login = User.objects.filter(person_id=pairing.helper_id, is_active=True).first()
    if login is None:
        return
    notify("care_paired", f"care-pairing-{pairing.pk}", subject="您有新的结对关爱对象",
           body="请在“我的结对对象”中查看对方的情况和紧急联系人。", users=[login],
           url=reverse("care-my-subjects"))


@transaction.atomic
def end_pairing(user, pairing: Pairing, *, on: datetime.date | None = None) -> Pairing:
    pairing = Pairing.objects.select_for_update().select_related("subject").get(pk=pairing.pk)
    _require_manage(user, pairing.subject.home_path)
    if pairing.valid_to is None:
        pairing.valid_to = on or timezone.localdate()
        pairing.save(update_fields=["valid_to"])
    return pairing
