"""Open311 service requests over real HTTP, as an independent client files and reads them:
every field of the specification, both formats, every error, and the keys' reach."""

import datetime
import json
import urllib.error
import urllib.parse
import urllib.request
from xml.etree import ElementTree

import pytest

from tongxin.demands import services
from tongxin.demands.models import Demand
from tongxin.open311 import keys
from tongxin.open311.models import ClientRequest

pytestmark = pytest.mark.django_db(transaction=True)
RECORD_FIELDS = [
    "service_request_id", "status", "status_notes", "service_name", "service_code", "description",
    "agency_responsible", "service_notice", "requested_datetime", "updated_datetime", "expected_datetime",
    "address", "address_id", "zipcode", "lat", "long", "media_url",
]


def call(live_server, path, data=None, query=None):
    url = f"{live_server.url}/open311/v2/{path}" + (f"?{urllib.parse.urlencode(query)}" if query else "")
    body = urllib.parse.urlencode(data).encode() if data is not None else None
    request = urllib.request.Request(url, data=body, method="POST" if data is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=15) as response:
            return response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode()


@pytest.fixture
def clients(world):
    """A hotline keyed to the whole community, and an app keyed to grid A only."""
    _hotline, community = keys.issue("市12345热线", [world.places["community"]])
    _app, grid_a = keys.issue("A网格小程序", [world.places["grid_a"]])
    return {"community": community, "grid_a": grid_a}


def door(world, name):
    return services.qr_for(world.places[name]).token


def error_of(status_body, status):
    code, body = status_body
    assert code == status, body
    (error,) = json.loads(body)
    assert error["code"] == status and error["description"]
    return error["description"]


def test_a_client_files_a_demand_that_goes_through_the_same_service(live_server, world, clients):
    status, body = call(live_server, "requests.json", {
        "api_key": clients["grid_a"], "service_code": "lighting", "address_id": door(world, "b1u1"),
        "description": "1单元楼道灯坏了", "first_name": "小明", "last_name": "王", "phone": "13812345678",
        "account_id": "wx-42", "device_id": "dev-1", "email": "wang@example.cn",
        "media_url": "https://example.cn/p.jpg", "jurisdiction_id": world.places["community"].code,
    })
    assert status == 200, body
    (answer,) = json.loads(body)
    assert set(answer) == {"service_request_id", "service_notice", "account_id"} and answer["account_id"] == "wx-42"
    demand = Demand.objects.get(tracking_code=answer["service_request_id"])
    assert (demand.source, demand.reporter_name, demand.reporter_phone) == ("api", "王小明", "13812345678")
    assert demand.place == world.places["b1u1"] and demand.taken_in_at is None  # the intake follows, as for a QR
    kept = ClientRequest.objects.get(demand=demand)
    assert (kept.device_id, kept.email, kept.media_url) == ("dev-1", "wang@example.cn", "https://example.cn/p.jpg")
    services.take_in(demand.pk)
    services.act(world.users["worker_a"], demand, "accept", note="已派电工")
    status, body = call(live_server, f"requests/{demand.tracking_code}.json", query={"api_key": clients["grid_a"]})
    (record,) = json.loads(body)
    assert list(record) == RECORD_FIELDS
    assert record["status"] == "open" and record["status_notes"] == "已派电工"
    assert record["agency_responsible"] == world.places["grid_a"].name and record["address_id"] == "t-b1-u1"
    assert record["media_url"] == "https://example.cn/p.jpg" and "13812345678" not in body and "王" not in body
    assert record["requested_datetime"].endswith("+08:00")
    root = ElementTree.fromstring(call(live_server, f"requests/{demand.tracking_code}.xml",
                                       query={"api_key": clients["grid_a"]})[1])
    assert root.tag == "service_requests" and [c.tag for c in root.find("request")] == RECORD_FIELDS
    token = call(live_server, f"tokens/{demand.tracking_code}.json", query={"api_key": clients["grid_a"]})
    assert json.loads(token[1]) == [{"service_request_id": demand.tracking_code, "token": demand.tracking_code}]


def test_the_xml_answer_to_a_post(live_server, world, clients):
    status, body = call(live_server, "requests.xml", {
        "api_key": clients["community"], "service_code": "errand", "address_id": "t-b2-u1",
        "attribute[errand]": "pension-certification", "description": "帮我母亲办社保认证"})
    assert status == 200, body
    root = ElementTree.fromstring(body)
    code = root.findtext("request/service_request_id")
    assert root.tag == "service_requests"
    assert Demand.objects.get(tracking_code=code).errand.code == "pension-certification"


@pytest.mark.parametrize(("data", "status"), [
    ({"api_key": ""}, 403),
    ({"api_key": "tx_nope_nope"}, 403),
    ({"service_code": ""}, 400),
    ({"service_code": "no-such"}, 404),
    ({"address_id": ""}, 400),
    ({"address_id": "", "lat": "39.9", "long": "116.4"}, 400),
    ({"address_id": "no-such-door"}, 404),
    ({"address_id": "", "address_string": "不存在的地方"}, 400),
    ({"description": "灯"}, 400),
    ({"email": "not-an-email"}, 400),
    ({"jurisdiction_id": "nowhere"}, 404),
    ({"service_code": "errand"}, 400),
])
def test_every_bad_request_gets_the_specifications_error(live_server, world, clients, data, status):
    good = {"api_key": clients["community"], "service_code": "lighting", "address_id": "t-b1-u1",
            "description": "楼道灯坏了"}
    for fmt in ("json", "xml"):
        code, body = call(live_server, f"requests.{fmt}", good | data)
        assert code == status, body
        if fmt == "xml":
            root = ElementTree.fromstring(body)
            assert root.tag == "errors" and root.findtext("error/code") == str(status)
        else:
            error_of((code, body), status)
    assert not Demand.objects.exists()


def test_a_key_for_grid_a_can_neither_post_into_nor_read_grid_b(live_server, world, clients):
    refused = call(live_server, "requests.json", {
        "api_key": clients["grid_a"], "service_code": "lighting", "address_id": door(world, "b2u1"),
        "description": "楼道灯坏了"})
    assert "may not post" in error_of(refused, 403)
    status, body = call(live_server, "requests.json", {
        "api_key": clients["community"], "service_code": "lighting", "address_id": door(world, "b2u1"),
        "description": "B网格的灯坏了"})
    code = json.loads(body)[0]["service_request_id"]
    assert call(live_server, "requests.json", query={"api_key": clients["grid_a"]}) == (200, "[]")
    error_of(call(live_server, f"requests/{code}.json", query={"api_key": clients["grid_a"]}), 404)
    error_of(call(live_server, f"tokens/{code}.json", query={"api_key": clients["grid_a"]}), 404)
    listed = json.loads(call(live_server, "requests.json", query={"api_key": clients["community"]})[1])
    assert [r["service_request_id"] for r in listed] == [code]


def test_searching_follows_the_specifications_filters_and_defaults(live_server, world, clients):
    made = []
    for n, (place, category) in enumerate([("b1u1", "lighting"), ("b1u2", "sanitation"), ("b2u1", "lighting")]):
        status, body = call(live_server, "requests.json", {
            "api_key": clients["community"], "service_code": category, "address_id": door(world, place),
            "description": f"第{n}件事情", "account_id": f"a{n}"})
        made.append(json.loads(body)[0]["service_request_id"])
    key = clients["community"]
    old = Demand.objects.get(tracking_code=made[0])
    Demand.objects.filter(pk=old.pk).update(created_at=old.created_at - datetime.timedelta(days=91))

    def ids(**query):
        status, body = call(live_server, "requests.json", query={"api_key": key, **query})
        assert status == 200, body
        return sorted(r["service_request_id"] for r in json.loads(body))

    assert ids() == sorted(made[1:])  # the last 90 days
    assert ids(service_request_id=f"{made[0]},{made[2]}") == sorted([made[0], made[2]])  # overrides the dates
    assert ids(service_code="lighting") == [made[2]]
    assert ids(start_date="2020-01-01T00:00:00+08:00") == sorted(made)
    assert ids(status="closed") == [] and ids(status="open") == sorted(made[1:])
    assert ids(jurisdiction_id=world.places["community"].code) == sorted(made[1:])
    error_of(call(live_server, "requests.json", query={"api_key": key, "jurisdiction_id": "nowhere"}), 404)
    error_of(call(live_server, "requests.json", query={"api_key": key, "start_date": "yesterday"}), 400)
    error_of(call(live_server, "requests.json", query={"api_key": key, "status": "pending"}), 400)
    error_of(call(live_server, "requests.json",
                  query={"api_key": key, "start_date": "2026-02-01", "end_date": "2026-01-01"}), 400)


def test_the_same_rate_limits_as_a_qr_code_per_end_user(live_server, world, clients):
    base = {"api_key": clients["community"], "service_code": "lighting", "address_id": "t-b1-u1",
            "account_id": "wx-flood"}
    for n in range(3):
        assert call(live_server, "requests.json", base | {"description": f"灯坏了{n}"})[0] == 200
    error_of(call(live_server, "requests.json", base | {"description": "灯又坏了"}), 429)
    other = base | {"account_id": "wx-neighbour", "description": "我家门口的灯也坏了"}
    assert call(live_server, "requests.json", other)[0] == 200  # a neighbour through the same app is not blocked


def test_a_key_for_community_a_can_neither_read_nor_post_into_community_b(live_server, world, clients):
    from tongxin.core.services.places import create_place

    other = create_place(parent=world.places["street"], kind="community", code="t-community-b", name="另一社区")
    gate = create_place(parent=create_place(parent=other, kind="compound", code="t-compound-b", name="另一小区"),
                        kind="entrance", code="t-b-gate", name="大门")
    _key, community_b = keys.issue("B社区小程序", [other])
    status, body = call(live_server, "requests.json", {
        "api_key": community_b, "service_code": "lighting", "address_id": door_of(gate),
        "description": "B社区大门的灯坏了"})
    assert status == 200, body
    in_b = json.loads(body)[0]["service_request_id"]
    a = clients["community"]  # community A's key
    refused = call(live_server, "requests.json", {
        "api_key": a, "service_code": "lighting", "address_id": door_of(gate), "description": "灯坏了"})
    assert "may not post" in error_of(refused, 403)
    assert in_b not in call(live_server, "requests.json", query={"api_key": a, "start_date": "2020-01-01"})[1]
    error_of(call(live_server, f"requests/{in_b}.json", query={"api_key": a}), 404)
    assert call(live_server, "requests.json", query={"api_key": a, "service_request_id": in_b}) == (200, "[]")
    refused = call(live_server, "requests.json", {
        "api_key": community_b, "service_code": "lighting", "address_id": door(world, "b1u1"),
        "description": "A社区的灯坏了"})
    assert "may not post" in error_of(refused, 403)


def door_of(place):
    return services.qr_for(place).token
