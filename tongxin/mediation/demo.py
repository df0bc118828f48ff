"""Demo mediation at 东苑社区 (the first demo community), in the figures of seed 000 (一事一档:
13 received, 12 settled): over the past year 13 disputes at 沙市花园, 12 settled by agreement
(followed up and closed, one written agreement signed on paper with its PDF), one handed to
the police; and this month one case past its deadline and one just received.

The community's 人民调解委员会 (registers' demo) gets three members from the compound, one
with a login (13900000083). Through the services, so the rules hold; dates are set back
afterwards where the services stamp today. Idempotent: a case is found by its title first.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from tongxin.core.models import Organisation, OrganisationMember, Person, Place, Position, RoleAssignment, User
from tongxin.core.services.roles import create_login
from tongxin.mediation import rules
from tongxin.mediation.files import agreement_pdf
from tongxin.mediation.models import Agreement, Case, Signature
from tongxin.mediation.services import cases as services

COMMUNITY, COMPOUND, COMMITTEE = "jz-dongyuan", "jz-dongyuan-ssh", "jz-dongyuan-rc-mediation"
MEDIATOR_PHONE = "13900000083"

# (title, type, channel, months ago, terms)
SETTLED = (
    ("楼上卫生间漏水致楼下天花板受损", "neighbours", "in_person", 11, "十日内修复防水层，赔偿楼下维修费1200元"),
    ("楼道堆放杂物引发邻里争执", "neighbours", "grid", 10, "双方三日内清理楼道杂物，今后不再堆放"),
    ("物业费上调争议", "property", "phone", 10, "物业公司暂缓上调，下季度召开业主协商会后再定"),
    ("电动车楼道充电纠纷", "property", "grid", 9, "业主停止楼道充电，物业增设充电桩两处"),
    ("赡养老人费用分担", "family", "in_person", 8, "三个子女每月各付赡养费800元，轮流陪护"),
    ("租房押金退还纠纷", "tenancy", "phone", 7, "房东退还押金2000元，扣除水电费86元"),
    ("装修噪音扰民", "neighbours", "initiative", 6, "装修时间限定为工作日8:00—12:00、14:00—18:00"),
    ("家政服务工钱拖欠", "labour", "in_person", 5, "雇主于七日内结清工钱3600元"),
    ("高空坠物砸坏车辆", "damage", "grid", 4, "责任人赔偿修车费2500元，分两期付清"),
    ("离婚后子女探望安排", "family", "in_person", 3, "每周六探望一次，寒暑假各共同生活两周"),
    ("宠物狗咬伤邻居", "damage", "phone", 2, "犬主人承担医药费1480元并为犬只办理登记"),
    ("空调外机噪音和滴水", "neighbours", "grid", 1, "三日内加装减震垫和排水管"),
)
HANDED = ("停车位争执发生肢体冲突", "damage", "initiative", 6)
OVERDUE = ("相邻墙体开裂责任纠纷", "neighbours", "in_person", 40)  # accepted 40 days ago
NEW = ("广场舞噪音投诉", "neighbours", "phone")


def load(stdout) -> None:
    community = Place.objects.filter(code=COMMUNITY).first()
    compound = Place.objects.filter(code=COMPOUND).first()
    committee = Organisation.objects.filter(code=COMMITTEE).first()
    staff = _user_with_role("community_staff", community) if community else None
    if None in (community, compound, committee, staff):
        stdout.write("  mediation: the demo community 东苑社区 is missing; nothing loaded\n")
        return
    mediators = _committee(committee, compound)
    residents = list(Person.objects.filter(home_path__gte=compound.path, home_path__lt=compound.path_end,
                                           household__isnull=False, user__isnull=True)
                     .exclude(pk__in=[m.pk for m in mediators]).order_by("home_path", "pk")[:40])
    today = timezone.localdate()
    made = 0
    for index, (title, kind, channel, months, terms) in enumerate(SETTLED):
        received = rules.add_months(today, -months)
        made += _settled(staff, compound, mediators, residents, index, title, kind, channel, received, terms,
                         written=index == 0)
    made += _handed(staff, compound, residents, rules.add_months(today, -HANDED[3]))
    made += _overdue(staff, compound, mediators, residents, today - datetime.timedelta(days=OVERDUE[3]))
    if not Case.objects.filter(title=NEW[0], place_path=compound.path).exists():
        services.open_case(staff, compound, title=NEW[0], case_type=NEW[1], channel=NEW[2], applicant="居民代表",
                           parties=[services.PartyInput(name="居民代表", phone="13977770001"),
                                    services.PartyInput(name="广场舞队负责人", phone="13977770002")])
        made += 1
    stdout.write(f"  mediation: {made} cases at {compound.name} ({len(SETTLED)} settled, 1 handed off, 1 overdue, "
                 f"1 new); mediator login {MEDIATOR_PHONE}\n")


def _user_with_role(role: str, place: Place):
    assignment = (RoleAssignment.objects.filter(role=role, person__user__isnull=False, place__path__gte=place.path,
                                                place__path__lt=place.path_end)
                  .select_related("person__user").order_by("id").first())
    return assignment.person.user if assignment else None


def _committee(committee: Organisation, compound: Place) -> list[Person]:
    members = list(Person.objects.filter(organisation_memberships__organisation=committee).order_by("pk"))
    if len(members) >= 3:
        return members
    found = list(Person.objects.filter(home_path__gte=compound.path, home_path__lt=compound.path_end,
                                       user__isnull=True, birth_date__lte=datetime.date(1975, 1, 1))
                 .order_by("-home_path", "pk")[:3])
    for order, person in enumerate(found):
        OrganisationMember.objects.get_or_create(
            organisation=committee, person=person,
            position=Position.CHAIR if order == 0 else Position.COMMITTEE_MEMBER,
            defaults={"valid_from": datetime.date(2023, 1, 1)})
    if found and not User.objects.filter(phone=MEDIATOR_PHONE).exists():
        Person.objects.filter(pk=found[0].pk).update(phone=MEDIATOR_PHONE)
        found[0].phone = MEDIATOR_PHONE
        create_login(found[0], phone=MEDIATOR_PHONE, password=settings.TONGXIN_DEMO_PASSWORD)
    return found


def _open(staff, compound, residents, index, title, kind, channel, received) -> Case:
    first, second = residents[(2 * index) % len(residents)], residents[(2 * index + 1) % len(residents)]
    return services.open_case(
        staff, compound, title=title, case_type=kind, channel=channel, received_on=received,
        applicant="" if channel == "initiative" else first.name, referred_by="网格员" if channel == "grid" else "",
        facts=f"{first.name}与{second.name}因{title}发生争议，申请调解。",
        parties=[services.PartyInput(person=first), services.PartyInput(person=second)])


def _settled(staff, compound, mediators, residents, index, title, kind, channel, received, terms, *,
             written: bool) -> int:
    if Case.objects.filter(title=title, place_path=compound.path).exists():
        return 0
    case = _open(staff, compound, residents, index, title, kind, channel, received)
    case = services.accept(staff, case, on=received)
    services.add_mediator(staff, case, mediators[index % len(mediators)])
    held = received + datetime.timedelta(days=3 + index % 5)
    services.record_session(staff, case, held_on=held, attended="双方当事人、人民调解员",
                            record="双方陈述事实和诉求；调解员释法说理，双方互谅互让。")
    agreement = services.record_agreement(staff, case, form="written" if written else "oral",
                                          text=f"{title}：经调查，事实清楚。", terms=terms,
                                          performance="按协议约定期限履行", reached_on=held)
    if written:
        for party in case.parties.all():
            services.sign_on_paper(staff, case, party.pk, ContentFile(b"", name="scan.pdf"))
        Signature.objects.filter(agreement=agreement).update(signed_at=timezone.make_aware(
            datetime.datetime.combine(held, datetime.time(10))))
        Agreement.objects.filter(pk=agreement.pk).update(effective_on=held)
        agreement.refresh_from_db()
        for signature in Signature.objects.filter(agreement=agreement):  # the printed agreement, as scanned
            signature.scan.save(f"case-{case.pk}-{signature.pk}.pdf", ContentFile(agreement_pdf(case, agreement)))
    visited = min(held + datetime.timedelta(days=20), timezone.localdate())
    services.follow_up(staff, case, visited_on=visited, kept="kept", note="回访：协议已履行，双方满意。")
    services.close(staff, case, on=visited)
    return 1


def _handed(staff, compound, residents, received) -> int:
    title, kind, channel, _months = HANDED
    if Case.objects.filter(title=title, place_path=compound.path).exists():
        return 0
    case = _open(staff, compound, residents, 15, title, kind, channel, received)
    services.hand_off(staff, case, to_kind="police", to_whom="沙市区公安分局朝阳派出所",
                      reason="双方发生肢体冲突，移交公安机关进行治安调解", on=received + datetime.timedelta(days=1))
    return 1


def _overdue(staff, compound, mediators, residents, accepted) -> int:
    title, kind, channel, _days = OVERDUE
    if Case.objects.filter(title=title, place_path=compound.path).exists():
        return 0
    case = services.accept(staff, _open(staff, compound, residents, 16, title, kind, channel, accepted), on=accepted)
    services.add_mediator(staff, case, mediators[0])
    services.record_session(staff, case, held_on=accepted + datetime.timedelta(days=5), attended="双方当事人",
                            record="双方对墙体开裂原因各执一词，约定委托房屋安全鉴定后再调。")
    return 1
