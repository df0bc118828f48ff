"""The three links (三联系): coverage by building, suggestions, link and unlink, scope, queries."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, Organisation, OrganisationRelation, Person
from tongxin.core.services.places import create_place
from tongxin.core.testing import OUTSIDE_MARKER, bulk_households, count_queries, login_for
from tongxin.volunteering.models import Enrolment, HouseholdLink, Status
from tongxin.volunteering.selectors import links as selectors
from tongxin.volunteering.selectors.links import SAME_BUILDING, SAME_COMMUNITY, SAME_COMPOUND
from tongxin.volunteering.services import links as services

pytestmark = pytest.mark.django_db
URL = "/volunteering/coverage/"


# --- pure rules, table-driven -----------------------------------------------------------------
@pytest.mark.parametrize(("first", "second", "expected"), [
    ([("01", "02")], [("0101", "0102")], [("0101", "0102")]),
    ([("0101", "0102")], [("01", "02")], [("0101", "0102")]),
    ([("01", "02")], [("03", "04")], []),
    ([("01", "02"), ("03", "04")], [("0105", "0106"), ("0301", "0302")], [("0105", "0106"), ("0301", "0302")]),
    (access.ALL, [("01", "02")], [("01", "02")]),
    ([("01", "02")], access.ALL, [("01", "02")]),
    (access.ALL, access.ALL, access.ALL),
    ([], [("01", "02")], []),
])
def test_intersect(first, second, expected):
    assert selectors.intersect(first, second) == expected


B = "00001000010000100001"  # community 0000100001, compound 000010000100001, building ...00001
B_END = "00001000010000100002"


@pytest.mark.parametrize(("home", "community", "expected"), [
    (B + "00001", "0000100001", SAME_BUILDING),  # an entrance of the building
    (B, "0000100001", SAME_BUILDING),
    ("00001000010000100003", "0000100001", SAME_COMPOUND),  # another building of the compound
    ("00001000010000100003" + "00002", "0000100001", SAME_COMPOUND),
    ("000010000100002", "0000100001", SAME_COMMUNITY),  # elsewhere in the community
    ("", "0000100001", SAME_COMMUNITY),  # no home given
    (B, "0000100002", None),  # enrolled in another community
    (B, "", None),
])
def test_nearness(home, community, expected):
    assert selectors.nearness(home, B, B_END, community) == expected


def test_building_directly_under_the_community_has_no_compound_level():
    building, end, community = "00001000010000100007", "00001000010000100008", "000010000100001"
    assert selectors.nearness("00001000010000100009", building, end, community) == SAME_COMMUNITY


@pytest.mark.parametrize(("rows", "expected"), [
    ([(SAME_COMMUNITY, 0, "甲", 1), (SAME_BUILDING, 9, "乙", 2)], [2, 1]),  # nearness beats load
    ([(SAME_COMPOUND, 3, "甲", 1), (SAME_COMPOUND, 1, "乙", 2)], [2, 1]),  # then the fewest links
    ([(SAME_BUILDING, 2, "甲", 1), (SAME_BUILDING, 2, "乙", 2)], [2, 1]),  # then by name (code point order)
])
def test_suggestion_order(rows, expected):
    assert [r[3] for r in sorted(rows, key=lambda r: selectors.suggestion_order(*r))] == expected


# --- fixtures ---------------------------------------------------------------------------------------
def enrol(world, person, *, home=True, status=Status.APPROVED, community=None) -> Enrolment:
    community = community or world.places["community"]
    place = person.household.place if home and person.household_id else None
    return Enrolment.objects.create(
        person=person, kind="party_member", community=community, community_path=community.path,
        home=place, home_path=place.path if place else "", status=status,
    )


def households_of(world, key) -> list[Household]:
    place = world.places[key]
    return list(Household.objects.filter(place_path__gte=place.path, place_path__lt=place.path_end)
                .select_related("place").order_by("place_path", "unit_number"))


def link(enrolment, household, on=datetime.date(2026, 1, 5)) -> HouseholdLink:
    return HouseholdLink.objects.create(household=household, enrolment=enrolment, place_path=household.place_path,
                                        valid_from=on)


def person_in(world, key) -> Person:
    place = world.places[key]
    return Person.objects.filter(home_path__gte=place.path, home_path__lt=place.path_end).order_by("id").first()


@pytest.fixture
def linked(world):
    """Building 1: one member living there, one living in building 2 (grid B, a marked name),
    one with no home given. Two households of building 1 are linked, one of them twice."""
    b1 = households_of(world, "b1")
    near = enrol(world, person_in(world, "b1u2"))
    far = enrol(world, person_in(world, "b2u1"))
    homeless = enrol(world, Person.objects.create(name="无住址志愿者"), home=False)
    link(near, b1[0])
    link(homeless, b1[0])
    link(near, b1[1])
    return {"near": near, "far": far, "homeless": homeless, "b1": b1, "b2": households_of(world, "b2")}


# --- coverage ---------------------------------------------------------------------------------------
def test_coverage_counts_by_building_with_the_least_covered_first(world, linked):
    result = selectors.coverage(world.users["staff"], world.places["community"])
    assert [row.place.code for row in result.blocks] == ["t-b2", "t-b1"]
    b2, b1 = result.blocks
    assert (b1.households, b1.linked, b1.links, b1.nobody) == (6, 2, 3, 4)
    assert (b2.households, b2.linked, b2.links, b2.nobody) == (6, 0, 0, 6)
    assert (result.households, result.linked, result.links, result.nobody) == (12, 2, 3, 10)
    assert len(b1.unlinked) == 4 and {h["id"] for h in b1.unlinked}.isdisjoint({h.pk for h in linked["b1"][:2]})
    assert b1.unlinked[0]["entrance"] == "1单元" and b1.unlinked[0]["unit_number"]
    # per member, their households
    members = {m.enrolment_id: m for m in result.members}
    assert len(members[linked["near"].pk].households) == 2 and members[linked["near"].pk].links == 2
    assert members[linked["far"].pk].households == []


def test_a_closed_household_and_an_ended_link_do_not_count(world, linked):
    HouseholdLink.objects.filter(enrolment=linked["near"], household=linked["b1"][1]).update(
        valid_to=datetime.date(2026, 2, 1))
    Household.objects.filter(pk=linked["b1"][5].pk).update(closed_on=datetime.date(2026, 2, 1))
    b1 = next(r for r in selectors.coverage(world.users["staff"], world.places["community"]).blocks
              if r.place.code == "t-b1")
    assert (b1.households, b1.linked, b1.links) == (5, 1, 2)


def test_suggestions_nearest_first_then_fewest_links(world, linked):
    another_near = enrol(world, Person.objects.filter(home_path__startswith=world.places["b1u1"].path)
                         .order_by("id").first())
    result = selectors.coverage(world.users["staff"], world.places["community"])
    b1 = next(r for r in result.blocks if r.place.code == "t-b1")
    order = [(s.enrolment_id, s.nearness) for s in b1.suggestions]
    assert order == [(another_near.pk, SAME_BUILDING), (linked["near"].pk, SAME_BUILDING),
                     (linked["far"].pk, SAME_COMPOUND), (linked["homeless"].pk, SAME_COMMUNITY)]
    b2 = next(r for r in result.blocks if r.place.code == "t-b2")
    assert b2.suggestions[0].enrolment_id == linked["far"].pk


def test_pending_members_and_members_of_other_communities_are_not_suggested(world, linked):
    other = create_place(parent=world.places["street"], kind="community", code="t-other", name="别的社区")
    pending = enrol(world, person_in(world, "b1u1"), status=Status.PENDING)
    elsewhere = enrol(world, Person.objects.create(name="外社区党员"), home=False, community=other)
    result = selectors.coverage(world.users["staff"], world.places["community"])
    suggested = {s.enrolment_id for row in result.blocks for s in row.suggestions}
    assert pending.pk not in suggested and elsewhere.pk not in suggested
    assert linked["near"].pk in suggested


# --- link and unlink ------------------------------------------------------------------------------------
def test_link_unlink_and_the_same_live_pair_twice(world, linked):
    staff, near, household = world.users["staff"], linked["near"], linked["b1"][2]
    assert services.link(staff, near, [household]) == 1
    with pytest.raises(RefusedError) as refused:
        services.link(staff, near, [linked["b1"][3], household])  # all or nothing
    assert refused.value.code == "already_linked"
    assert not HouseholdLink.objects.filter(household=linked["b1"][3]).exists()
    row = HouseholdLink.objects.get(enrolment=near, household=household, valid_to__isnull=True)
    services.unlink(staff, row)
    row.refresh_from_db()
    assert row.valid_to is not None
    with pytest.raises(RefusedError):
        services.unlink(staff, row)
    services.link(staff, near, [household])  # again, after the first ended: history kept
    assert HouseholdLink.objects.filter(enrolment=near, household=household).count() == 2


def test_a_second_member_may_link_the_same_household(world, linked):
    assert services.link(world.users["staff"], linked["far"], [linked["b1"][0]]) == 1
    assert HouseholdLink.objects.filter(household=linked["b1"][0], valid_to__isnull=True).count() == 3


def test_the_database_refuses_the_same_live_pair(world, linked):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        link(linked["near"], linked["b1"][0])


def test_link_all_stops_at_the_members_limit(world, linked, monkeypatch):
    monkeypatch.setattr(services, "LINK_ALL_UP_TO", 4)
    staff, near = world.users["staff"], linked["near"]  # near has 2 links already
    assert services.link_all(staff, near, world.places["b1"]) == 2
    assert HouseholdLink.objects.filter(enrolment=near, valid_to__isnull=True).count() == 4
    with pytest.raises(RefusedError) as refused:
        services.link_all(staff, near, world.places["b1"])
    assert refused.value.code == "member_full"


def test_link_all_takes_only_households_with_nobody(world, linked):
    staff, far = world.users["staff"], linked["far"]
    assert services.link_all(staff, far, world.places["b1"]) == 4
    with pytest.raises(RefusedError) as refused:
        services.link_all(staff, linked["homeless"], world.places["b1"])
    assert refused.value.code == "block_covered"


def test_pending_members_and_other_communities_are_refused(world, linked):
    pending = enrol(world, person_in(world, "b1u1"), status=Status.PENDING)
    with pytest.raises(RefusedError):
        services.link(world.users["staff"], pending, [linked["b1"][4]])
    other = create_place(parent=world.places["street"], kind="community", code="t-other", name="别的社区")
    elsewhere = enrol(world, Person.objects.create(name="外社区党员"), home=False, community=other)
    with pytest.raises(RefusedError) as refused:
        services.link(world.users["staff"], elsewhere, [linked["b1"][4]])
    assert refused.value.code == "household_other_community"


def test_the_page_links_and_unlinks(world, linked):
    client = Client()
    client.force_login(world.users["staff"])
    household = linked["b1"][3]
    data = {"block": "t-b1", "enrolment": linked["homeless"].pk, "households": [household.pk], "form_key": "k1",
            "back": "t-b1"}
    response = client.post(reverse("volunteering-coverage-link"), data, follow=True)
    assert HouseholdLink.objects.filter(household=household, enrolment=linked["homeless"]).exists()
    assert "无住址志愿者" in response.content.decode()
    again = client.post(reverse("volunteering-coverage-link"), {**data, "form_key": "k2"}, follow=True)
    assert "无需重复结对" in again.content.decode()  # the constraint's refusal, in Chinese
    twice = client.post(reverse("volunteering-coverage-link"), {**data, "form_key": "k1"}, follow=True)
    assert "已经提交过" in twice.content.decode()  # a double submit acts once
    empty = {**data, "households": [], "form_key": "k3"}
    assert "请勾选" in client.post(reverse("volunteering-coverage-link"), empty, follow=True).content.decode()
    other = {**data, "households": [linked["b1"][4].pk], "form_key": "k3"}  # the refused form's key still works
    client.post(reverse("volunteering-coverage-link"), other)
    assert HouseholdLink.objects.filter(household=linked["b1"][4], enrolment=linked["homeless"]).exists()
    row = HouseholdLink.objects.get(household=household, enrolment=linked["homeless"])
    ended = client.post(reverse("volunteering-coverage-unlink", args=[row.pk]), {"back": "t-b1"}, follow=True)
    assert ended.status_code == 200
    row.refresh_from_db()
    assert row.valid_to is not None
    page = client.get(URL, {"place": "t-b1"}).content.decode()
    assert "volunteering/coverage/link/" in page and 'name="households"' in page


# --- scope --------------------------------------------------------------------------------------------
def test_a_manager_of_another_community_sees_nothing_here(world, linked):
    other = create_place(parent=world.places["street"], kind="community", code="t-other", name="别的社区")
    user = login_for(world, "other_staff", "community_staff", place=other, phone="13100000099")
    client = Client()
    client.force_login(user)
    page = client.get(URL)
    assert page.status_code == 200 and "别的社区" in page.content.decode()
    body = page.content.decode()
    assert OUTSIDE_MARKER not in body and "无住址志愿者" not in body and "t-b1" not in body
    assert client.get(URL, {"place": "t-community"}).status_code == 404
    assert client.get(URL, {"place": "t-b1"}).status_code == 404
    post = client.post(reverse("volunteering-coverage-link"),
                       {"block": "t-b1", "enrolment": linked["near"].pk, "all": "1", "form_key": "x1"})
    assert post.status_code == 404
    row = HouseholdLink.objects.filter(valid_to__isnull=True).first()
    assert client.post(reverse("volunteering-coverage-unlink", args=[row.pk])).status_code == 404
    assert HouseholdLink.objects.filter(valid_to__isnull=True).count() == 3


def test_grid_a_sees_its_building_and_never_grid_b(world, linked):
    client = Client()
    client.force_login(world.users["worker_a"])
    body = client.get(URL).content.decode()
    assert OUTSIDE_MARKER not in body
    assert "t-b1" in body and "t-b2" not in body
    assert client.get(URL, {"place": "t-b2"}).status_code == 404
    # the member living in grid B is not offered to grid A, not even by id
    post = client.post(reverse("volunteering-coverage-link"),
                       {"block": "t-b1", "enrolment": linked["far"].pk, "households": [linked["b1"][4].pk],
                        "form_key": "x2"})
    assert post.status_code == 404
    assert not HouseholdLink.objects.filter(household=linked["b1"][4]).exists()
    staff = Client()
    staff.force_login(world.users["staff"])
    assert OUTSIDE_MARKER in staff.get(URL).content.decode()  # the positive control: staff see both grids


def test_roles_without_the_permission_are_refused(world):
    client = Client()
    client.force_login(world.users["chief_b1"])
    assert client.get(URL).status_code == 403
    assert client.post(reverse("volunteering-coverage-link"), {"block": "t-b1"}).status_code == 403


def test_leaders_see_masked_names_and_no_actions(world, linked):
    client = Client()
    client.force_login(world.users["leader"])
    body = client.get(URL, {"place": "t-community"}).content.decode()
    assert "无住址志愿者" not in body and "无*****" in body
    assert "volunteering/coverage/link/" not in body


def test_the_page_shows_the_paired_branches(world):
    since = datetime.date(2021, 3, 1)
    community_party = Organisation.objects.create(code="t-party", name="测试社区党委", kind="party_committee",
                                                  place=world.places["community"], started_on=since)
    unit = Organisation.objects.create(code="t-unit", name="测试区税务局", kind="work_unit", started_on=since)
    branch = Organisation.objects.create(code="t-unit-party", name="测试区税务局机关党支部", kind="party_branch",
                                         parent=unit, started_on=since)
    OrganisationRelation.objects.create(subject=branch, object=community_party, kind="paired", valid_from=since)
    client = Client()
    client.force_login(world.users["staff"])
    body = client.get(URL, {"place": "t-community"}).content.decode()
    assert "测试区税务局机关党支部" in body and "测试社区党委" in body


# --- queries flat -----------------------------------------------------------------------------------------
def _page_queries(client, code) -> int:
    with count_queries() as statements:
        response = client.get(URL, {"place": code})
    assert response.status_code == 200
    return len(statements)


def test_the_page_runs_as_many_queries_when_members_and_households_double(world, linked):
    client = Client()
    client.force_login(world.users["staff"])
    entrances = [world.places[k] for k in ("b1u1", "b1u2", "b2u1", "b2u2")]
    bulk_households(entrances, 5, start=500)
    client.get(URL, {"place": "t-community"})  # warm the per-request caches alike
    before = _page_queries(client, "t-community")
    assert before <= 20
    bulk_households(entrances, 11, start=600)  # households double (and more)
    people = list(Person.objects.filter(name__startswith="批量").order_by("id"))
    new = [enrol(world, person) for person in people[:8]]
    for index, enrolment in enumerate(new):  # members double, each with links
        for household in Household.objects.filter(unit_number__startswith="6").order_by("id")[index * 3:index * 3 + 3]:
            link(enrolment, household)
    assert _page_queries(client, "t-community") == before
    assert _page_queries(client, "t-b1") <= before
