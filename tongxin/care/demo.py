"""Demo care register at 沙市花园 (东苑社区, the first demo community): about a dozen care
subjects — elderly people living alone, empty-nest elderly, a left-behind child (with a
guardian's consent), disabled residents, special hardship, a serious illness — most paired
with the volunteering demo's party members and volunteers and with building chiefs, two not
paired yet; emergency contacts for each.

Built on the registers' tree (``registers/demo.py``, whose residents already carry their
categories and consents) and the volunteering demo's members (``volunteering/demo.py``),
through the care services, so the consent rules hold. Idempotent: subjects are chosen in a
fixed order, an existing entry or pairing is kept, so a second run adds nothing.
"""

from __future__ import annotations

import datetime

from django.utils import timezone

from tongxin.care.models import CareSubject, Pairing
from tongxin.care.services import register as services
from tongxin.core.models import Person, Place, RoleAssignment, User
from tongxin.volunteering.models import Enrolment, Status

COMMUNITY, COMPOUND = "jz-dongyuan", "jz-dongyuan-ssh"
#: The volunteering demo's party member with a login: pair a few subjects with them.
MEMBER_PHONE = "13900000031"

# (category, how many, risk, needs, health notes, visit every days or None)
PLAN = (
    ("elderly_alone", 4, "high", "每周代买一次菜和药；帮忙交水电费", "高血压、糖尿病，行动不便，独自上下楼困难", 7),
    ("empty_nest", 2, "medium", "子女在外地工作，希望有人定期上门聊天", "轻度听力下降", 14),
    ("left_behind_child", 1, "medium", "父母在外务工，由奶奶照顾；需要课业辅导", "", 14),
    ("disabled", 2, "high", "轮椅出行，需要陪同就医；楼道扶手需要维修", "下肢残疾（二级）", 7),
    ("special_hardship", 2, "high", "申请临时救助；冬季取暖补贴", "无劳动能力，无固定收入", 7),
    ("serious_illness", 1, "high", "定期陪同到医院透析，协助申请大病救助", "尿毒症，每周透析三次", 7),
)
UNPAIRED = 2
CONTACT_RELATIONS = ("儿子", "女儿", "侄子", "外甥女")


def load(stdout) -> None:
    community = Place.objects.filter(code=COMMUNITY).first()
    compound = Place.objects.filter(code=COMPOUND).first()
    staff = _user_with_role("community_staff", community) if community else None
    if community is None or compound is None or staff is None:
        stdout.write("  care: the demo community 东苑社区 is missing; nothing loaded\n")
        return
    subjects = _subjects(staff, compound)
    paired = _pairings(staff, community, subjects)
    member = User.objects.filter(phone=MEMBER_PHONE).first()
    login = f"; login {MEMBER_PHONE} (a paired party member: 我的结对对象)" if member else ""
    stdout.write(f"  care: {len(subjects)} care subjects in {compound.name}, {paired} paired, "
                 f"{len(subjects) - paired} not yet{login}\n")


def _user_with_role(role: str, place: Place):
    assignment = (RoleAssignment.objects.filter(role=role, person__user__isnull=False, place__path__gte=place.path,
                                                place__path__lt=place.path_end)
                  .select_related("person__user").order_by("id").first())
    return assignment.person.user if assignment else None


def _residents(compound: Place):
    return Person.objects.filter(home_path__gte=compound.path, home_path__lt=compound.path_end,
                                 household__isnull=False).exclude(user__isnull=False).order_by("home_path", "pk")


def _candidates(compound: Place, tag: str, today: datetime.date):
    residents = _residents(compound)
    tagged = list(residents.filter(tags__tag=tag))
    if tag in ("empty_nest", "serious_illness"):  # not in the registers' demo: chosen among the elderly
        born_before = today.replace(year=today.year - 65)
        others = residents.filter(birth_date__lte=born_before, household__residents__isnull=False).exclude(
            tags__tag__in=("elderly_alone", "left_behind_child", "disabled", "special_hardship", tag)).distinct()
        tagged += list(others[:20])
    return tagged


def _subjects(staff, compound: Place) -> list[CareSubject]:
    today = timezone.localdate()
    chosen: list[CareSubject] = []
    taken: set[int] = set()
    serial = 0
    for tag, wanted, risk, needs, notes, every in PLAN:
        count = 0
        for person in _candidates(compound, tag, today):
            if count >= wanted:
                break
            if person.pk in taken:
                continue
            taken.add(person.pk)
            count += 1
            serial += 1
            existing = CareSubject.objects.filter(person=person).first()
            if existing is not None:
                chosen.append(existing)
                continue
            child = tag == "left_behind_child"
            consent_by = "王秀英（祖母）" if child else person.name
            contacts = [services.Contact(f"{person.name[0]}{'建国志红'[serial % 4]}{'明华'[serial % 2]}",
                                         CONTACT_RELATIONS[serial % len(CONTACT_RELATIONS)],
                                         f"1397160{serial:04d}")]
            if serial % 3 == 0:
                contacts.append(services.Contact("东苑社区值班室", "社区", "0716-8451234"))
            chosen.append(services.register(staff, person, categories=[tag], consent_by=consent_by,
                                            by_guardian=child, risk=risk, needs=needs, health_notes=notes,
                                            visit_every_days=every, contacts=contacts))
    return chosen


def _pairings(staff, community: Place, subjects: list[CareSubject]) -> int:
    """Every subject but the last ``UNPAIRED`` gets a helper: the demo party member with a login
    takes the first three, the others go round the community's approved members, and the
    building chief is added for the high-risk ones."""
    members = list(Enrolment.objects.filter(community=community, status=Status.APPROVED)
                   .select_related("person").order_by("id"))
    member = Enrolment.objects.filter(community=community, status=Status.APPROVED,
                                      person__user__phone=MEMBER_PHONE).select_related("person").first()
    others = [e for e in members if member is None or e.pk != member.pk]
    paired = 0
    for index, subject in enumerate(subjects[: max(len(subjects) - UNPAIRED, 0)]):
        if index < 3 and member is not None:
            enrolment = member
        elif others:
            enrolment = others[index % len(others)]
        else:
            enrolment = None
        if enrolment is not None:
            _pair(staff, subject, enrolment.person,
                  "party_member" if enrolment.kind == "party_member" else "volunteer")
        chief = (RoleAssignment.objects.filter(role="building_chief", valid_to__isnull=True,
                                               place__path__in=_lineage(subject.home_path))
                 .exclude(person_id=subject.person_id).order_by("id").first())
        if chief is not None and subject.risk == "high":
            _pair(staff, subject, chief.person, "building_chief")
        paired += Pairing.objects.filter(subject=subject, valid_to__isnull=True).exists()
    return paired


def _lineage(path: str) -> list[str]:
    from tongxin.core.tree import lineage

    return lineage(path)


def _pair(staff, subject: CareSubject, helper: Person, role: str) -> None:
    if helper.pk == subject.person_id or Pairing.objects.filter(subject=subject, helper=helper).exists():
        return
    services.pair(staff, subject, helper, role)
