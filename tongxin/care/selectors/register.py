"""Reading the care register, scoped: holders of ``care.view``/``care.manage`` see the subjects
living in their places; a subject's live paired helpers see that subject. Needs, health notes
and the care categories are sensitive: shown to ``care.manage`` at the subject's place and to
the live helpers only (each showing logged, :func:`log_reads`); everyone else sees the entry
masked."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q

from tongxin.care.apps import MANAGE, VIEW
from tongxin.care.models import CareSubject, Pairing
from tongxin.core import access, privacy
from tongxin.core.models import Person, PersonalDataRead, PersonTag
from tongxin.core.roles import VIEW_REGISTER
from tongxin.core.tags import TAG_BY_CODE
from tongxin.core.tree import lineage

LIST_LIMIT = 500
SENSITIVE_FIELDS = "care_categories,needs,health_notes"
HELPER_ROLES_AT_BUILDING = ("building_chief", "family_doctor")


def people(user, permission):
    """``person_grants`` hook (``core.access``): the live subjects paired with the user, for
    reading the registers (masked there) and the care register."""
    if permission not in (VIEW_REGISTER, VIEW) or not user.is_authenticated or not user.person_id:
        return None
    return CareSubject.objects.filter(closed_on__isnull=True, pairings__helper_id=user.person_id,
                                      pairings__valid_to__isnull=True).values("person_id")


def paired_subject_ids(user) -> set[int]:
    if not user.is_authenticated or not user.person_id:
        return set()
    cached = getattr(user, "_care_paired", None)
    if cached is None:
        cached = set(Pairing.objects.filter(helper_id=user.person_id, valid_to__isnull=True,
                                            subject__closed_on__isnull=True).values_list("subject_id", flat=True))
        user._care_paired = cached
    return cached


def can_see_details(user, subject: CareSubject) -> bool:
    return access.can_see_path(user, MANAGE, subject.home_path) or subject.pk in paired_subject_ids(user)


def can_manage(user, subject: CareSubject) -> bool:
    return access.can_see_path(user, MANAGE, subject.home_path)


def _scoped(user):
    return CareSubject.objects.filter(access.path_filter(user, VIEW, "home_path"))


def _with_person():
    live = Pairing.objects.filter(valid_to__isnull=True).select_related("helper").order_by("valid_from", "id")
    return (CareSubject.objects.select_related("person__household__place__parent")
            .prefetch_related(Prefetch("person__tags", queryset=PersonTag.objects.order_by("tag"), to_attr="tag_rows"),
                              Prefetch("pairings", queryset=live, to_attr="live_pairings")))


def building_of(subject: CareSubject):
    """The building (or villager group, courtyard) the subject lives in, from their household."""
    household = subject.person.household
    if household is None:
        return None
    place = household.place
    return place.parent if place.kind == "entrance" and place.parent_id else place


@dataclass
class Shown:
    """A subject as this viewer may see them."""

    subject: CareSubject
    unmasked: bool
    name: str
    categories: list
    building: object

    @property
    def pk(self):
        return self.subject.pk


def shown(user, subject: CareSubject, *, unmasked: bool | None = None) -> Shown:
    from django.utils.translation import gettext as _

    if unmasked is None:
        unmasked = can_see_details(user, subject)
    tags = getattr(subject.person, "tag_rows", None)
    if tags is None:
        tags = list(subject.person.tags.order_by("tag"))
    if unmasked:
        categories = [TAG_BY_CODE[t.tag].label for t in tags if t.tag in TAG_BY_CODE and TAG_BY_CODE[t.tag].sensitive]
    else:
        categories = [_("Care subject")]
    name = subject.person.name if unmasked else privacy.mask_name(subject.person.name)
    return Shown(subject, unmasked, name, categories, building_of(subject))


def log_reads(user, rows: list[Shown], context: str) -> None:
    """One ``PersonalDataRead`` per unmasked subject shown, in one statement."""
    reads = [PersonalDataRead(user=user, person_id=row.subject.person_id, fields=SENSITIVE_FIELDS,
                              context=context[:200]) for row in rows if row.unmasked]
    if reads:
        PersonalDataRead.objects.bulk_create(reads)


def register_list(user, *, q: str = "", closed: bool = False) -> tuple[list[Shown], list[Shown], bool]:
    """(unpaired, paired, more): unpaired subjects first, by building; then the rest. A few
    statements however long the register is."""
    live = Pairing.objects.filter(subject=OuterRef("pk"), valid_to__isnull=True)
    subjects = (_with_person().filter(access.path_filter(user, VIEW, "home_path"))
                .filter(closed_on__isnull=not closed).annotate(paired=Exists(live)))
    q = (q or "").strip()
    if q:
        subjects = subjects.filter(Q(person__name__icontains=q) | Q(person__household__unit_number__icontains=q))
    rows = list(subjects.order_by("paired", "home_path", "person__name", "pk")[: LIST_LIMIT + 1])
    more = len(rows) > LIST_LIMIT
    shown_rows = [shown(user, subject) for subject in rows[:LIST_LIMIT]]
    unpaired = [row for row in shown_rows if not row.subject.paired]
    paired = [row for row in shown_rows if row.subject.paired]
    return unpaired, paired, more


def visible_subject(user, pk: int) -> CareSubject | None:
    """The subject if it lies in the user's care places or the user is a live helper of it."""
    subject = _with_person().filter(pk=pk).first()
    if subject is None or not user.is_authenticated:
        return None
    if access.can_see_path(user, VIEW, subject.home_path) or subject.pk in paired_subject_ids(user):
        return subject
    return None


def my_subjects(user) -> list[Shown]:
    ids = paired_subject_ids(user)
    if not ids:
        return []
    subjects = _with_person().filter(pk__in=ids, closed_on__isnull=True).prefetch_related("contacts")
    return [shown(user, subject, unmasked=True) for subject in subjects.order_by("home_path", "pk")]


def history(subject: CareSubject) -> list[Pairing]:
    ended = subject.pairings.filter(valid_to__isnull=False).select_related("helper")
    return list(ended.order_by("-valid_to", "-id")[:20])


def residents(user, q: str, limit: int = 30):
    """Residents of the user's places (``care.manage``) by name or unit number, for registering."""
    q = (q or "").strip()
    if not q:
        return []
    found = (Person.objects.filter(access.path_filter(user, MANAGE, "home_path"), household__isnull=False)
             .filter(Q(name__icontains=q) | Q(household__unit_number__icontains=q))
             .select_related("household__place", "care").order_by("home_path", "name"))
    return list(found[:limit])


def resident(user, pk) -> Person | None:
    if not str(pk).isdigit():
        return None
    return (Person.objects.filter(access.path_filter(user, MANAGE, "home_path"), household__isnull=False, pk=pk)
            .select_related("household__place").first())


def _community_path(subject: CareSubject) -> str | None:
    from tongxin.core.models import Place

    found = Place.objects.filter(path__in=lineage(subject.home_path), kind__in=("community", "village"))
    return found.order_by("-path").values_list("path", flat=True).first()


def helper_candidates(user, subject: CareSubject, *, q: str = "", ids=None):
    """People the subject may be paired with, all within what the user may see: approved
    volunteers and party members of the subject's community, the building chief and family
    doctor of the subject's building, and (by name) residents of the user's places."""
    from tongxin.volunteering.models import Enrolment, Status

    community = _community_path(subject)
    visible = access.person_filter(user, VIEW_REGISTER)
    enrolled = Enrolment.objects.filter(status=Status.APPROVED, community_path=community) if community else None
    at_building = access.current_assignments().filter(role__in=HELPER_ROLES_AT_BUILDING,
                                                      place__path__in=lineage(subject.home_path))
    condition = Q(pk__in=at_building.values("person_id"))
    if enrolled is not None:
        condition |= Q(pk__in=enrolled.values("person_id")) & visible
    if ids is not None:
        condition |= access.path_filter(user, MANAGE, "home_path") & Q(household__isnull=False)
        return Person.objects.filter(condition, pk__in=ids)
    if q.strip():
        condition |= (access.path_filter(user, MANAGE, "home_path") & Q(household__isnull=False)
                      & Q(name__icontains=q.strip()))
    return Person.objects.filter(condition).exclude(pk=subject.person_id).order_by("name")[:100]


def candidate_rows(user, subject: CareSubject, q: str = "") -> list[dict]:
    """The candidates with what each would be paired as, in three statements."""
    from tongxin.volunteering.models import Enrolment, Status

    found = list(helper_candidates(user, subject, q=q))
    ids = [p.pk for p in found]
    roles = dict(access.current_assignments().filter(person_id__in=ids, role__in=HELPER_ROLES_AT_BUILDING,
                                                     place__path__in=lineage(subject.home_path))
                 .values_list("person_id", "role"))
    kinds = dict(Enrolment.objects.filter(person_id__in=ids, status=Status.APPROVED).values_list("person_id", "kind"))
    paired = {p.helper_id for p in getattr(subject, "live_pairings", [])}
    rows = []
    for person in found:
        if person.pk in paired:
            continue
        role = roles.get(person.pk) or {"party_member": "party_member", "volunteer": "volunteer"}.get(
            kinds.get(person.pk), "neighbour")
        rows.append({"person": person, "role": role})
    return rows


def counts_in(user) -> dict:
    base = _scoped(user).filter(closed_on__isnull=True)
    live = Pairing.objects.filter(subject=OuterRef("pk"), valid_to__isnull=True)
    return {"total": base.count(), "unpaired": base.filter(~Exists(live)).count()}
