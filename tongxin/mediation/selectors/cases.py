"""Reading case files. A case is seen by holders of ``mediation.manage`` at its place and by
its own mediators, nobody else (its contents are sensitive). Phones of the parties are
masked unless the viewer asks to see them (:func:`parties`), and every unmasked read is
logged in ``core.PersonalDataRead``: by the person for a party in the registers, by a keyed
hash of the phone for one typed in. ID numbers are never shown."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, Q
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import PersonalDataRead
from tongxin.core.pagination import newest_first_page
from tongxin.core.privacy import mask_phone, phone_hash
from tongxin.mediation import rules
from tongxin.mediation.apps import MANAGE
from tongxin.mediation.models import Case, FollowUp, Mediator, Party, Session, Signature

PAGE = 30


def _my_case_ids(user):
    return Mediator.objects.filter(person_id=user.person_id).values("case_id")


def scoped(user):
    """The cases the user may open: at their ``manage`` places, or mediated by them."""
    if not user.is_authenticated:
        return Case.objects.none()
    condition = access.path_filter(user, MANAGE, "place_path")
    if user.person_id:
        condition |= Q(pk__in=_my_case_ids(user))
    return Case.objects.filter(condition)


def case_list(user, *, state: str = "", case_type: str = "", overdue: bool = False, q: str = "",
              before: str = "", mine: bool = False) -> tuple[list[Case], int | None]:
    """Newest first, keyset-paged (one statement per page whatever the page)."""
    cases = scoped(user).select_related("place")
    if mine:
        cases = cases.filter(pk__in=_my_case_ids(user)) if user.person_id else cases.none()
    if state:
        cases = cases.filter(state=state)
    if case_type:
        cases = cases.filter(case_type=case_type)
    if overdue:
        cases = cases.filter(state__in=rules.OPEN_STATES, deadline__lt=timezone.localdate())
    if q.strip():
        cases = cases.filter(title__icontains=q.strip())
    return newest_first_page(cases, before, PAGE)


def visible_case(user, pk: int) -> Case | None:
    """The case with everything its page shows, if the user may see it."""
    case = (scoped(user).filter(pk=pk).select_related("place", "agreement", "confirmation", "hand_off")
            .prefetch_related(
                Prefetch("parties", queryset=Party.objects.select_related("person").order_by("order", "id")),
                Prefetch("mediators", queryset=Mediator.objects.select_related("person").order_by("id")),
                Prefetch("sessions", queryset=Session.objects.order_by("held_on", "id")),
                Prefetch("follow_ups", queryset=FollowUp.objects.order_by("visited_on", "id")))
            .first())
    return case


def can_manage(user, case: Case) -> bool:
    return access.can_see_path(user, MANAGE, case.place_path)


def signatures(case: Case) -> dict[int, Signature]:
    agreement = getattr(case, "agreement", None) if _has_agreement(case) else None
    if agreement is None:
        return {}
    return {s.party_id: s for s in agreement.signatures.all()}


def _has_agreement(case: Case) -> bool:
    try:
        case.agreement  # noqa: B018 - the reverse one-to-one raises when there is none
    except Case.agreement.RelatedObjectDoesNotExist:
        return False
    return True


def related(case: Case, name: str):
    """A reverse one-to-one (agreement, confirmation, hand_off) or None."""
    try:
        return getattr(case, name)
    except Exception:  # noqa: BLE001 - RelatedObjectDoesNotExist of each relation
        return None


@dataclass
class ShownParty:
    party: Party
    name: str
    phone: str
    unmasked: bool


def parties(user, case: Case, *, reveal: bool, context: str) -> list[ShownParty]:
    """The parties as this viewer sees them; with ``reveal`` (the case's mediators and managers
    only) the phones unmasked, each read logged in one statement per log."""
    rows = list(case.parties.all())
    if not reveal:
        return [ShownParty(p, p.name, mask_phone(p.phone_number), False) for p in rows]
    PersonalDataRead.objects.bulk_create([
        PersonalDataRead(user=user, person_id=p.person_id, phone_hash="" if p.person_id else phone_hash(p.phone_number),
                         fields="phone", context=context[:200])
        for p in rows if p.phone_number])
    return [ShownParty(p, p.name, p.phone_number, True) for p in rows]


def deadline_info(case: Case, today=None) -> dict:
    today = today or timezone.localdate()
    return {"overdue": rules.is_overdue(case.state, case.deadline, today),
            "days_left": rules.days_left(case.deadline, today) if case.state in rules.OPEN_STATES else None}
