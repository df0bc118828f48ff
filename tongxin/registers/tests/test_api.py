import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tongxin.core.models import Household, PersonalDataRead
from tongxin.core.testing import OUTSIDE_MARKER

pytestmark = pytest.mark.django_db


def api_for(user) -> APIClient:
    client = APIClient()
    token, _ = Token.objects.get_or_create(user=user)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def all_pages(client, url):
    rows = []
    while url:
        body = client.get(url).json()
        rows.extend(body["results"])
        url = body["next"]
    return rows


def test_token_auth_is_required():
    assert APIClient().get("/api/v1/places/").status_code == 401


def test_places_are_scoped(world):
    codes = {row["code"] for row in all_pages(api_for(world.users["worker_a"]), "/api/v1/places/")}
    assert codes == {"t-grid-a", "t-b1", "t-b1-u1", "t-b1-u2"}
    assert api_for(world.users["worker_a"]).get("/api/v1/places/t-b2/").status_code == 404


def test_children_of_a_place(world):
    rows = all_pages(api_for(world.users["staff"]), "/api/v1/places/?parent=t-compound")
    assert [row["code"] for row in rows] == ["t-b1", "t-b2"]


def test_residents_are_masked_for_leaders_and_plain_but_logged_for_grid_workers(world):
    leader_rows = all_pages(api_for(world.users["leader"]), "/api/v1/residents/")
    assert len(leader_rows) == 12
    assert all("****" in row["phone"] and "*" in row["id_number"] for row in leader_rows)
    assert all("elderly_alone" not in row["tags"] for row in leader_rows)
    assert PersonalDataRead.objects.count() == 0
    worker_rows = all_pages(api_for(world.users["worker_a"]), "/api/v1/residents/")
    assert len(worker_rows) == 6 and not any(OUTSIDE_MARKER in row["name"] for row in worker_rows)
    assert all(len(row["phone"]) == 11 and "*" not in row["phone"] for row in worker_rows)
    assert PersonalDataRead.objects.filter(user=world.users["worker_a"]).count() == 12  # phone + ID, 6 people


def test_households_page_by_cursor(world):
    client = api_for(world.users["staff"])
    first = client.get("/api/v1/households/?page_size=5").json()
    assert len(first["results"]) == 5 and "cursor=" in first["next"]
    assert len(all_pages(client, "/api/v1/households/?page_size=5")) == Household.objects.count()


def test_resident_list_query_count_is_flat(world, django_assert_max_num_queries):
    from tongxin.core.testing import bulk_households

    client = api_for(world.users["staff"])
    with django_assert_max_num_queries(12):
        client.get("/api/v1/residents/?page_size=50")
    bulk_households([world.places["b1u1"], world.places["b2u1"]], 60, start=500)
    with django_assert_max_num_queries(12):
        assert len(client.get("/api/v1/residents/?page_size=50").json()["results"]) == 50


def test_schema_and_docs_are_served_without_a_cdn(client, world):
    client.force_login(world.users["staff"])
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/v1/residents/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "cdn" not in docs.lower() and "/static/drf_spectacular_sidecar/" in docs


def test_a_token_is_issued_for_phone_and_password_and_guessing_is_throttled(world, settings):
    from tongxin.core.testing import PASSWORD

    client = APIClient()
    token = client.post("/api/v1/auth/token/", {"phone": "13100000003", "password": PASSWORD}, format="json")
    assert token.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.json()['token']}")
    assert client.get("/api/v1/places/").status_code == 200
    settings.TONGXIN_LOGIN_MAX_FAILURES = 2
    anonymous = APIClient()
    for _ in range(2):
        wrong = anonymous.post("/api/v1/auth/token/", {"phone": "13100000001", "password": "x"}, format="json")
        assert wrong.status_code == 400 and wrong.json()["code"] == "login_refused"
    locked = anonymous.post("/api/v1/auth/token/", {"phone": "13100000001", "password": PASSWORD}, format="json")
    assert locked.status_code == 400 and "尝试次数过多" in locked.json()["detail"]

