import pytest
from django.urls import reverse

from tongxin.core.models import Household, PersonalDataRead
from tongxin.core.testing import OUTSIDE_MARKER, PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user)
        return client

    return _login


def test_a_grid_worker_browses_from_the_grid_to_a_household(world, login):
    client = login(world.users["worker_a"])
    index = client.get(reverse("place-index"))
    assert index.status_code == 200
    page = client.get(reverse("place-detail", args=["t-grid-a"])).content.decode()
    assert "1栋" in page and "2栋" not in page
    building = client.get(reverse("place-detail", args=["t-b1"])).content.decode()
    assert "1单元" in building and "2单元" in building
    entrance = client.get(reverse("place-detail", args=["t-b1-u1"])).content.decode()
    household = Household.objects.filter(place__code="t-b1-u1").first()
    assert reverse("household-detail", args=[household.pk]) in entrance
    detail = client.get(reverse("household-detail", args=[household.pk])).content.decode()
    person = household.residents.first()
    assert person.name in detail and person.phone not in detail
    assert person.phone[:3] + "****" + person.phone[-4:] in detail


def test_places_outside_the_scope_are_not_found(world, login):
    client = login(world.users["worker_a"])
    outside_household = Household.objects.filter(place__code="t-b2-u1").first()
    for url in (
        reverse("place-detail", args=["t-b2"]),
        reverse("place-detail", args=["t-community"]),
        reverse("place-households", args=["t-b2-u1"]),
        reverse("household-detail", args=[outside_household.pk]),
        reverse("person-detail", args=[outside_household.residents.first().pk]),
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert OUTSIDE_MARKER not in response.content.decode()


def test_counts_on_the_community_page(world, login):
    client = login(world.users["staff"])
    page = client.get(reverse("place-detail", args=["t-community"]))
    counts = page.context["counts"]
    assert (counts.households, counts.residents, counts.party_members) == (12, 12, 4)
    children = {place.code: c.households for place, c in page.context["children"]}
    assert children == {"t-compound": 12, "t-grid-a": 6, "t-grid-b": 6}


def test_a_grid_page_lists_what_it_covers(world, login):
    page = login(world.users["staff"]).get(reverse("place-detail", args=["t-grid-b"]))
    assert [(p.code, c.households) for p, c, _visible in page.context["covered"]] == [("t-b2", 6)]


def test_households_page_with_keyset_more(world, login):
    from tongxin.core.testing import bulk_households

    entrance = world.places["b1u1"]
    bulk_households([entrance], 40, start=1000)
    client = login(world.users["staff"])
    first = client.get(reverse("place-detail", args=["t-b1-u1"]))
    assert len(first.context["households"]) == 30 and first.context["next_after"]
    more = client.get(reverse("place-households", args=["t-b1-u1"]), {"after": first.context["next_after"]})
    assert len(more.context["households"]) == 13 and more.context["next_after"] is None


def test_a_person_page_masks_until_revealed_and_logs_the_reveal(world, login):
    client = login(world.users["worker_a"])
    household = Household.objects.filter(place__code="t-b1-u1").first()
    person = household.residents.first()
    page = client.get(reverse("person-detail", args=[person.pk])).content.decode()
    assert person.phone not in page and "显示完整手机号和身份证号" in page
    shown = client.post(reverse("person-reveal", args=[person.pk])).content.decode()
    assert person.phone in shown
    assert PersonalDataRead.objects.filter(person=person, user=world.users["worker_a"]).count() == 1


def test_a_building_chief_sees_masked_data_and_no_sensitive_tags(world, login):
    client = login(world.users["chief_b1"])
    household = Household.objects.filter(place__code="t-b1-u1").first()
    elderly = household.place.households.all()[1].residents.first()
    page = client.get(reverse("person-detail", args=[elderly.pk])).content.decode()
    assert "独居老人" not in page and "敏感群体" in page
    assert "显示完整" not in page
    assert client.post(reverse("person-reveal", args=[elderly.pk])).status_code == 404
    assert PersonalDataRead.objects.count() == 0


def test_the_home_page_shows_the_users_places(world, client):
    client.post(reverse("login"), {"phone": "13100000003", "password": PASSWORD})
    page = client.get(reverse("home"))
    stats = {str(stat.label): stat.value for stat in page.context["stats"]}
    assert stats["测试社区：住户"] == 12


def test_place_search_is_scoped_and_names_the_whole_path(world, login, django_assert_max_num_queries):
    client = login(world.users["worker_a"])
    with django_assert_max_num_queries(8):
        page = client.get(reverse("place-index"), {"q": "单元"})
    found = {place.code: full for place, full in page.context["results"]}
    assert set(found) == {"t-b1-u1", "t-b1-u2"}
    assert found["t-b1-u1"] == "测试区 / 测试街道 / 测试社区 / 测试小区 / 1栋 / 1单元"
    assert "找到 0 个地点" in client.get(reverse("place-index"), {"q": "没有"}).content.decode()
