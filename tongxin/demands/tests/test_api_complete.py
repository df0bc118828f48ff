"""The REST API for demands completed (issue 8): filters, timeline, categories, ratings, flat queries."""

import datetime

import pytest
from django.utils import timezone

from tongxin.core.testing import count_queries
from tongxin.demands import services
from tongxin.demands.models import Category, Demand
from tongxin.demands.testing import file_report

pytestmark = pytest.mark.django_db


def filed(world, where="b1u1", key="a1", category="lighting", **extra):
    return file_report(world.places[where], category=Category.objects.get(code=category), description="楼道灯坏了",
                       name="王秀英", phone="13812345678", key=key, **extra)


def codes(client, query=""):
    answer = client.get(f"/api/v1/demands/?{query}")
    assert answer.status_code == 200, answer.content
    return {row["tracking_code"] for row in answer.json()["results"]}


def test_the_list_filters_by_state_category_place_subtree_and_dates(world, client):
    lamp = filed(world, "b1u1", "f1")
    pipe = filed(world, "b1u2", "f2", category="repairs")
    services.act(world.users["worker_a"], pipe, "accept")
    client.force_login(world.users["staff"])  # the community: both buildings
    far = filed(world, "b2u1", "f3")
    assert codes(client) == {lamp.tracking_code, pipe.tracking_code, far.tracking_code}
    assert codes(client, "state=accepted") == {pipe.tracking_code}
    assert codes(client, "category=lighting") == {lamp.tracking_code, far.tracking_code}
    assert codes(client, "place=t-b1") == {lamp.tracking_code, pipe.tracking_code}  # the building and its entrances
    assert codes(client, "place=t-b1-u2") == {pipe.tracking_code}
    assert codes(client, "place=t-b1&category=lighting") == {lamp.tracking_code}
    Demand.objects.filter(pk=lamp.pk).update(created_at=timezone.now() - datetime.timedelta(days=3),
                                             updated_at=timezone.now() - datetime.timedelta(days=3))
    day_ago = (timezone.now() - datetime.timedelta(days=1)).isoformat()
    assert codes(client, f"created_before={day_ago}".replace("+", "%2B")) == {lamp.tracking_code}
    assert codes(client, f"created_after={day_ago}".replace("+", "%2B")) == {pipe.tracking_code, far.tracking_code}
    assert codes(client, f"updated_after={day_ago}".replace("+", "%2B")) == {pipe.tracking_code, far.tracking_code}
    assert codes(client, "created_after=2000-01-01") == {lamp.tracking_code, pipe.tracking_code, far.tracking_code}


def test_filters_keep_the_scope_and_the_cursor(world, client):
    mine = [filed(world, "b1u1", f"c{n}") for n in range(5)]
    filed(world, "b2u1", "other")
    client.force_login(world.users["worker_a"])
    assert codes(client, "place=t-b2") == set()  # another grid's place: nothing of it
    first = client.get("/api/v1/demands/?place=t-b1&page_size=2").json()
    second = client.get(first["next"]).json()
    third = client.get(second["next"]).json()
    seen = [r["tracking_code"] for page in (first, second, third) for r in page["results"]]
    assert seen == [d.tracking_code for d in mine] and third["next"] is None
    assert "place=t-b1" in first["next"]


@pytest.mark.parametrize(("query", "field"), [
    ("state=nonsense", "state"), ("category=no-such", "category"), ("place=nowhere", "place"),
    ("created_after=yesterday", "created_after"), ("created_before=2026-13-45", "created_before"),
    ("updated_after=1%00", "updated_after"), ("place=a%00b", "place"), ("category=%E4%B8%AD", "category"),
    ("created_after=2026-02-01&created_before=2026-01-01", "created_before"),
])
def test_a_bad_filter_is_a_400_naming_it(world, client, query, field):
    client.force_login(world.users["worker_a"])
    answer = client.get(f"/api/v1/demands/?{query}")
    assert answer.status_code == 400 and field in answer.json(), answer.content


def test_the_timeline_names_roles_not_people(world, client):
    demand = filed(world)
    services.act(world.users["worker_a"], demand, "accept", note="马上去看")
    client.force_login(world.users["worker_a"])
    steps = client.get(f"/api/v1/demands/{demand.pk}/timeline/").json()
    assert [(s["action"], s["actor_role"], s["to_state"]) for s in steps] == [
        ("report", "reporter", "received"), ("accept", "dispatcher", "accepted")]
    assert steps[1]["note"] == "马上去看" and steps[1]["role"] and steps[1]["state_label"]
    text = str(steps)
    assert "王秀英" not in text and world.users["worker_a"].name not in text


def close(world, demand):
    worker = world.users["worker_a"]
    services.act(worker, demand, "accept")
    services.act(worker, demand, "dispatch", handler=world.users["chief_b1"])
    services.act(world.users["chief_b1"], demand, "resolve", note="换了灯泡")
    services.act(worker, demand, "verify")
    services.act(worker, demand, "close", note="已修好")


def test_ratings_show_on_the_demand_but_not_the_residents_words_to_the_handler(world, client):
    demand = filed(world)
    close(world, demand)
    services.rate(demand, 4, "谢谢王师傅，我是王秀英")
    client.force_login(world.users["worker_a"])
    row = client.get(f"/api/v1/demands/{demand.pk}/").json()
    assert row["rating"] == 4 and row["rating_comment"] == "谢谢王师傅，我是王秀英" and row["rated_at"]
    client.force_login(world.users["chief_b1"])  # the handler, and only that
    row = client.get(f"/api/v1/demands/{demand.pk}/").json()
    assert row["rating"] == 4 and row["rated_at"] and row["rating_comment"] is None and row["reporter"] is None
    steps = client.get(f"/api/v1/demands/{demand.pk}/timeline/").json()
    assert steps[-1]["action"] == "rate" and steps[-1]["note"] == "满意" and "王秀英" not in str(steps)


def test_the_category_catalogue_is_readable_by_any_signed_in_caller(world, client):
    assert client.get("/api/v1/categories/").status_code in (401, 403)
    client.force_login(world.users["chief_b1"])  # holds no demand permission at all
    rows = client.get("/api/v1/categories/").json()
    active = list(Category.objects.filter(active=True).order_by("order", "id").values_list("code", flat=True))
    assert [r["code"] for r in rows] == active and {"name", "name_en", "sensitive", "tier"} <= set(rows[0])
    assert client.get("/api/v1/categories/repairs/").json()["code"] == "repairs"
    Category.objects.filter(code="repairs").update(active=False)
    assert client.get("/api/v1/categories/repairs/").status_code == 404
    assert client.post("/api/v1/categories/", {"code": "x"}).status_code == 405


def test_the_list_costs_the_same_statements_for_5_and_50_demands(world, client):
    client.force_login(world.users["staff"])
    client.get("/api/v1/demands/")  # warm the caches (a category list, the caller's grants)

    def statements(count):
        start = Demand.objects.count()
        for n in range(start, count):
            filed(world, "b1u1" if n % 2 else "b2u2", f"q{n}")
        Demand.objects.filter(pk=Demand.objects.order_by("id").first().pk).update(rating=5)
        with count_queries() as seen:
            answer = client.get("/api/v1/demands/?page_size=100&place=t-compound")
        assert len(answer.json()["results"]) == count
        return len(seen)

    assert statements(5) == statements(50)
