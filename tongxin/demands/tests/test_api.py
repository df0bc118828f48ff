import pytest

from tongxin.demands import services
from tongxin.demands.models import Category, Demand

pytestmark = pytest.mark.django_db


def filed(world, key="a1"):
    return services.report(world.places["b1u1"], category=Category.objects.get(code="lighting"),
                           description="楼道灯坏了", name="王秀英", phone="13812345678", key=key)


def test_staff_list_and_act_on_their_demands_through_the_api(world, client):
    demand = filed(world)
    client.force_login(world.users["worker_a"])
    rows = client.get("/api/v1/demands/").json()["results"]
    assert [r["tracking_code"] for r in rows] == [demand.tracking_code]
    assert rows[0]["reporter"] == {"name": "王秀英", "phone": "138****5678"} and rows[0]["actions"][0] == "accept"
    answer = client.post(f"/api/v1/demands/{demand.pk}/act/", {"action": "accept"}, content_type="application/json")
    assert answer.status_code == 200 and answer.json()["state"] == "accepted"
    refused = client.post(f"/api/v1/demands/{demand.pk}/act/", {"action": "close"}, content_type="application/json")
    assert refused.status_code == 409
    dispatched = client.post(f"/api/v1/demands/{demand.pk}/act/",
                             {"action": "dispatch", "handler_phone": "13100000005"}, content_type="application/json")
    assert dispatched.json()["state"] == "dispatched"
    steps = client.get(f"/api/v1/demands/{demand.pk}/timeline/").json()
    assert [s["action"] for s in steps] == ["report", "accept", "dispatch"]


def test_a_handler_sees_their_demand_but_not_who_reported_it(world, client):
    demand = filed(world)
    services.act(world.users["worker_a"], demand, "accept")
    services.act(world.users["worker_a"], demand, "dispatch", handler=world.users["chief_b1"])
    client.force_login(world.users["chief_b1"])
    rows = client.get("/api/v1/demands/").json()["results"]
    assert len(rows) == 1 and rows[0]["reporter"] is None and "王秀英" not in str(rows)
    page = client.get(f"/demands/{demand.pk}/").content.decode()
    assert "王秀英" not in page and "138****5678" not in page


def test_others_get_nothing(world, client):
    demand = filed(world)
    client.force_login(world.users["worker_b"])
    assert client.get("/api/v1/demands/").json()["results"] == []
    assert client.get(f"/api/v1/demands/{demand.pk}/").status_code == 404
    assert client.post(f"/api/v1/demands/{demand.pk}/act/", {"action": "accept"},
                       content_type="application/json").status_code == 404
    assert Demand.objects.get().state == "received"
