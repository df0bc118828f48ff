"""Reference data and generators for the demo loader: names, ID numbers, phones, families.

Everything here is invented or generic (common surnames and given-name characters,
administrative division codes); no generated row describes a real person. ``Population``
makes residents and bulk-inserts households with them, keeping the denormalised columns
(``Household.place_path``, ``Person.household`` and ``home_path``) that the core's services
would otherwise keep.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from itertools import accumulate

from tongxin.core.models import Gender, Household, HouseholdMember, MemberRelation, Person, PlaceKind, Tenure
from tongxin.core.privacy import set_id_number

TODAY = datetime.date(2026, 1, 1)  # the demo's "now": ages and dates count from it
BATCH = 1000
MALE, FEMALE = Gender.MALE, Gender.FEMALE
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)

# Common surnames with rough relative frequencies (per mille of the population).
SURNAMES = {
    "王": 71, "李": 70, "张": 67, "刘": 54, "陈": 45, "杨": 31, "黄": 22, "赵": 20, "吴": 20, "周": 19,
    "徐": 15, "孙": 15, "马": 14, "朱": 13, "胡": 13, "郭": 11, "何": 11, "高": 10, "林": 10, "罗": 9,
    "郑": 9, "梁": 8, "谢": 7, "宋": 7, "唐": 7, "许": 6, "韩": 6, "冯": 6, "邓": 6, "曹": 6,
    "彭": 5, "曾": 5, "肖": 5, "田": 5, "董": 5, "袁": 5, "潘": 4, "于": 4, "蒋": 4, "蔡": 4,
    "余": 4, "杜": 4, "叶": 4, "程": 4, "苏": 3, "魏": 3, "吕": 3, "丁": 3, "任": 3, "沈": 3,
    "姚": 3, "卢": 3, "姜": 3, "崔": 3, "钟": 3, "谭": 3, "陆": 3, "汪": 3, "范": 3, "金": 3,
    "石": 3, "廖": 3, "贾": 3, "夏": 3, "韦": 3, "付": 3, "方": 3, "熊": 3, "万": 2, "雷": 2,
}
# Extra weight for surnames common in one region (added to SURNAMES there).
REGIONAL_SURNAMES = {
    "jz": {"刘": 10, "熊": 4, "万": 3, "聂": 2, "覃": 2},
    "xn": {"刘": 8, "熊": 4, "程": 4, "阮": 2, "饶": 2},
    "xy": {"刘": 8, "孟": 3, "闫": 3, "王": 6},
    "zt": {"罗": 8, "杨": 8, "龙": 4, "李": 6, "邱": 2},
    "wzs": {"符": 20, "黎": 10, "吉": 6, "王": 20, "黄": 10, "卓": 3, "陈": 8, "林": 6},
}

# Given-name characters by generation: (born before 1970, 1970–1999, 2000 and later).
GIVEN_MALE = (
    "国建华明德福志军文忠庆祥金保平胜山海林春生发清贵",
    "伟强磊勇杰涛斌刚辉鹏超峰波亮飞兵龙俊凯健宏斌松",
    "子轩浩宇睿泽昊航博文奕铭晨阳梓皓宸一诺钧嘉",
)
GIVEN_FEMALE = (
    "秀英兰桂凤珍芳玉梅翠华淑琴素云荣莲菊香",
    "丽艳娟霞燕玲敏静红萍莉婷洁琳慧倩颖丹蓉",
    "欣怡诗涵梓萱雨彤可馨若汐思语佳琪一依悦",
)

# Administrative division codes (GB/T 2260) for ID numbers: local codes per region,
# and codes of places floating residents typically come from.
REGION_CODES = {
    "jz": ("421002", "421002", "421002", "421003", "421022", "421024", "421081", "421083", "421087"),
    "xn": ("421202", "421202", "421202", "421221", "421222", "421223", "421224", "421281"),
    "xy": ("420606", "420606", "420602", "420607", "420624", "420625", "420682", "420683", "420684"),
    "zt": ("530626", "530626", "530626", "530626", "530602", "530623", "530625", "530627"),
    "wzs": ("469001", "469001", "469001", "469001", "460105", "469029", "469030", "469027"),
}
FLOATING_CODES = {
    "jz": ("430602", "431002", "411302", "421102", "420117", "500228", "510802"),
    "xn": ("430621", "360430", "421102", "420117", "421125", "430626"),
    "xy": ("411302", "411325", "420302", "421302", "610902", "500228"),
    "zt": ("511502", "511529", "532101", "530381", "520626"),
    "wzs": ("460105", "460106", "440882", "450881", "430621", "510802"),
}

# Mobile prefixes of the three carriers; demo logins use 1390000 00NN, so residents avoid it.
PHONE_PREFIXES = (
    "130", "131", "132", "133", "135", "136", "137", "138", "139", "150", "151", "152", "153", "155",
    "156", "157", "158", "159", "173", "176", "177", "180", "181", "182", "183", "185", "186", "187",
    "188", "189", "191", "193", "195", "198", "199",
)

# 河北东社区: six villager groups (slug, name).
HEBEIDONG_GROUPS = (
    ("yaxu", "雅蓄村"), ("fuguan", "福关村"), ("fanmao", "番茅村"),
    ("yari", "牙日村"), ("shibao", "什保村"), ("fansai", "番赛村"),
)

# 福兴社区: the eight county units whose branches pair with the community's branches (三联系).
SUIJIANG_UNITS = (
    ("zzb", "中共绥江县委组织部"), ("wjj", "绥江县卫生健康局"), ("jtj", "绥江县教育体育局"),
    ("rsj", "绥江县人力资源和社会保障局"), ("zjj", "绥江县住房和城乡建设局"), ("mzj", "绥江县民政局"),
    ("sfj", "绥江县司法局"), ("sjj", "绥江县市场监督管理局"),
)
FUXING_PARTY_TEAMS = ("政策宣传", "人居环境", "纠纷调处", "平安建设", "就业创业", "青年志愿")
FUXING_CARE_TEAMS = ("奉献之心", "互助之心", "关爱之心", "敬老之心", "慈爱之心")
HONGJIAGOU_TEAMS = ("政策宣传", "法律援助", "医疗", "教育", "维修")
SUB_COMMITTEES = (("mediation", "人民调解委员会"), ("security", "治安保卫委员会"), ("health", "公共卫生委员会"))

# 十六潭社区大党委's eight member units (seed 002).
SHILIUTAN_MEMBER_UNITS = (
    ("jyj", "咸安区教育局"), ("wjj", "咸安区卫生健康局"), ("zjj", "咸安区住房和城乡建设局"),
    ("mzj", "咸安区民政局"), ("cgj", "咸安区城市管理执法局"), ("pcs", "咸安区公安分局温泉派出所"),
    ("gdj", "国网咸宁供电公司咸安分公司"), ("yh", "咸宁农村商业银行温泉支行"),
)

CN_ORDINALS = "一二三四五六七八九十"


# --- generators ---------------------------------------------------------------------------
def id_check_digit(first17: str) -> str:
    """GB 11643 check character of an 18-character resident ID number."""
    return "10X98765432"[sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True)) % 11]


@dataclass(frozen=True)
class Profile:
    """How the households of one compound or village look."""

    region: str  # key of REGION_CODES
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
    """A household as created, with its residents (head first) and the day they moved in."""

    household: Household
    residents: list  # Person, head first
    since: datetime.date

    @property
    def block(self):
        """The building (or villager group) the household is in."""
        place = self.household.place
        return place.parent if place.kind in (PlaceKind.ENTRANCE, PlaceKind.COURTYARD) else place


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
    """Homes grouped by building (or villager group), in creation order."""
    grouped = defaultdict(list)
    for home in homes:
        grouped[home.block].append(home)
    return grouped


class Population:
    """Makes people and households; ``rng`` is the only source of chance."""

    def __init__(self, rng: random.Random):
        self.rng = rng
        self.ids: set[str] = set()
        self.used: set[int] = set()  # residents already holding a demo role
        self.people: list[Person] = []  # everyone created, for the tag flush
        self.fixed_tags: set[str] = set()  # tags pick() must not hand out
        self.surnames = {}  # region -> (surnames, cumulative weights)
        for region in REGION_CODES:
            weights = dict(SURNAMES)
            for surname, extra in REGIONAL_SURNAMES.get(region, {}).items():
                weights[surname] = weights.get(surname, 0) + extra
            self.surnames[region] = (list(weights), list(accumulate(weights.values())))

    def surname(self, region: str) -> str:
        surnames, weights = self.surnames[region]
        return self.rng.choices(surnames, cum_weights=weights)[0]

    def name(self, region: str, gender: str, year: int, surname: str | None = None) -> str:
        """Surname and one or two given-name characters in the taste of the birth year."""
        surname = surname or self.surname(region)
        era = 0 if year < 1970 else 1 if year < 2000 else 2
        pool = (GIVEN_MALE if gender == MALE else GIVEN_FEMALE)[era]
        length = 1 if self.rng.random() < (0.4 if era == 0 else 0.25) else 2
        return surname + "".join(self.rng.choice(pool) for _ in range(length))

    def id_number(self, region_code: str, birth: datetime.date, male: bool) -> str:
        """A new 18-character ID: region, birth date, sequence (odd for men) and check digit."""
        while True:
            sequence = self.rng.randrange(0, 1000, 2) + (1 if male else 0)
            first17 = f"{region_code}{birth:%Y%m%d}{sequence:03d}"
            number = first17 + id_check_digit(first17)
            if number not in self.ids:
                self.ids.add(number)
                return number

    def phone(self) -> str:
        """A random mobile number, never in 1390000xxxx where the demo logins are."""
        while True:
            number = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if not number.startswith("1390000"):
                return number

    def person(self, region, age, gender=None, surname=None, floating=False, phone=None) -> Person:
        """An unsaved person with a name, birth date, encrypted ID number and maybe a phone."""
        rng = self.rng
        gender = gender or rng.choice((MALE, FEMALE))
        birth = TODAY - datetime.timedelta(days=int(age * 365.25) + rng.randint(1, 360))
        codes = (FLOATING_CODES if floating else REGION_CODES)[region]
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
        surname = self.surname(profile.region)
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
            residents = self.family(size, household.tenure, profile) if size else []
            for resident in residents:
                resident.household, resident.home_path = household, household.place_path
            bought = self.day_between(start, TODAY)
            if household.tenure == Tenure.RENTED:
                since = self.day_between(max(bought, TODAY - datetime.timedelta(days=1100)), TODAY)
            elif residents:  # the head bought it as an adult
                adult = residents[0].birth_date + datetime.timedelta(days=22 * 365)
                since = bought = self.day_between(max(start, adult), TODAY)
            homes.append(Home(household, residents, since if residents else bought))
            if household.tenure != Tenure.OWNER_OCCUPIED:
                owners.append((household, self.person(profile.region, rng.randint(35, 72)), bought))
        new_people = [p for home in homes for p in home.residents] + [owner for _h, owner, _s in owners]
        Person.objects.bulk_create(new_people, batch_size=BATCH)
        self.people.extend(new_people)
        members = [
            HouseholdMember(household=h, person=owner, relation=MemberRelation.OWNER, lives_here=False, valid_from=s)
            for h, owner, s in owners
        ]
        for home in homes:
            rented = home.household.tenure == Tenure.RENTED
            for index, resident in enumerate(home.residents):
                relation = (
                    MemberRelation.TENANT if rented else MemberRelation.OWNER if index == 0 else MemberRelation.FAMILY
                )
                members.append(HouseholdMember(
                    household=home.household, person=resident, relation=relation, lives_here=True,
                    is_head=index == 0, valid_from=max(home.since, resident.birth_date),
                ))
        HouseholdMember.objects.bulk_create(members, batch_size=BATCH)
        return homes

    def day_between(self, first: datetime.date, last: datetime.date) -> datetime.date:
        """A day from ``first`` to a month before ``last`` (``first`` if that is later)."""
        return first + datetime.timedelta(days=self.rng.randint(0, max(0, (last - first).days - 30)))

    def pick(self, homes, lo=25, hi=70, tag=None, heads=False) -> Person:
        """A resident of ``homes`` in the age range, not yet holding a role, who has ``tag``.

        If nobody in range has it, someone in range is given it; but for a tag in
        ``fixed_tags`` (holders counted exactly) an adult of any age who has it is taken.
        """
        free = [
            p for h in homes for p in (h.residents[:1] if heads else h.residents)
            if p._age >= 18 and p.pk not in self.used
        ]
        in_range = [p for p in free if lo <= p._age <= hi]
        if tag:
            tagged = [p for p in in_range if tag in p._tags]
            fallback = [p for p in free if tag in p._tags] if tag in self.fixed_tags else in_range
            person = self.rng.choice(tagged or fallback)
            person._tags.add(tag)
        else:
            person = self.rng.choice(in_range)
        self.used.add(person.pk)
        return person
