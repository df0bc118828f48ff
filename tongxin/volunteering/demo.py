"""Demo volunteering at 东苑社区 (the first demo community): both halves of 双报到, service posts
and teams, a 片长, household links for about two thirds of 沙市花园 (some buildings poorly
covered), open tasks and micro-wishes, a confirmed claim, a weekly and a monthly activity.

Built on the registers' demo tree (``registers/demo.py``) and the demands' sample reports, with
the models directly. Idempotent like the demands' loader: every row is found by its natural key
before it is made, so a second run adds nothing. Dates count from today, so the activities have
sessions behind and ahead of the day the demo is loaded.
"""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tongxin.core.models import (
    Household,
    Organisation,
    OrganisationMember,
    OrganisationRelation,
    Person,
    PersonTag,
    Place,
    Position,
    RoleAssignment,
    User,
)
from tongxin.core.services.roles import assign_role, create_login
from tongxin.volunteering.models import (
    Activity,
    Attendance,
    Claim,
    ClaimState,
    Enrolment,
    EnrolmentKind,
    HouseholdLink,
    JointProject,
    PostChoice,
    PostKind,
    Recurrence,
    ServicePost,
    Session,
    SignUp,
    SignUpState,
    Status,
    Task,
    TaskKind,
    TaskState,
    TeamSpecialty,
    UnitRegistration,
)
from tongxin.volunteering.services.ledger import record_attendance, record_claim

COMMUNITY, COMPOUND, OLD_COMPOUND = "jz-dongyuan", "jz-dongyuan-ssh", "jz-dongyuan-fzc"
#: Demo logins beside the registers' one-per-role list (1390000 00NN): a dual-registered party
#: member living in 沙市花园 2栋, and the branch secretary of a registered work unit.
MEMBER_PHONE, SECRETARY_PHONE = "13900000031", "13900000032"
SINCE = datetime.date(2025, 3, 1)

# (work unit code, work unit, its branch, secretary, contact phone, joint project: title, goals)
UNITS = (
    ("jz-zwfw", "荆州市政务服务和大数据管理局", "荆州市政务服务和大数据管理局机关党支部", "周文斌", "13907160321",
     "“一网通办”进社区", "每月两次派党员到社区党群服务中心帮居民办理社保、医保、公积金等线上业务；"
     "为60岁以上老人开设智能手机使用课堂，全年不少于12期。"),
    ("jz-cypcs", "沙市区公安分局朝阳派出所", "沙市区公安分局朝阳派出所党支部", "陈国华", "13907160432",
     "平安楼栋共建", "民警党员每周到沙市花园巡逻一次，逐栋开展防诈骗宣传；协助楼长排查消防通道占用，"
     "年底前实现电动车“进楼入户”清零。"),
)
POSTS = (
    (PostKind.PUBLICITY, "政策宣传员", "在楼栋宣传栏和业主群宣讲惠民政策、防诈骗知识", 6),
    (PostKind.OPINIONS, "民情信息员", "每月走访联系户，收集居民诉求和意见，及时反馈网格员", 10),
    (PostKind.CONVENIENCE, "便民服务员", "为老人代购代办、陪同就医、义务理发等", 8),
    (PostKind.MEDIATION, "矛盾调解员", "协助调解邻里纠纷、物业纠纷，做到小事不出楼栋", 4),
    (PostKind.CULTURE, "文化活动员", "组织广场舞、书法、读书会等居民文化活动", 5),
)
TEAMS = (
    (TeamSpecialty.POLICY, "东苑社区政策宣讲服务队"),
    (TeamSpecialty.LEGAL, "东苑社区法律援助服务队"),
    (TeamSpecialty.MEDICAL, "东苑社区医疗健康服务队"),
    (TeamSpecialty.REPAIR, "东苑社区便民维修服务队"),
)
SKILLS = ("政策宣讲", "法律咨询", "测血压、健康咨询", "水电维修", "理发", "书法", "电脑和手机使用", "心理疏导",
          "家电维修", "文艺演出")
#: Share of each building's households linked (buildings in order): some buildings poorly covered.
COVERAGE = (0.9, 0.9, 0.85, 0.9, 0.85, 0.8, 0.85, 0.8, 0.45, 0.35, 0.1, 0.0)
#: Households a member looks after: the last four approved are new and have few or none yet.
FULL_LOAD, NEW_LOADS = 12, (6, 4, 2, 0)


def load(stdout) -> None:
    community = Place.objects.filter(code=COMMUNITY).first()
    compound = Place.objects.filter(code=COMPOUND).first()
    if community is None or compound is None:
        stdout.write("  volunteering: the demo community 东苑社区 is missing; nothing loaded\n")
        return
    Loader(community, compound).run(stdout)


def _user_with_role(role: str, place: Place):
    assignment = (
        RoleAssignment.objects.filter(role=role, person__user__isnull=False, place__path__gte=place.path,
                                      place__path__lt=place.path_end)
        .select_related("person__user").order_by("id").first()
    )
    return assignment.person.user if assignment else None


def _login(person: Person, phone: str) -> None:
    if User.objects.filter(phone=phone).exists():
        return
    Person.objects.filter(pk=person.pk).update(phone=phone)
    person.phone = phone
    create_login(person, phone=phone, password=settings.TONGXIN_DEMO_PASSWORD)


def _at(day: datetime.date, time: datetime.time) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, time))


class Loader:
    def __init__(self, community: Place, compound: Place):
        self.community, self.compound = community, compound
        self.today = timezone.localdate()
        self.staff = _user_with_role("community_staff", community)
        self.worker = _user_with_role("grid_worker", community) or self.staff
        self.counts: dict[str, int] = {}

    def run(self, stdout) -> None:
        units = self.units()
        members, pending = self.enrolments(units)
        self.posts_and_teams(members)
        links = self.links(members)
        tasks = self.tasks(members)
        sessions, attended = self.activities(members)
        stdout.write(
            f"  volunteering: {len(units)} work units registered with {self.community.name}, "
            f"{len(members)} approved members and volunteers, {len(pending)} waiting; {links} household links "
            f"in {self.compound.name}; {tasks} open tasks and micro-wishes; {sessions} activity sessions, "
            f"{attended} attendances; logins {MEMBER_PHONE} (party member), {SECRETARY_PHONE} (branch secretary)\n"
        )

    # --- 双报到, the work units' half -----------------------------------------------------------
    def units(self) -> list[Organisation]:
        district = self.community.ancestors().filter(kind="district").first()
        community_party = Organisation.objects.filter(place=self.community, kind="party_committee").first() or \
            Organisation.objects.filter(place=self.community, kind="party_branch").order_by("id").first()
        branches = []
        for index, (code, unit_name, branch_name, secretary_name, phone, title, goals) in enumerate(UNITS):
            unit, _ = Organisation.objects.get_or_create(code=code, defaults={
                "name": unit_name, "kind": "work_unit", "place": district, "started_on": datetime.date(2015, 3, 1)})
            branch, _ = Organisation.objects.get_or_create(code=f"{code}-party", defaults={
                "name": branch_name, "kind": "party_branch", "parent": unit, "place": unit.place,
                "started_on": datetime.date(2016, 5, 1)})
            secretary = Person.objects.filter(name=secretary_name, phone__in=(phone, SECRETARY_PHONE)).first()
            if secretary is None:
                secretary = Person.objects.create(name=secretary_name, phone=phone, gender="male")
            OrganisationMember.objects.get_or_create(organisation=branch, person=secretary,
                                                     position=Position.SECRETARY, valid_to=None,
                                                     defaults={"valid_from": branch.started_on})
            if index == 0:
                if not RoleAssignment.objects.filter(person=secretary, role="branch_secretary",
                                                     organisation=branch).exists():
                    assign_role(secretary, "branch_secretary", organisation=branch, on=SINCE)
                _login(secretary, SECRETARY_PHONE)
            registration, _ = UnitRegistration.objects.get_or_create(
                unit=branch, community=self.community, status=Status.APPROVED, defaults={
                    "community_path": self.community.path, "contact_name": secretary_name, "contact_phone": phone,
                    "decided_at": _at(SINCE, datetime.time(10)), "decided_by": self.staff,
                    "note": "在职党员到社区报到，结对共建"})
            if community_party is not None and community_party.pk != branch.pk:
                OrganisationRelation.objects.get_or_create(
                    subject=branch, object=community_party, kind="paired", valid_to=None,
                    defaults={"valid_from": SINCE})
            year = self.today.year - 1 if index == 0 else self.today.year
            project, created = JointProject.objects.get_or_create(registration=registration, title=title, defaults={
                "goals": goals, "year": year, "signed_on": datetime.date(year, 3, 5)})
            if created and index == 0:
                project.review = ("全年开展“一网通办”帮办服务24次，帮办业务316件；智能手机课堂13期，"
                                  "培训老人265人次。目标全部完成，居民满意度98%。")
                project.goals_met = True
                project.reviewed_at = _at(datetime.date(year, 12, 20), datetime.time(15))
                project.reviewed_by = self.staff
                project.save()
            branches.append(branch)
        return branches

    # --- 双报到, the members' half ----------------------------------------------------------------
    def enrolments(self, units) -> tuple[list[Enrolment], list[Enrolment]]:
        compound = self.compound
        residents = Person.objects.filter(home_path__gte=compound.path, home_path__lt=compound.path_end,
                                          household__isnull=False)
        born = Q(birth_date__gte=self.today.replace(year=self.today.year - 62),
                 birth_date__lte=self.today.replace(year=self.today.year - 24))
        party = set(PersonTag.objects.filter(tag="party_member", person__in=residents).values_list("person_id",
                                                                                                    flat=True))
        with_login = set(User.objects.filter(person__isnull=False).values_list("person_id", flat=True))
        # The demo member with a login: the party member of 2栋 (a named person on the door poster).
        buildings = list(compound.subtree().filter(kind="building").order_by("path"))
        named = RoleAssignment.objects.filter(role="building_party_member", place=buildings[1]).first() \
            if len(buildings) > 1 else None
        candidates = list(residents.filter(born).order_by("home_path", "id").values_list("id", "home_path"))
        named_id = named.person_id if named is not None else None
        party_ids, volunteer_ids, seen_blocks = [], [], {}
        for pid, home in candidates:  # spread across the buildings: at most 3 members per building
            block = home[: len(compound.path) + 5]
            if pid in with_login or pid == named_id or seen_blocks.get(block, 0) >= 3:
                continue
            if pid in party and len(party_ids) < 15:
                party_ids.append(pid)
            elif pid not in party and len(volunteer_ids) < 7:
                volunteer_ids.append(pid)
            else:
                continue
            seen_blocks[block] = seen_blocks.get(block, 0) + 1
        if named_id is not None:
            party_ids = [named_id, *party_ids][:15]
        people = Person.objects.in_bulk([*party_ids, *volunteer_ids])
        approved, pending = [], []
        for index, pid in enumerate(party_ids + volunteer_ids):
            is_party = index < len(party_ids)
            person = people[pid]
            waiting = index in (len(party_ids) - 1, len(party_ids) + len(volunteer_ids) - 1)  # one of each
            unit = units[index % len(units)] if is_party and units else None
            enrolment = Enrolment.objects.filter(person=person, community=self.community,
                                                 status__in=(Status.PENDING, Status.APPROVED)).first()
            if enrolment is None:
                enrolment = Enrolment.objects.create(
                    person=person, user=getattr(person, "user", None), community=self.community,
                    community_path=self.community.path,
                    kind=EnrolmentKind.PARTY_MEMBER if is_party else EnrolmentKind.VOLUNTEER,
                    home=person.household.place, home_path=person.home_path, unit=unit,
                    skills="、".join({SKILLS[index % len(SKILLS)]: 1, SKILLS[(index * 3 + 1) % len(SKILLS)]: 1}),
                    status=Status.PENDING if waiting else Status.APPROVED,
                    decided_at=None if waiting else _at(SINCE + datetime.timedelta(days=index), datetime.time(9)),
                    decided_by=None if waiting else self.staff,
                )
            if unit is not None:
                OrganisationMember.objects.get_or_create(organisation=unit, person=person, position=Position.MEMBER,
                                                         valid_to=None, defaults={"valid_from": unit.started_on})
            (pending if waiting else approved).append(enrolment)
        if named is not None:
            member = next(e for e in approved if e.person_id == named.person_id)
            _login(member.person, MEMBER_PHONE)
            if member.user_id is None:
                member.user = User.objects.get(phone=MEMBER_PHONE)
                member.save(update_fields=["user"])
            self.member = member
        else:
            self.member = approved[0]
        # 片长: a party member leads the old textile-mill dormitory (seed 000's 下沉党员 as area chief).
        old = Place.objects.filter(code=OLD_COMPOUND).first() or self.compound
        leader = next(e for e in approved if e.kind == EnrolmentKind.PARTY_MEMBER and e.pk != self.member.pk)
        if leader.leads_id is None:
            leader.leads = old
            leader.save(update_fields=["leads"])
        return approved, pending

    # --- posts and teams (seed 004) -------------------------------------------------------------------
    def posts_and_teams(self, members) -> None:
        posts = []
        for kind, name, description, needed in POSTS:
            post, _ = ServicePost.objects.get_or_create(community=self.community, name=name, defaults={
                "community_path": self.community.path, "kind": kind, "description": description,
                "places_needed": needed})
            posts.append(post)
        for index, enrolment in enumerate(members):
            PostChoice.objects.get_or_create(enrolment=enrolment, post=posts[index % len(posts)])
            if index % 3 == 0:
                PostChoice.objects.get_or_create(enrolment=enrolment, post=posts[(index + 2) % len(posts)])
        self.teams = {}
        for number, (specialty, name) in enumerate(TEAMS):
            team, _ = Organisation.objects.get_or_create(code=f"{COMMUNITY}-vt-{specialty}", defaults={
                "name": name, "kind": "volunteer_team", "subtype": specialty, "place": self.community,
                "started_on": datetime.date(2023, 3, 5)})
            self.teams[specialty] = team
            crew = [e for i, e in enumerate(members) if i % len(TEAMS) == number]
            for position_index, enrolment in enumerate(crew):
                OrganisationMember.objects.get_or_create(
                    organisation=team, person_id=enrolment.person_id,
                    position=Position.CHAIR if position_index == 0 else Position.MEMBER, valid_to=None,
                    defaults={"valid_from": SINCE})

    # --- 三联系: households ----------------------------------------------------------------------------
    def links(self, members) -> int:
        buildings = list(self.compound.subtree().filter(kind="building").order_by("path"))
        load = {e.pk: 0 for e in members}  # counted here, not read back: a second run picks the same pairs
        caps = {e.pk: FULL_LOAD for e in members}
        caps.update({e.pk: cap for e, cap in zip(members[-len(NEW_LOADS):], NEW_LOADS, strict=False)})
        made = 0
        for index, building in enumerate(buildings):
            share = COVERAGE[index] if index < len(COVERAGE) else 0.5
            households = list(Household.objects.filter(place_path__gte=building.path, place_path__lt=building.path_end,
                                                       closed_on__isnull=True).order_by("place_path", "unit_number",
                                                                                         "id"))
            # Spread evenly through the building: household n when the running share passes a whole one.
            chosen = [h for n, h in enumerate(households) if int((n + 1) * share) > int(n * share)]
            for household in chosen:
                free = [e for e in members if load[e.pk] < caps[e.pk]]
                if not free:
                    break
                near = [e for e in free if e.home_path.startswith(building.path)]
                enrolment = min(near or free, key=lambda e: (load[e.pk], e.pk))
                load[enrolment.pk] += 1
                HouseholdLink.objects.get_or_create(
                    household=household, enrolment=enrolment, valid_to=None,
                    defaults={"place_path": household.place_path, "valid_from": SINCE + datetime.timedelta(days=30),
                              "linked_by": self.staff})
                made += 1
        # History: a volunteer who handed a household over when moving shifts.
        if buildings and len(members) > 1:
            last = buildings[-1]
            first = (Household.objects.filter(place_path__gte=last.path, place_path__lt=last.path_end)
                     .order_by("unit_number", "id").first())
            if first is not None:
                HouseholdLink.objects.get_or_create(
                    household=first, enrolment=members[-1], valid_to=SINCE + datetime.timedelta(days=200),
                    defaults={"place_path": first.place_path, "valid_from": SINCE + datetime.timedelta(days=30),
                              "linked_by": self.staff})
        return made

    # --- tasks and micro-wishes ------------------------------------------------------------------------
    def tasks(self, members) -> int:
        entrances = list(self.compound.subtree().filter(kind="entrance").order_by("path"))
        wishes = (
            ("给独居的刘奶奶买一台收音机", "刘奶奶82岁独居，眼睛不好，想要一台能听戏曲的收音机。",
             "刘桂兰", "13872310456", entrances[4 % len(entrances)], Decimal("1.5")),
            ("帮行动不便的张大爷上门理发", "张大爷腿脚不便，两个月没下楼了，希望有志愿者上门理发。",
             "张德福", "13972650218", entrances[9 % len(entrances)], Decimal("1.0")),
        )
        open_count = 0
        for title, text, name, phone, place, hours in wishes:
            _task, created = Task.objects.get_or_create(title=title, place=place, defaults={
                "kind": TaskKind.WISH, "description": text, "place_path": place.path, "contact_name": name,
                "contact_phone": phone, "hours_credit": hours, "published_by": self.staff, "act_within_hours": 72})
            open_count += 1
        from tongxin.demands.models import Demand
        from tongxin.demands.rules import OPEN_STATES

        suitable = (
            Demand.objects.filter(place_path__gte=self.community.path, place_path__lt=self.community.path_end,
                                  state__in=OPEN_STATES, merged_into__isnull=True)
            .filter(Q(claimable_task__isnull=True) | Q(claimable_task__title="楼道灯维修")).order_by("id")
        )
        demand = min(suitable, key=lambda d: ("灯" not in d.description, d.pk), default=None)
        if demand is not None:
            Task.objects.get_or_create(demand=demand, defaults={
                "kind": TaskKind.DEMAND,
                "title": "楼道灯维修" if "灯" in demand.description else demand.description[:30],
                "description": demand.description, "place": demand.place, "place_path": demand.place_path,
                "contact_name": demand.reporter_name, "contact_phone": demand.reporter_phone,
                "hours_credit": Decimal("2.0"), "published_by": self.staff, "act_within_hours": 48})
            open_count += 1
        # One done, confirmed by the grid worker, counted in the ledger.
        place = entrances[2 % len(entrances)]
        task, _ = Task.objects.get_or_create(title="为困难家庭的孩子送一套学习用品", place=place, defaults={
            "kind": TaskKind.WISH, "description": "小宇读三年级，父亲去世，母亲打零工，想要一个新书包和一套文具。",
            "place_path": place.path, "contact_name": "王秀梅", "contact_phone": "13617160935",
            "hours_credit": Decimal("2.0"), "published_by": self.staff, "state": TaskState.CONFIRMED,
            "closed_at": _at(self.today - datetime.timedelta(days=6), datetime.time(17))})
        claimed = _at(self.today - datetime.timedelta(days=9), datetime.time(20, 15))
        claim, _ = Claim.objects.get_or_create(task=task, enrolment=self.member, defaults={
            "state": ClaimState.CONFIRMED, "act_by": claimed + datetime.timedelta(hours=72),
            "completed_at": _at(self.today - datetime.timedelta(days=7), datetime.time(18, 40)),
            "note": "已送去书包、文具和课外书各一套，和孩子聊了学习情况，约好每月去辅导一次。",
            "confirmed_at": _at(self.today - datetime.timedelta(days=6), datetime.time(17)),
            "confirmed_by": self.worker})
        Claim.objects.filter(pk=claim.pk).update(claimed_at=claimed)
        claim.refresh_from_db()
        record_claim(claim)
        return open_count

    # --- activities: weekly and on a fixed day each month ----------------------------------------------
    def activities(self, members) -> tuple[int, int]:
        venue = "东苑社区党群服务中心"
        saturday = self.today - datetime.timedelta(days=(self.today.weekday() - 5) % 7 + 28)
        weekly, _ = Activity.objects.get_or_create(community=self.community, title="周六政策宣讲进楼栋", defaults={
            "community_path": self.community.path, "team": self.teams[TeamSpecialty.POLICY],
            "description": "每周六上午到一个楼栋宣讲医保、养老、防诈骗政策，现场答疑。",
            "venue": "沙市花园中心广场", "recurrence": Recurrence.WEEKLY, "first_date": saturday,
            "start_time": datetime.time(9), "end_time": datetime.time(11), "capacity": 12,
            "organiser": self.staff})
        month_day = 15
        first = (self.today.replace(day=1) - datetime.timedelta(days=80)).replace(day=month_day)
        monthly, _ = Activity.objects.get_or_create(community=self.community, title="党员固定服务日", defaults={
            "community_path": self.community.path, "team": self.teams[TeamSpecialty.MEDICAL],
            "description": "每月15日上午：义诊测血压、义务理发、小家电维修、法律咨询。",
            "venue": venue, "recurrence": Recurrence.MONTHLY, "first_date": first,
            "start_time": datetime.time(8, 30), "end_time": datetime.time(11, 30), "organiser": self.staff})
        weekly_days = [weekly.first_date + datetime.timedelta(weeks=n) for n in range(8)]
        monthly_days, day = [], monthly.first_date
        while len(monthly_days) < 5:
            monthly_days.append(day)
            day = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=month_day)
        sessions, attended = 0, 0
        for activity, days, crew in ((weekly, weekly_days, members[:6]), (monthly, monthly_days, members[4:12])):
            for number, day in enumerate(days):
                session, _ = Session.objects.get_or_create(activity=activity, date=day, defaults={
                    "starts_at": _at(day, activity.start_time), "ends_at": _at(day, activity.end_time)})
                sessions += 1
                if day < self.today:
                    for index, enrolment in enumerate(crew[: 3 + number % 3]):
                        start = _at(day, activity.start_time) - datetime.timedelta(minutes=5 + index)
                        end = _at(day, activity.end_time) + datetime.timedelta(minutes=3 * index)
                        attendance, created = Attendance.objects.get_or_create(
                            session=session, person_id=enrolment.person_id, defaults={
                                "enrolment": enrolment, "checked_in_at": start, "checked_out_at": end,
                                "minutes": int((end - start).total_seconds() // 60)})
                        record_attendance(attendance)
                        attended += 1
                elif number == next((n for n, d in enumerate(days) if d >= self.today), None):
                    booked = crew[:3]
                    for enrolment in booked:
                        SignUp.objects.get_or_create(session=session, person_id=enrolment.person_id,
                                                     state=SignUpState.BOOKED, defaults={"enrolment": enrolment})
                    Session.objects.filter(pk=session.pk).update(
                        booked=SignUp.objects.filter(session=session, state=SignUpState.BOOKED).count())
        return sessions, attended
