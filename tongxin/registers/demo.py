"""Demo data: the places, people and bodies of the five seed articles, in one tree.

荆州 (沙市花园 in 东苑社区; 黄家塘社区 and its three areas), 咸宁 (福星城 split between two
grids, 幸福家园, 佳和颐景), 襄阳 (融侨锦江), 绥江 (福兴社区: 1,775 households, 6,820 people,
167 party members, 63 building boards, "2+5" grids) and 五指山 (河北东社区: six villager
groups, 60 courtyards, 6 grid points with 60 small grid points).

The few rows (places, coverage, roles, logins) go through the core services; the many
(households, people, memberships, tags) are bulk-inserted here, so this module keeps the
denormalised columns itself: ``Household.place_path`` and ``Person.household/home_path``.
Deterministic: one ``random.Random(2026)`` and a fixed reference day, ``TODAY``.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from django.conf import settings

from tongxin.core.models import (
    Gender,
    Household,
    HouseholdMember,
    MemberRelation,
    Organisation,
    OrganisationMember,
    OrganisationPlace,
    OrganisationRelation,
    OrganisationRelationKind,
    Person,
    PersonTag,
    PlaceRelation,
    Position,
    Tenure,
    User,
)
from tongxin.core.models import (
    OrganisationKind as OK,
)
from tongxin.core.models import (
    PlaceKind as PK,
)
from tongxin.core.privacy import set_id_number
from tongxin.core.roles import ROLES
from tongxin.core.services.places import cover, create_place
from tongxin.core.services.roles import assign_role, create_login
from tongxin.registers import demo_data as data

TODAY = datetime.date(2026, 1, 1)  # the demo's "now": ages and dates count from it
SINCE = datetime.date(2024, 1, 1)  # default start of roles and coverage
BATCH = 1000
SUPERUSER_PHONE = "13900000000"
#: One demo login per role, in ROLES order: (phone, role code).
DEMO_LOGINS = [(f"139000000{number:02d}", role.code) for number, role in enumerate(ROLES, 1)]
MALE, FEMALE = Gender.MALE, Gender.FEMALE
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_check_digit(first17: str) -> str:
    """GB 11643 check character of an 18-character resident ID number."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class Profile:
    """How the households of one compound or village look."""

    region: str  # key of demo_data.REGION_CODES
    since: int  # year the first households moved in
    area: tuple[int, int]  # floor area range, m²
    rented: float = 0.12
    vacant: float = 0.05
    party: float = 0.06  # adults tagged party member (0: the caller chooses them)
    low_income: float = 0.02
    left_behind: float = 0.06  # of 3- and 4-person households: grandparents with left-behind children
    elderly: float = 0.5  # of one-person households: an elderly person living alone
    rural: bool = False
    sizes: tuple[int, ...] = (14, 28, 30, 18, 10)  # weights of owner households of 1..5 people


@dataclass
class Home:
    household: Household
    residents: list  # Person, head first
    since: datetime.date

    @property
    def block(self):
        """The building (or villager group) the household is in."""
        place = self.household.place
        return place.parent if place.kind in (PK.ENTRANCE, PK.COURTYARD) else place


def unit_slots(places, count: int, per_floor: int = 2) -> list:
    """``count`` flats spread evenly over ``places``, numbered floor first (101, 102, 201 …);
    with ``per_floor=0``, houses numbered 1号, 2号 …"""
    base, extra = divmod(count, len(places))
    slots = []
    for index, place in enumerate(places):
        for k in range(base + (index < extra)):
            floor, door = divmod(k, per_floor or 1)
            slots.append((place, f"{floor + 1}{door + 1:02d}" if per_floor else f"{k + 1}号"))
    return slots


def split(items, parts: int) -> list[list]:
    """``items`` cut into ``parts`` contiguous runs of near-equal length."""
    base, extra = divmod(len(items), parts)
    bounds = list(accumulate([0] + [base + (i < extra) for i in range(parts)]))
    return [list(items[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]


def by_block(homes) -> dict:
    grouped = defaultdict(list)
    for home in homes:
        grouped[home.block].append(home)
    return grouped


def load(stdout) -> None:
    Loader(stdout).run()


class Loader:
    def __init__(self, stdout):
        self.out = stdout
        self.rng = random.Random(2026)
        self.ids: set[str] = set()
        self.used: set[int] = set()  # residents already holding a demo role
        self.people: list[Person] = []  # everyone created, for the tag flush
        self.memberships: dict[tuple, OrganisationMember] = {}
        self.logins: dict[str, Person] = {}
        self.surnames = {}  # region -> (surnames, cumulative weights)
        for region in data.REGION_CODES:
            weights = dict(data.SURNAMES)
            for surname, extra in data.REGIONAL_SURNAMES.get(region, {}).items():
                weights[surname] = weights.get(surname, 0) + extra
            self.surnames[region] = (list(weights), list(accumulate(weights.values())))

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
        OrganisationMember.objects.bulk_create(self.memberships.values(), batch_size=BATCH)
        self.create_logins()

    # --- people ---------------------------------------------------------------------
    def name(self, region: str, gender: str, year: int, surname: str | None = None) -> str:
        surnames, weights = self.surnames[region]
        surname = surname or self.rng.choices(surnames, cum_weights=weights)[0]
        era = 0 if year < 1970 else 1 if year < 2000 else 2
        pool = (data.GIVEN_MALE if gender == MALE else data.GIVEN_FEMALE)[era]
        length = 1 if self.rng.random() < (0.4 if era == 0 else 0.25) else 2
        return surname + "".join(self.rng.choice(pool) for _ in range(length))

    def id_number(self, region_code: str, birth: datetime.date, male: bool) -> str:
        while True:
            sequence = self.rng.randrange(0, 1000, 2) + (1 if male else 0)
            first17 = f"{region_code}{birth:%Y%m%d}{sequence % 1000:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        while (number := self.rng.choice(data.PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}")[:7] == "1390000":
            pass
        return number

    def person(self, region, age, gender=None, surname=None, floating=False, phone=None) -> Person:
        """An unsaved person with a name, birth date, encrypted ID number and maybe a phone."""
        rng = self.rng
        gender = gender or rng.choice((MALE, FEMALE))
        birth = TODAY - datetime.timedelta(days=int(age * 365.25) + rng.randint(1, 360))
        codes = (data.FLOATING_CODES if floating else data.REGION_CODES)[region]
        has_phone = phone if phone is not None else age >= 16 and rng.random() < (0.93 if age < 75 else 0.5)
        person = Person(
            name=self.name(region, gender, birth.year, surname),
            gender=gender, birth_date=birth, phone=self.phone() if has_phone else "",
        )
        set_id_number(person, self.id_number(rng.choice(codes), birth, gender == MALE))
        person._age, person._tags = age, set()
        return person

    def staff(self, region, lo=30, hi=55, *, name=None, gender=None, surname=None, tags=()) -> Person:
        """Someone the registers name who lives outside the demo's households: staff, leaders."""
        person = self.person(region, self.rng.randint(lo, hi), gender=gender, surname=surname, phone=True)
        person.name = name or person.name
        person._tags.update(tags)
        person.save()
        self.people.append(person)
        return person

    def family(self, size: int, tenure: str, profile: Profile) -> list[Person]:
        """The residents of one household: (age, gender, kind) by a plausible pattern, head first."""
        rng, members = self.rng, []

        def couple(lo, hi):
            age, male_head = rng.randint(lo, hi), rng.random() < 0.7
            other = max(20, age + (rng.randint(-5, 2) if male_head else rng.randint(-2, 5)))
            members.extend([(age, MALE if male_head else FEMALE, ""), (other, FEMALE if male_head else MALE, "")])
            return min(age, other)

        def kids(n, parent_age, kind="child"):
            hi = max(0, min(parent_age - 21, 24)) if kind == "child" else 15
            members.extend((rng.randint(max(0, hi - 16), hi), rng.choice((MALE, FEMALE)), kind) for _ in range(n))

        def elders(n, age):
            base = min(92, age + rng.randint(25, 30))
            genders = (MALE, FEMALE) if n == 2 else (rng.choice((MALE, FEMALE)),)
            members.extend((base + rng.randint(-2, 2), g, "") for g in genders)

        roll = rng.random()
        if tenure == Tenure.RENTED:
            if size == 1:
                members.append((rng.randint(19, 50), rng.choice((MALE, FEMALE)), ""))
            else:
                age = couple(22, 45)
                kids(min(size - 2, 2), age)
                if size == 5:
                    elders(1, age)
        elif size == 1:
            old = roll < profile.elderly
            members.append((rng.randint(68, 92) if old else rng.randint(22, 64), rng.choice((MALE, FEMALE)),
                            "alone" if old else ""))
        elif size == 2:
            if roll < 0.4:
                couple(60, 86)
            elif roll < 0.8:
                couple(24, 58)
            else:
                members.append((age := rng.randint(34, 55), rng.choice((MALE, FEMALE)), ""))
                kids(1, age)
        elif size in (3, 4) and roll < profile.left_behind:
            couple(55, 72)
            kids(size - 2, 0, kind="left")
        elif size == 3 and roll < 0.82:
            kids(1, couple(27, 50))
        elif size == 3:
            elders(1, couple(38, 58))
        elif size == 4:
            age = couple(28, 50)
            kids(2 if roll < 0.5 else 1, age)
            if roll >= 0.5:
                elders(1, age)
        else:
            age = couple(30, 50)
            three_kids = 0.6 <= roll < 0.75 + (0.15 if profile.rural else 0)
            kids(3 if three_kids else 1 if roll < 0.6 else 2, age)
            if not three_kids:
                elders(2 if roll < 0.6 else 1, age)

        floating = tenure == Tenure.RENTED and rng.random() < 0.85
        low_income = tenure == Tenure.OWNER_OCCUPIED and rng.random() < profile.low_income
        surname = self.name(profile.region, MALE, 1990)[0]
        people = []
        for age, gender, kind in members:
            kin = gender == MALE or kind in ("child", "left")  # wives keep their own surname
            p = self.person(profile.region, age, gender, surname if kin else None, floating)
            tags = p._tags
            tags.update({"alone": ["elderly_alone"], "left": ["left_behind_child"]}.get(kind, []))
            if floating:
                tags.add("floating_population")
            if low_income:
                tags.add("low_income")
            if age >= 18 and rng.random() < profile.party * (1.6 if age >= 55 else 0.6 if age < 30 else 1):
                tags.add("party_member")
            if rng.random() < (0.035 if age >= 65 else 0.012):
                tags.add("disabled")
            if gender == MALE and age >= 38 and rng.random() < 0.03:
                tags.add("veteran")
            if 18 <= age <= 70 and rng.random() < 0.025:
                tags.add("volunteer")
            if tags & {"elderly_alone", "disabled"} and rng.random() < 0.08:
                tags.add("special_hardship")
            if profile.rural and kind == "alone" and rng.random() < 0.3:
                tags.add("five_guarantee")
            people.append(p)
        return people

    def households(self, slots, profile: Profile, people: int | None = None) -> list[Home]:
        """Bulk-create a household per slot (place, unit number) with residents and memberships.

        With ``people``, household sizes are adjusted so the residents add up to exactly that.
        Rented and vacant households get an owner who lives elsewhere.
        """
        rng = self.rng
        tenures = [
            Tenure.VACANT if (roll := rng.random()) < profile.vacant
            else Tenure.RENTED if roll < profile.vacant + profile.rented else Tenure.OWNER_OCCUPIED
            for _ in slots
        ]
        sizes = [
            0 if t == Tenure.VACANT
            else rng.choices((1, 2, 3, 4), (35, 35, 20, 10))[0] if t == Tenure.RENTED
            else rng.choices((1, 2, 3, 4, 5), profile.sizes)[0]
            for t in tenures
        ]
        occupied = [i for i, size in enumerate(sizes) if size]
        while people is not None and sum(sizes) != people:
            i = rng.choice(occupied)
            step = 1 if sum(sizes) < people else -1
            if 1 <= sizes[i] + step <= 5:
                sizes[i] += step
        lo, hi = profile.area
        households = [
            Household(place=place, place_path=place.path, unit_number=unit, tenure=tenure,
                      floor_area=Decimal(rng.randint(lo * 100, hi * 100)) / 100)
            for (place, unit), tenure in zip(slots, tenures, strict=True)
        ]
        Household.objects.bulk_create(households, batch_size=BATCH)
        homes, owners, start = [], [], datetime.date(profile.since, 1, 1)
        for household, size in zip(households, sizes, strict=True):
            since = start + datetime.timedelta(days=rng.randint(0, (TODAY - start).days - 60))
            residents = self.family(size, household.tenure, profile) if size else []
            for resident in residents:
                resident.household, resident.home_path = household, household.place_path
            homes.append(Home(household, residents, since))
            if household.tenure != Tenure.OWNER_OCCUPIED:
                owners.append((household, self.person(profile.region, rng.randint(35, 72)), since))
        new_people = [p for home in homes for p in home.residents] + [owner for _h, owner, _s in owners]
        Person.objects.bulk_create(new_people, batch_size=BATCH)
        self.people.extend(new_people)
        members = [
            HouseholdMember(household=h, person=owner, relation=MemberRelation.OWNER, lives_here=False, valid_from=s)
            for h, owner, s in owners
        ]
        for home in homes:
            rented = home.household.tenure == Tenure.RENTED
            moved_in = TODAY - datetime.timedelta(days=rng.randint(30, 1100)) if rented else home.since
            for index, resident in enumerate(home.residents):
                relation = MemberRelation.TENANT if rented else MemberRelation.OWNER if index == 0 else (
                    MemberRelation.FAMILY)
                members.append(HouseholdMember(
                    household=home.household, person=resident, relation=relation, lives_here=True,
                    is_head=index == 0, valid_from=max(moved_in, resident.birth_date),
                ))
        HouseholdMember.objects.bulk_create(members, batch_size=BATCH)
        return homes

    def pick(self, homes, lo=25, hi=70, tag=None, heads=False) -> Person:
        """A resident of ``homes`` not yet holding a role: in the age range with ``tag`` if one is, else
        any adult with ``tag``, else someone in the age range who is then given ``tag``."""
        free = [
            p for h in homes for p in (h.residents[:1] if heads else h.residents)
            if p._age >= 18 and p.pk not in self.used
        ]
        in_range = [p for p in free if lo <= p._age <= hi]
        tagged = [p for p in free if tag in p._tags] if tag else []
        person = self.rng.choice([p for p in tagged if lo <= p._age <= hi] or tagged or in_range)
        if tag:
            person._tags.add(tag)
        self.used.add(person.pk)
        return person

    # --- places, organisations, roles -------------------------------------------------
    def place(self, parent, kind, code, name) -> object:
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
        self.join(branch, secretary or self.pick(homes, 45, 75, "party_member"), Position.SECRETARY, since=since)
        leaders = []
        for number, buildings in enumerate(groups, 1):
            group_name = f"{name.removesuffix('党支部')}第{data.CN_ORDINALS[number - 1]}党小组"
            group = self.org(f"{code}-g{number}", group_name, OK.PARTY_GROUP, buildings[0], branch, since=since)
            group_homes = [h for h in homes if h.block in buildings]
            leaders.append(self.pick(group_homes, 35, 72, "party_member"))
            self.join(group, leaders[-1], Position.CHAIR, since=since)
            for building in buildings:
                self.role(leaders[-1], "party_group_leader", building, on=since)
            for person in {p for h in group_homes for p in h.residents if "party_member" in p._tags}:
                self.join(group, person, since=since)
        return branch, leaders

    def team(self, code, name, place, members, serves=None, since=datetime.date(2019, 3, 1)):
        """A volunteer team; its members are tagged volunteer, the first is its captain."""
        team = self.org(code, name, OK.VOLUNTEER_TEAM, place, subtype=name[-5:], since=since)
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
        tax_branch, _ = self.party_branch("jz-shashi-tax-party", "沙市区税务局机关党支部", None, district, [],
                                          datetime.date(2015, 3, 1), secretary=self.staff("jz", 45, 55))
        self.join(tax_branch, lijun)
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
            self.team(f"xy-hjg-team{index + 1}", f"洪家沟社区{name}服务队", hjg, members, serves=hjg)
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
        rest = [p for b in buildings for p in adults[b] if p not in set(members)]
        for person in members + self.rng.sample(rest, 167 - len(members)):
            person._tags.add("party_member")

        grids = self.grids(fuxing, "zt-fuxing", split(buildings, 5), "zt", chief=secretary)  # "2+5"
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
            unit_branch, _ = self.party_branch(f"zt-{slug}-party", f"{unit_name}机关党支部", unit, county, [],
                                               datetime.date(2015, 3, 1), secretary=self.staff("zt", 40, 55))
            self.relate(branch, unit_branch, OrganisationRelationKind.PAIRED, since=datetime.date(2021, 3, 1))
        party_members = [p for h in homes for p in h.residents if "party_member" in p._tags]
        assert len(party_members) == 167, len(party_members)
        team_members = self.rng.sample(party_members, 6 * 14)
        for index, name in enumerate(data.FUXING_PARTY_TEAMS):
            self.team(f"zt-fuxing-pt{index + 1}", f"福兴社区{name}党员服务队", fuxing,
                      team_members[index * 14:(index + 1) * 14], serves=fuxing)
        carers = [holders[b, role] for b in buildings for role in ("building_chief", "building_volunteer")]
        for index, name in enumerate(data.FUXING_CARE_TEAMS):
            self.team(f"zt-fuxing-ct{index + 1}", f"福兴社区{name}爱心服务队", fuxing, carers[index::5][:10])
        assert len(grids) == 5
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
        [(grid, _chief, _worker)] = self.grids(hbd, "wzs-hbd", [[fcmy]], "wzs", chief=secretary)
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
            self.team(f"wzs-hbd-team{index + 1}", f"河北东社区{name[:-1]}网格服务队", hbd,
                      self.rng.sample(free, 22 if index < 2 else 21), serves=point, since=datetime.date(2017, 7, 1))
        return "五指山市 Wuzhishan", homes + estate_homes
