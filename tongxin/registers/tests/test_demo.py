"""The demo loader: loads once per module (inside a transaction rolled back at the end)."""

import io

import pytest
from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.test.utils import override_settings

from tongxin.core.models import (
    GridCoverage,
    Household,
    HouseholdMember,
    Organisation,
    Person,
    Place,
    PlaceKind,
    RoleAssignment,
    Tenure,
    User,
)
from tongxin.core.privacy import id_number_of
from tongxin.core.roles import ROLES
from tongxin.core.selectors import counts_for
from tongxin.registers.demo import DEMO_LOGINS, SUPERUSER_PHONE, load
from tongxin.registers.demo_data import id_check_digit

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The whole demo, loaded once for this module and rolled back afterwards."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
                out = io.StringIO()
                load(out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def place(code: str) -> Place:
    return Place.objects.get(code=code)


def test_it_reports_progress_per_city(demo):
    for city in ("荆州市", "咸宁市", "襄阳市", "昭通市", "五指山市"):
        assert city in demo


def test_fuxing_has_its_seed_figures():
    fuxing = place("zt-fuxing")
    counts = counts_for([fuxing])[fuxing.pk]
    assert counts.households == 1775
    assert counts.residents == 6820
    assert counts.party_members == 167
    assert Place.objects.filter(parent__code="zt-fuxing-fxjy", kind=PlaceKind.BUILDING).count() == 63
    branches = Organisation.objects.filter(parent__code="zt-fuxing-party", kind="party_branch")
    assert branches.count() == 8
    assert all(branch.relations.filter(kind="paired").count() == 1 for branch in branches)
    grids = Place.objects.filter(parent=fuxing, kind=PlaceKind.GRID)
    assert grids.count() == 5 and all(grid.coverage.exists() for grid in grids)


def test_other_seed_figures():
    fuxingcheng = place("xn-sltan-fxc")
    counts = counts_for([fuxingcheng])[fuxingcheng.pk]
    assert counts.households > 1700 and counts.residents == 5400
    area = place("jz-hjt-a3")
    counts = counts_for([area])[area.pk]
    assert counts.households == 1128
    assert area.coverage.count() == 25
    assert Place.objects.filter(kind=PlaceKind.ENTRANCE, parent__covered_by__grid=area).count() == 80
    temporary = Organisation.objects.get(code="jz-hjt-a3-temp")
    assert temporary.is_temporary
    assert (str(temporary.started_on), str(temporary.ended_on)) == ("2020-02-03", "2020-12-20")
    assert RoleAssignment.objects.get(role="area_chief", place=area).person.name == "李俊"


def test_hebeidong_has_six_groups_and_sixty_small_grid_points_covering_courtyards():
    hebeidong = place("wzs-hbd")
    groups = Place.objects.filter(parent=hebeidong, kind=PlaceKind.VILLAGER_GROUP)
    assert groups.count() == 6
    assert groups.filter(name="雅蓄村居民小组").exists()
    points = Place.objects.filter(parent__parent=hebeidong, kind=PlaceKind.GRID_POINT)
    small = Place.objects.filter(parent__in=points, kind=PlaceKind.GRID_POINT)
    assert points.count() == 6 and small.count() == 60
    for point in small:
        covered = list(point.coverage.filter(valid_to__isnull=True))
        assert len(covered) == 1 and covered[0].place.kind == PlaceKind.COURTYARD
    for group in groups:
        assert 350 <= counts_for([group])[group.pk].households <= 400
    teams = Organisation.objects.filter(code__startswith="wzs-hbd-team", kind="volunteer_team")
    assert teams.count() == 6
    assert sum(team.members.count() for team in teams) == 128


def test_fuxingcheng_spans_two_grids():
    compound = place("xn-sltan-fxc")
    grids = (
        GridCoverage.objects.filter(place__path__gte=compound.path, place__path__lt=compound.path_end)
        .values_list("grid_id", flat=True).distinct()
    )
    assert len(set(grids)) == 2


def test_every_community_has_a_grid_covering_something():
    for community in Place.objects.filter(kind=PlaceKind.COMMUNITY):
        grids = Place.objects.filter(parent=community, kind=PlaceKind.GRID)
        assert grids.exists(), community.name
        assert GridCoverage.objects.filter(grid__in=grids).exists(), community.name


def test_every_role_has_a_holder_and_exactly_one_demo_login():
    assert [role for _phone, role in DEMO_LOGINS] == [role.code for role in ROLES]
    assert len({phone for phone, _role in DEMO_LOGINS}) == len(ROLES)
    demo_people = dict(User.objects.filter(phone__in=[p for p, _r in DEMO_LOGINS]).values_list("phone", "person_id"))
    for phone, role in DEMO_LOGINS:
        assert RoleAssignment.objects.filter(role=role, valid_to__isnull=True).exists(), role
        holders = RoleAssignment.objects.filter(role=role, person_id__in=demo_people.values())
        assert holders.values("person").distinct().count() == 1, role
        assert holders.filter(person_id=demo_people[phone]).exists(), role
        assert User.objects.get(phone=phone).check_password(settings.TONGXIN_DEMO_PASSWORD)
    assert User.objects.get(phone=SUPERUSER_PHONE).is_superuser
    assert User.objects.count() == len(ROLES) + 1


def test_demo_logins_sit_at_sensible_places():
    def held(role):
        phone = next(p for p, r in DEMO_LOGINS if r == role)
        return RoleAssignment.objects.filter(person__user__phone=phone, role=role).select_related("place")

    assert held("district_leader").get().place.name == "沙市区"
    assert held("street_leader").get().place.name == "朝阳街道"
    assert held("community_staff").get().place.name == "东苑社区"
    assert held("grid_worker").get().place.parent.name == "东苑社区"
    assert held("building_chief").get().place.parent.name == "沙市花园"
    assert held("property_staff").get().organisation.name == "楚阳物业管理有限公司"
    assert held("owners_committee_member").get().organisation.name == "沙市花园业主委员会"
    assert held("administrator").get().place is None


def test_denormalised_paths_are_right():
    assert not Household.objects.exclude(place_path=F("place__path")).exists()
    residents = Person.objects.filter(household__isnull=False)
    assert not residents.exclude(home_path=F("household__place_path")).exists()
    assert not Person.objects.filter(household__isnull=True).exclude(home_path="").exists()
    living = HouseholdMember.objects.filter(lives_here=True, valid_to__isnull=True)
    assert living.count() == residents.count()
    assert not living.exclude(household=F("person__household")).exists()
    assert not Household.objects.filter(tenure=Tenure.VACANT, residents__isnull=False).exists()
    absent_owners = HouseholdMember.objects.filter(relation="owner", lives_here=False)
    assert absent_owners.count() == Household.objects.exclude(tenure=Tenure.OWNER_OCCUPIED).count()


def test_id_numbers_are_unique_valid_and_match_birth_dates():
    people = list(Person.objects.only("id_number_encrypted", "id_number_hash", "birth_date", "gender"))
    numbers = [id_number_of(person) for person in people]
    assert len(set(numbers)) == len(numbers) == len({p.id_number_hash for p in people})
    for person, number in zip(people, numbers, strict=True):
        assert len(number) == 18 and number[:17].isdigit()
        assert number[17] == id_check_digit(number[:17])
        assert number[6:14] == person.birth_date.strftime("%Y%m%d")
        assert int(number[16]) % 2 == (1 if person.gender == "male" else 0)


def test_check_digit_matches_the_standard_example():
    # GB 11643-1999's worked example: 11010519491231002X.
    assert id_check_digit("11010519491231002") == "X"


def test_phones_and_households_look_real():
    phones = list(Person.objects.exclude(phone="").values_list("phone", flat=True))
    assert all(len(p) == 11 and p[:2] in {"13", "15", "17", "18", "19"} for p in phones)
    assert Person.objects.filter(phone="", household__isnull=False).exists()
    areas = Household.objects.values_list("floor_area", flat=True)
    assert all(40 <= area <= 140 for area in areas)
    total = Household.objects.count()
    rented = Household.objects.filter(tenure=Tenure.RENTED).count() / total
    vacant = Household.objects.filter(tenure=Tenure.VACANT).count() / total
    assert 0.07 < rented < 0.17 and 0.02 < vacant < 0.08
    sizes = [household.residents.count() for household in Household.objects.exclude(tenure=Tenure.VACANT)[:500]]
    assert min(sizes) >= 1 and max(sizes) <= 5


def test_tags_and_organisations_are_present():
    from tongxin.core.models import PersonTag
    from tongxin.core.tags import TAGS

    present = set(PersonTag.objects.values_list("tag", flat=True).distinct())
    by_care = {"empty_nest", "serious_illness"}  # set on the care register by the care demo (care/demo.py)
    assert present == {tag.code for tag in TAGS} - by_care
    kinds = set(Organisation.objects.values_list("kind", flat=True).distinct())
    assert kinds >= {"party_committee", "party_branch", "party_group", "residents_committee", "sub_committee",
                     "property_company", "owners_committee", "supervisory_committee", "work_unit",
                     "social_work_centre", "volunteer_team"}
    dongyuan = Organisation.objects.get(code="jz-dongyuan-party")
    assert dongyuan.subtype == "大党委" and 2 <= dongyuan.relations.filter(kind="member_unit").count() <= 3
    chuyang = Organisation.objects.get(name="楚阳物业管理有限公司")
    assert chuyang.place_links.filter(relation="manages", place__name="沙市花园").exists()
