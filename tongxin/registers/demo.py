"""Demo data: the places, people and bodies of the five seed articles, in one tree.

荆州 (沙市花园 in 东苑社区; 黄家塘社区 and its three areas), 咸宁 (福星城 split between two
grids, 幸福家园, 佳和颐景), 襄阳 (融侨锦江), 绥江 (福兴社区: 1,775 households, 6,820 people,
167 party members, 63 building boards, "2+5" grids) and 五指山 (河北东社区: six villager
groups, 60 courtyards, 6 grid points with 60 small grid points).

The few rows (places, coverage, roles, logins) go through the core services; organisations
have no services and are created directly; the many (households, people, memberships,
tags) are bulk-inserted by ``demo_data.Population``, which keeps the denormalised columns.
Deterministic: one ``random.Random(2026)`` and a fixed reference day, ``demo_data.TODAY``.
"""

import datetime
import random
from collections import defaultdict

from django.conf import settings

from tongxin.core import counts
from tongxin.core.models import (
    Consent,
    Organisation,
    OrganisationKind,
    OrganisationMember,
    OrganisationPlace,
    OrganisationRelation,
    OrganisationRelationKind,
    Person,
    PersonTag,
    Place,
    PlaceKind,
    PlaceRelation,
    Position,
    Tenure,
    User,
)
from tongxin.core.roles import ROLES
from tongxin.core.services.places import cover, create_place
from tongxin.core.services.roles import assign_role, create_login
from tongxin.core.tags import TAG_BY_CODE
from tongxin.registers import demo_data as data
from tongxin.registers.demo_data import BATCH, FEMALE, MALE, Population, Profile, by_block, split, unit_slots

OK, PK = OrganisationKind, PlaceKind
SINCE = datetime.date(2024, 1, 1)  # default start of roles and coverage
SUPERUSER_PHONE = "13900000000"
#: One demo login per role, in ROLES order: (phone, role code).
DEMO_LOGINS = [(f"139000000{number:02d}", role.code) for number, role in enumerate(ROLES, 1)]


def load(stdout) -> None:
    Loader(stdout).run()


class Loader(Population):
    """Builds the tree city by city; people come from :class:`Population`."""

    def __init__(self, stdout):
        super().__init__(random.Random(2026))
        self.out = stdout
        self.memberships: dict[tuple, OrganisationMember] = {}
        self.logins: dict = {}  # role code -> the person who gets that role's demo login

    def run(self) -> None:
        for city in (self.jingzhou, self.xianning, self.xiangyang, self.suijiang, self.wuzhishan):
            before = len(self.people)
            name, homes = city()
            residents = sum(len(home.residents) for home in homes)
            self.out.write(f"  {name}: {len(homes)} 户 households, {residents} 人 residents, "
                           f"{len(self.people) - before} people in all\n")
        admin = self.staff("jz", 30, 45)
        assign_role(admin, "administrator", on=SINCE)
        self.logins["administrator"] = admin
        PersonTag.objects.bulk_create(
            [PersonTag(person=p, tag=tag) for p in self.people for tag in sorted(p._tags)], batch_size=BATCH
        )
        # Consent-based groups come with their consent record (a guardian's for children).
        Consent.objects.bulk_create(
            [
                Consent(
                    person=p, tag=tag, given_on=SINCE, by_guardian=p._age < 14,
                    given_by=f"{p.name[0]}某（监护人）" if p._age < 14 else p.name,
                )
                for p in self.people
                for tag in sorted(p._tags)
                if TAG_BY_CODE[tag].needs_consent
            ],
            batch_size=BATCH,
        )
        OrganisationMember.objects.bulk_create(self.memberships.values(), batch_size=BATCH)
        counts.rebuild()  # households and people were bulk-inserted past the services' counters
        self.create_logins()

    # --- places, organisations, roles -------------------------------------------------
    def place(self, parent, kind, code, name) -> Place:
        return create_place(parent=parent, kind=kind, code=code, name=name)

    def buildings(self, parent, code, numbers, entrances) -> list:
        """Buildings ``{n}栋``, each with ``entrances[i]`` entrances ``{u}单元`` (0: households in the building)."""
        result = []
        for number, count in zip(numbers, entrances, strict=True):
            building = self.place(parent, PK.BUILDING, f"{code}-b{number:02d}", f"{number}栋")
            result.append((building, [
                self.place(building, PK.ENTRANCE, f"{code}-b{number:02d}-u{u}", f"{u}单元") for u in range(1, count + 1)
            ]))
        return result

    def org(self, code, name, kind, place=None, parent=None, since=datetime.date(2015, 3, 1), **extra) -> Organisation:
        return Organisation.objects.create(
            code=code, name=name, kind=kind, place=place, parent=parent, started_on=since, **extra
        )

    def link(self, organisation, place, relation=PlaceRelation.MANAGES, since=datetime.date(2018, 1, 1)):
        OrganisationPlace.objects.create(organisation=organisation, place=place, relation=relation, valid_from=since)

    def relate(self, subject, obj, kind, since=datetime.date(2019, 1, 1)):
        OrganisationRelation.objects.create(subject=subject, object=obj, kind=kind, valid_from=since)

    def join(self, organisation, person, position=Position.MEMBER, since=None, until=None):
        key = (organisation.pk, person.pk, position, until)
        self.memberships.setdefault(key, OrganisationMember(
            organisation=organisation, person=person, position=position, valid_from=since or organisation.started_on,
            valid_to=until,
        ))

    def role(self, person, role, place=None, organisation=None, on=SINCE, login=False):
        assign_role(person, role, place=place, organisation=organisation, on=on)
        if login:
            self.logins[role] = person

    def leader(self, region, role, place, login=False):
        self.role(self.staff(region, 42, 58, tags=["party_member"]), role, place, login=login)

    def community(self, parent, code, name, region, party_kind=OK.PARTY_COMMITTEE, subtype=""):
        """A community with its party organisation, residents' committee and sub-committees, and a
        secretary who is community staff."""
        community = self.place(parent, PK.COMMUNITY, code, name)
        party_name = f"{name}{'党委' if party_kind == OK.PARTY_COMMITTEE else '党支部'}"
        party = self.org(f"{code}-party", party_name, party_kind, community, subtype=subtype)
        committee = self.org(f"{code}-rc", f"{name}居民委员会", OK.RESIDENTS_COMMITTEE, community)
        for slug, sub in data.SUB_COMMITTEES:
            self.org(f"{code}-rc-{slug}", f"{name}{sub}", OK.SUB_COMMITTEE, community, committee)
        secretary = self.staff(region, 38, 55, tags=["party_member"])
        self.join(party, secretary, Position.SECRETARY)
        self.join(committee, secretary, Position.CHAIR)
        self.role(secretary, "community_staff", community)
        return community, party, secretary

    def grids(self, community, code, coverage, region, chief=None, on=datetime.date(2021, 6, 1)) -> list[tuple]:
        """Grids 第N网格 covering ``coverage[i]``: (grid, grid chief, grid worker) each."""
        result = []
        for number, places in enumerate(coverage, 1):
            name = f"{community.name}第{data.CN_ORDINALS[number - 1]}网格"
            grid = self.place(community, PK.GRID, f"{code}-g{number}", name)
            cover(grid, places, on=on)
            grid_chief, worker = chief or self.staff(region, 35, 55), self.staff(region, 25, 45)
            self.role(grid_chief, "grid_chief", grid, on=on)
            self.role(worker, "grid_worker", grid, on=on)
            result.append((grid, grid_chief, worker))
        return result

    def building_roles(self, blocks: dict, roles: tuple[str, ...], on=SINCE) -> dict:
        """For each building, one resident per role; party roles go to party members."""
        holders = {}
        tags = {"building_party_member": "party_member", "building_volunteer": "volunteer",
                "party_member_household": "party_member"}
        for building, homes in blocks.items():
            for role in roles:
                person = self.pick(homes, 28, 72, tags.get(role))
                place = person.household.place if role == "party_member_household" else building
                self.role(person, role, place, on=on)
                holders[building, role] = person
        return holders

    def party_branch(self, code, name, parent, place, homes, since, groups=(), secretary=None):
        """A branch of the party members living in ``homes``, with a secretary, and party groups
        (第N党小组) over runs of buildings whose leaders hold the party-group-leader role there."""
        branch = self.org(code, name, OK.PARTY_BRANCH, place, parent, since=since)
        for person in [p for h in homes for p in h.residents if "party_member" in p._tags]:
            self.join(branch, person, since=since)
        secretary = secretary or self.pick(homes, 40, 75, "party_member")
        self.join(branch, secretary, Position.SECRETARY, since=since)
        leaders = []
        for number, buildings in enumerate(groups, 1):
            group_name = f"{name.removesuffix('党支部')}第{data.CN_ORDINALS[number - 1]}党小组"
            group = self.org(f"{code}-g{number}", group_name, OK.PARTY_GROUP, buildings[0], branch, since=since)
            group_homes = [h for h in homes if h.block in buildings]
            leaders.append(self.pick(group_homes, 35, 72, "party_member"))
            self.join(group, leaders[-1], Position.CHAIR, since=since)
            for building in buildings:
                self.role(leaders[-1], "party_group_leader", building, on=since)
            for person in [p for h in group_homes for p in h.residents if "party_member" in p._tags]:
                self.join(group, person, since=since)
        return branch, leaders

    def team(self, code, name, subtype, place, members, serves=None, since=datetime.date(2019, 3, 1)):
        """A volunteer team; its members are tagged volunteer, the first is its captain."""
        team = self.org(code, name, OK.VOLUNTEER_TEAM, place, subtype=subtype, since=since)
        for index, person in enumerate(members):
            person._tags.add("volunteer")
            self.join(team, person, Position.CHAIR if index == 0 else Position.MEMBER)
        if serves is not None:
            self.link(team, serves, PlaceRelation.SERVES, since=since)
        return team

    def committee(self, code, name, kind, place, homes, positions, since, role=None):
        """An owners' or supervisory committee of owners living in ``homes``."""
        body = self.org(code, name, kind, place, since=since)
        owners = [h for h in homes if h.household.tenure == Tenure.OWNER_OCCUPIED]
        people = []
        for position in positions:
            people.append(self.pick(owners, 35, 72, heads=True))
            self.join(body, people[-1], position)
            if role:
                self.role(people[-1], role, organisation=body, on=since)
        return body, people

    def property_company(self, code, name, region, compounds, staff, since, surname=None):
        """A property company managing ``compounds``; its manager and ``staff`` hold property_staff."""
        company = self.org(code, name, OK.PROPERTY_COMPANY, compounds[0], since=since)
        for compound in compounds:
            self.link(company, compound, since=since)
        people = [self.staff(region, 35, 52, surname=surname)] + [self.staff(region, 23, 50) for _ in range(staff)]
        for index, person in enumerate(people):
            self.join(company, person, Position.MANAGER if index == 0 else Position.STAFF)
            self.role(person, "property_staff", organisation=company, on=since)
        return company, people

    def create_logins(self) -> None:
        password = settings.TONGXIN_DEMO_PASSWORD
        User.objects.create_superuser(SUPERUSER_PHONE, password, name="超级管理员")
        for phone, role in DEMO_LOGINS:
            person = self.logins[role]
            Person.objects.filter(pk=person.pk).update(phone=phone)
            person.phone = phone
            create_login(person, phone=phone, password=password)

    # --- the five places of the seeds ------------------------------------------------------
    def jingzhou(self):
        """沙市花园 in 东苑社区 (seeds 000, 001); 黄家塘社区's three areas and 李俊 (seed 000)."""
        city = self.place(None, PK.CITY, "jz", "荆州市")
        district = self.place(city, PK.DISTRICT, "jz-shashi", "沙市区")
        self.leader("jz", "district_leader", district, login=True)
        chaoyang = self.place(district, PK.STREET, "jz-chaoyang", "朝阳街道")
        self.leader("jz", "street_leader", chaoyang, login=True)
        shengli = self.place(district, PK.STREET, "jz-shengli", "胜利街道")
        self.leader("jz", "street_leader", shengli)

        dongyuan, dy_party, dy_secretary = self.community(chaoyang, "jz-dongyuan", "东苑社区", "jz", subtype="大党委")
        self.logins["community_staff"] = dy_secretary
        garden = self.place(dongyuan, PK.COMPOUND, "jz-dongyuan-ssh", "沙市花园")
        blocks = self.buildings(garden, "jz-dongyuan-ssh", range(1, 13), [self.rng.choice((2, 3)) for _ in range(12)])
        homes = self.households(unit_slots([e for _b, es in blocks for e in es], 320), Profile("jz", 1998, (55, 118)))
        mill = self.place(dongyuan, PK.COMPOUND, "jz-dongyuan-fzc", "纺织厂宿舍")
        mill_blocks = self.buildings(mill, "jz-dongyuan-fzc", range(1, 4), [2, 2, 2])
        mill_homes = self.households(
            unit_slots([e for _b, es in mill_blocks for e in es], 60),
            Profile("jz", 1986, (40, 72), rented=0.2, low_income=0.06, party=0.08),
        )
        (grid, chief, worker), (mill_grid, *_) = self.grids(dongyuan, "jz-dongyuan", [[garden], [mill]], "jz")
        self.logins.update(grid_chief=chief, grid_worker=worker)
        buildings = [b for b, _ in blocks]
        roles = ("building_party_member", "building_chief", "building_volunteer", "resident_representative",
                 "party_member_household")
        holders = self.building_roles(by_block(homes), roles)
        self.logins.update({role: holders[buildings[0], role] for role in roles})
        _branch, leaders = self.party_branch("jz-dongyuan-ssh-party", "沙市花园小区党支部", dy_party, garden, homes,
                                             datetime.date(2018, 6, 1), groups=split(buildings, 4))
        self.logins["party_group_leader"] = leaders[0]
        self.party_branch("jz-dongyuan-g2-party", "东苑社区第二网格党支部", dy_party, mill_grid, mill_homes,
                          datetime.date(2019, 4, 1))
        elected = datetime.date(2018, 5, 18)
        _c, members = self.committee("jz-dongyuan-ssh-owners", "沙市花园业主委员会", OK.OWNERS_COMMITTEE, garden, homes,
                                     (Position.CHAIR, Position.DEPUTY_CHAIR) + (Position.COMMITTEE_MEMBER,) * 3,
                                     elected, role="owners_committee_member")
        self.logins["owners_committee_member"] = members[0]
        self.committee("jz-dongyuan-ssh-supervisors", "沙市花园监督委员会", OK.SUPERVISORY_COMMITTEE, garden, homes,
                       (Position.CHAIR, Position.COMMITTEE_MEMBER, Position.COMMITTEE_MEMBER), elected)
        chuyang, staff = self.property_company("jz-chuyang", "楚阳物业管理有限公司", "jz", [garden], 3,
                                               datetime.date(2016, 4, 1), surname="赵")
        self.logins["property_staff"] = staff[0]
        for code, name in (("jz-zwfw", "荆州市政务服务和大数据管理局"), ("jz-cypcs", "沙市区公安分局朝阳派出所")):
            self.relate(dy_party, self.org(code, name, OK.WORK_UNIT, district), OrganisationRelationKind.MEMBER_UNIT)
        self.relate(dy_party, chuyang, OrganisationRelationKind.MEMBER_UNIT)
        centre = self.org("jz-shashi-swc", "沙市区同心社会工作服务中心", OK.SOCIAL_WORK_CENTRE, district,
                          since=datetime.date(2019, 9, 1))

        # 黄家塘社区: 78 buildings directly under the community, in three areas (片区).
        hjt, hjt_party, _secretary = self.community(shengli, "jz-hjt", "黄家塘社区", "jz")
        for place in (dongyuan, hjt):
            self.link(centre, place, PlaceRelation.SERVES, since=datetime.date(2019, 9, 1))
        third = [4] * 5 + [3] * 20
        self.rng.shuffle(third)
        area_blocks = [
            self.buildings(hjt, "jz-hjt", range(1, 17), [2] * 16),
            self.buildings(hjt, "jz-hjt", range(17, 54), [1] * 37),
            self.buildings(hjt, "jz-hjt", range(54, 79), third),  # 25 buildings, 80 entrances (seed 000)
        ]
        old = Profile("jz", 1990, (45, 96), rented=0.15, low_income=0.04, party=0.07)
        area_homes = [
            self.households(unit_slots([e for _b, es in blocks for e in es], count), old)
            for blocks, count in zip(area_blocks, (320, 444, 1128), strict=True)
        ]
        lijun = self.staff("jz", 49, 49, name="李俊", gender=MALE, tags=["party_member"])
        tax = self.org("jz-shashi-tax", "沙市区税务局", OK.WORK_UNIT, district)
        self.join(tax, lijun, Position.STAFF)
        tax_secretary = self.staff("jz", 45, 55, tags=["party_member"])
        tax_branch, _ = self.party_branch("jz-shashi-tax-party", "沙市区税务局机关党支部", tax, district, [],
                                          datetime.date(2015, 3, 1), secretary=tax_secretary)
        self.join(tax_branch, lijun)
        # The unit branch follows its members wherever they serve (双报到): 李俊 in 黄家塘.
        self.role(tax_secretary, "branch_secretary", organisation=tax_branch, login=True)
        areas = []
        for number, (blocks, in_area) in enumerate(zip(area_blocks, area_homes, strict=True), 1):
            area = self.place(hjt, PK.AREA, f"jz-hjt-a{number}", f"第{data.CN_ORDINALS[number - 1]}片区")
            cover(area, [b for b, _ in blocks], on=datetime.date(2020, 2, 3))
            chief = lijun if number == 3 else self.staff("jz", 35, 52, tags=["party_member"])
            self.role(chief, "area_chief", area, on=datetime.date(2020, 2, 3), login=number == 3)
            self.party_branch(f"jz-hjt-a{number}-party", f"黄家塘社区第{data.CN_ORDINALS[number - 1]}片区党支部",
                              hjt_party, area, in_area, datetime.date(2020, 12, 21),
                              secretary=lijun if number == 2 else None)
            areas.append(area)
        temporary = self.org("jz-hjt-a3-temp", "黄家塘社区第三片区临时党支部", OK.PARTY_BRANCH, areas[2], hjt_party,
                             since=datetime.date(2020, 2, 3), ended_on=datetime.date(2020, 12, 20), is_temporary=True)
        self.join(temporary, lijun, Position.SECRETARY, until=temporary.ended_on)
        for person in self.rng.sample([p for h in area_homes[2] for p in h.residents if "party_member" in p._tags], 8):
            self.join(temporary, person, until=temporary.ended_on)
        third_buildings = [b for b, _ in area_blocks[2]]
        self.grids(hjt, "jz-hjt", [[b for b, _ in area_blocks[0]], [b for b, _ in area_blocks[1]],
                                   third_buildings[:12], third_buildings[12:]], "jz")
        self.building_roles(by_block(area_homes[2]), ("building_chief",))
        return "荆州市 Jingzhou", homes + mill_homes + [h for homes in area_homes for h in homes]

    def xianning(self):
        """福星城 (1,700+ households, 5,400 people, two grids), 幸福家园 and 佳和颐景 (seed 002)."""
        city = self.place(None, PK.CITY, "xn", "咸宁市")
        district = self.place(city, PK.DISTRICT, "xn-xianan", "咸安区")
        self.leader("xn", "district_leader", district)
        wenquan = self.place(district, PK.STREET, "xn-wenquan", "温泉街道")
        yongan = self.place(district, PK.STREET, "xn-yongan", "永安街道")
        for street in (wenquan, yongan):
            self.leader("xn", "street_leader", street)

        slt, slt_party, _secretary = self.community(wenquan, "xn-sltan", "十六潭社区", "xn", subtype="大党委")
        fxc = self.place(slt, PK.COMPOUND, "xn-sltan-fxc", "福星城")
        blocks = self.buildings(fxc, "xn-sltan-fxc", range(1, 25), [2] * 24)
        homes = self.households(unit_slots([e for _b, es in blocks for e in es], 1736),
                                Profile("xn", 2012, (78, 140), party=0.05), people=5400)
        buildings = [b for b, _ in blocks]
        self.grids(slt, "xn-sltan", split(buildings, 2), "xn")  # one compound, two grids
        self.party_branch("xn-sltan-fxc-party", "福星城小区党支部", slt_party, fxc, homes, datetime.date(2018, 8, 15),
                          groups=split(buildings, 2))
        self.building_roles(by_block(homes), ("building_chief",))
        self.property_company("xn-fxwy", "咸宁福星物业服务有限公司", "xn", [fxc], 2, datetime.date(2012, 6, 1))
        for slug, name in data.SHILIUTAN_MEMBER_UNITS:
            unit = self.org(f"xn-{slug}", name, OK.WORK_UNIT, district)
            self.relate(slt_party, unit, OrganisationRelationKind.MEMBER_UNIT)
        for code, name in (("xn-gxsd", "国学经典诵读教育推广中心"), ("xn-xrk", "向日葵阅读中心")):
            self.link(self.org(code, name, OK.SOCIAL_ORGANISATION, district), slt, PlaceRelation.SERVES)

        bzj, bzj_party, _secretary = self.community(yongan, "xn-beizheng", "北正街社区", "xn")
        xfjy = self.place(bzj, PK.COMPOUND, "xn-beizheng-xfjy", "幸福家园")
        old_blocks = self.buildings(xfjy, "xn-beizheng-xfjy", range(1, 9), [self.rng.choice((2, 3)) for _ in range(8)])
        old_homes = self.households(unit_slots([e for _b, es in old_blocks for e in es], 200),
                                    Profile("xn", 1996, (40, 78), rented=0.15, low_income=0.15, party=0.08))
        self.grids(bzj, "xn-beizheng", [[xfjy]], "xn")
        founded = datetime.date(2018, 8, 10)
        self.party_branch("xn-beizheng-xfjy-party", "幸福家园小区党支部", bzj_party, xfjy, old_homes, founded)
        self.committee("xn-beizheng-xfjy-owners", "幸福家园业主委员会", OK.OWNERS_COMMITTEE, xfjy, old_homes,
                       (Position.CHAIR,) + (Position.COMMITTEE_MEMBER,) * 2, founded, role="owners_committee_member")
        self.building_roles(by_block(old_homes), ("building_chief",))

        fh, fh_party, _secretary = self.community(wenquan, "xn-fenghuang", "凤凰社区", "xn")
        jhyj = self.place(fh, PK.COMPOUND, "xn-fenghuang-jhyj", "佳和颐景")
        new_blocks = self.buildings(jhyj, "xn-fenghuang-jhyj", range(1, 11), [2] * 10)
        new_homes = self.households(unit_slots([e for _b, es in new_blocks for e in es], 360),
                                    Profile("xn", 2016, (88, 140), rented=0.2, party=0.05))
        self.grids(fh, "xn-fenghuang", [[jhyj]], "xn")
        branch, _ = self.party_branch("xn-fenghuang-jhyj-party", "佳和颐景小区党支部", fh_party, jhyj, new_homes,
                                      datetime.date(2019, 7, 1))
        company, staff = self.property_company("xn-yjwy", "咸宁颐景物业服务有限公司", "xn", [jhyj], 1,
                                               datetime.date(2016, 9, 1))
        self.join(branch, staff[0], Position.COMMITTEE_MEMBER)  # the branch took in the property manager
        return "咸宁市 Xianning", homes + old_homes + new_homes

    def xiangyang(self):
        """融侨锦江 in 洪家沟社区: party groups, building chiefs, party-member households (seed 004)."""
        city = self.place(None, PK.CITY, "xy", "襄阳市")
        district = self.place(city, PK.DISTRICT, "xy-fancheng", "樊城区")
        self.leader("xy", "district_leader", district)
        street = self.place(district, PK.STREET, "xy-dingzhongmen", "定中门街道")
        self.leader("xy", "street_leader", street)
        hjg, party, _secretary = self.community(street, "xy-hjg", "洪家沟社区", "xy")
        self.role(self.staff("xy", 35, 50, gender=FEMALE, tags=["party_member"]), "community_staff", hjg)
        rqjj = self.place(hjg, PK.COMPOUND, "xy-hjg-rqjj", "融侨锦江")
        blocks = self.buildings(rqjj, "xy-hjg-rqjj", range(1, 11), [2] * 10)
        homes = self.households(unit_slots([e for _b, es in blocks for e in es], 800), Profile("xy", 2010, (75, 140)))
        buildings = [b for b, _ in blocks]
        self.grids(hjg, "xy-hjg", [[rqjj]], "xy")
        self.party_branch("xy-hjg-rqjj-party", "融侨锦江小区党支部", party, rqjj, homes, datetime.date(2019, 5, 1),
                          groups=[[b] for b in buildings])
        self.building_roles(by_block(homes), ("building_chief", "party_member_household"))
        self.property_company("xy-jjwy", "襄阳锦江物业服务有限公司", "xy", [rqjj], 3, datetime.date(2010, 10, 1))
        free = [p for h in homes for p in h.residents if 20 <= p._age <= 70 and p.pk not in self.used]
        volunteers = self.rng.sample(free, 105)
        for index, name in enumerate(data.HONGJIAGOU_TEAMS):
            members = volunteers[index * 21:(index + 1) * 21]
            self.team(f"xy-hjg-team{index + 1}", f"洪家沟社区{name}服务队", "志愿服务队", hjg, members, serves=hjg)
        return "襄阳市 Xiangyang", homes

    def suijiang(self):
        """福兴社区: 1,775 households, 6,820 people, 8 branches, 167 party members, 63 buildings (seed 003)."""
        city = self.place(None, PK.CITY, "zt", "昭通市")
        county = self.place(city, PK.DISTRICT, "zt-suijiang", "绥江县")
        self.leader("zt", "district_leader", county)
        town = self.place(county, PK.TOWN, "zt-zhongcheng", "中城镇")
        self.leader("zt", "street_leader", town)
        fuxing, party, secretary = self.community(town, "zt-fuxing", "福兴社区", "zt")
        estate = self.place(fuxing, PK.COMPOUND, "zt-fuxing-fxjy", "福兴家园")
        blocks = self.buildings(estate, "zt-fuxing-fxjy", range(1, 64), [0] * 63)  # 63 building boards
        buildings = [b for b, _ in blocks]
        profile = Profile("zt", 2019, (50, 125), rented=0.02, vacant=0.02, party=0, low_income=0.1, left_behind=0.2,
                          rural=True, sizes=(4, 10, 20, 34, 32))
        homes = self.households(unit_slots(buildings, 1775, per_floor=4), profile, people=6820)
        # Exactly 167 party members, at least one in each building.
        grouped = by_block(homes)
        adults = {b: [p for h in grouped[b] for p in h.residents if 28 <= p._age <= 72] for b in buildings}
        members = [self.rng.choice(adults[b]) for b in buildings]
        chosen = {p.pk for p in members}
        rest = [p for b in buildings for p in adults[b] if p.pk not in chosen]
        for person in members + self.rng.sample(rest, 167 - len(members)):
            person._tags.add("party_member")

        self.grids(fuxing, "zt-fuxing", split(buildings, 5), "zt", chief=secretary)  # "2+5": 5 grids, 1 worker each
        self.fixed_tags.add("party_member")  # no role may make a 168th
        holders = self.building_roles(grouped, ("building_party_member", "building_chief", "building_volunteer"))
        for slug, name, role, count in (("pcs", "绥江县公安局中城派出所", "police_liaison", 3),
                                        ("wsy", "中城镇卫生院", "family_doctor", 4)):
            unit = self.org(f"zt-zhongcheng-{slug}", name, OK.WORK_UNIT, town)
            for index in range(count):
                person = self.staff("zt", 28, 50)
                self.join(unit, person, Position.STAFF)
                for building in buildings[index::count]:
                    self.role(person, role, building, login=index == 0)
        for number, (branch_buildings, (slug, unit_name)) in enumerate(
            zip(split(buildings, 8), data.SUIJIANG_UNITS, strict=True), 1
        ):
            branch, _ = self.party_branch(
                f"zt-fuxing-p{number}", f"福兴社区第{data.CN_ORDINALS[number - 1]}党支部", party, estate,
                [h for b in branch_buildings for h in grouped[b]], datetime.date(2019, 6, 1),
            )
            unit = self.org(f"zt-{slug}", unit_name, OK.WORK_UNIT, county)
            unit_secretary = self.staff("zt", 40, 55, tags=["party_member"])
            unit_branch, _ = self.party_branch(f"zt-{slug}-party", f"{unit_name}机关党支部", unit, county, [],
                                               datetime.date(2015, 3, 1), secretary=unit_secretary)
            self.relate(branch, unit_branch, OrganisationRelationKind.PAIRED, since=datetime.date(2021, 3, 1))
        party_members = [p for h in homes for p in h.residents if "party_member" in p._tags]
        if len(party_members) != 167:
            raise RuntimeError(f"福兴社区 has {len(party_members)} party members, not 167")
        self.fixed_tags.discard("party_member")
        team_members = self.rng.sample(party_members, 6 * 14)
        for index, name in enumerate(data.FUXING_PARTY_TEAMS):
            self.team(f"zt-fuxing-pt{index + 1}", f"福兴社区{name}党员服务队", "党员服务队", fuxing,
                      team_members[index * 14:(index + 1) * 14], serves=fuxing)
        carers = [holders[b, role] for b in buildings for role in ("building_chief", "building_volunteer")]
        for index, name in enumerate(data.FUXING_CARE_TEAMS):
            members = carers[index::5][:10]
            self.team(f"zt-fuxing-ct{index + 1}", f"福兴社区{name}爱心服务队", "爱心服务队", fuxing, members)
        return "昭通市 Suijiang", homes

    def wuzhishan(self):
        """河北东社区: 6 villager groups, 60 courtyards, 6 grid points and 60 small ones, 6 teams (seed 004)."""
        city = self.place(None, PK.CITY, "wzs", "五指山市")
        self.leader("wzs", "district_leader", city)
        town = self.place(city, PK.TOWN, "wzs-tongshi", "通什镇")
        self.leader("wzs", "street_leader", town)
        hbd, party, secretary = self.community(town, "wzs-hbd", "河北东社区", "wzs", party_kind=OK.PARTY_BRANCH)
        groups, slots = [], []
        for slug, name in data.HEBEIDONG_GROUPS:
            group = self.place(hbd, PK.VILLAGER_GROUP, f"wzs-hbd-{slug}", f"{name}居民小组")
            yards = [self.place(group, PK.COURTYARD, f"wzs-hbd-{slug}-y{n:02d}", f"{name[:-1]}第{n}院落")
                     for n in range(1, 11)]
            groups.append((slug, name, group, yards))
            slots += unit_slots(yards, self.rng.randint(355, 398), per_floor=0)
        homes = self.households(slots, Profile("wzs", 1985, (60, 140), rented=0.1, vacant=0.04, party=0.05,
                                               low_income=0.06, left_behind=0.1, rural=True, sizes=(8, 18, 28, 26, 20)))
        fcmy = self.place(hbd, PK.COMPOUND, "wzs-hbd-fcmy", "翡翠名苑")
        estate_blocks = self.buildings(fcmy, "wzs-hbd-fcmy", range(1, 5), [2] * 4)
        estate_homes = self.households(unit_slots([e for _b, es in estate_blocks for e in es], 160),
                                       Profile("wzs", 2010, (70, 130), rented=0.25))
        self.committee("wzs-hbd-fcmy-owners", "翡翠名苑业主委员会", OK.OWNERS_COMMITTEE, fcmy, estate_homes,
                       (Position.CHAIR,) + (Position.COMMITTEE_MEMBER,) * 4, datetime.date(2020, 1, 31),
                       role="owners_committee_member")
        [(grid, _chief, _worker)] = self.grids(hbd, "wzs-hbd", [[fcmy]], "wzs", secretary, datetime.date(2017, 7, 1))
        for person in [p for h in homes + estate_homes for p in h.residents if "party_member" in p._tags]:
            self.join(party, person)
        in_place = defaultdict(list)
        for home in homes:
            in_place[home.household.place].append(home)
        for index, (slug, name, group, yards) in enumerate(groups):
            group_homes = [h for y in yards for h in in_place[y]]
            self.role(self.pick(group_homes, 40, 65), "group_leader", group, login=slug == "yaxu")
            point = self.place(grid, PK.GRID_POINT, f"wzs-hbd-gp-{slug}", f"{name[:-1]}网格点")
            cover(point, [group], on=datetime.date(2017, 7, 1))
            self.role(self.pick(group_homes, 30, 65), "grid_point_leader", point, login=slug == "yaxu")
            for number, yard in enumerate(yards, 1):
                small_name = f"{name[:-1]}第{number}小网格点"
                small = self.place(point, PK.GRID_POINT, f"wzs-hbd-gp-{slug}-{number:02d}", small_name)
                cover(small, [yard], on=datetime.date(2017, 7, 1))
                self.role(self.pick(in_place[yard], 25, 68), "grid_point_leader", small)
            free = [p for h in group_homes for p in h.residents if 20 <= p._age <= 70 and p.pk not in self.used]
            self.team(f"wzs-hbd-team{index + 1}", f"河北东社区{name[:-1]}网格服务队", "网格服务队", hbd,
                      self.rng.sample(free, 22 if index < 2 else 21), serves=point, since=datetime.date(2017, 7, 1))
        return "五指山市 Wuzhishan", homes + estate_homes
