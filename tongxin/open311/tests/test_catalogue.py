"""Open311 GeoReport v2 over real HTTP, read as an independent client would: the discovery
document, the service list and the service definitions, in JSON and XML, and their errors."""

import json
import urllib.error
import urllib.request
from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db(transaction=True)
SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"]


def fetch(live_server, path, method="GET"):
    request = urllib.request.Request(f"{live_server.url}/open311/v2/{path}", method=method)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, response.headers["Content-Type"], response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers["Content-Type"], error.read().decode()


def test_discovery_names_the_endpoint_its_specification_and_formats(live_server):
    status, kind, body = fetch(live_server, "discovery.json")
    assert status == 200 and kind.startswith("application/json")
    found = json.loads(body)
    assert set(found) == {"changeset", "contact", "key_service", "endpoints"}
    endpoint = found["endpoints"][0]
    assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert endpoint["url"] == f"{live_server.url}/open311/v2/" and endpoint["type"] == "production"
    assert endpoint["formats"] == ["text/xml", "application/json"]
    status, kind, body = fetch(live_server, "discovery.xml")
    root = ElementTree.fromstring(body)
    assert status == 200 and kind.startswith("text/xml") and root.tag == "discovery"
    assert [f.text for f in root.find("endpoints/endpoint/formats")] == ["text/xml", "application/json"]


def test_services_list_every_active_category_with_every_field_in_both_formats(live_server):
    from tongxin.demands.models import Category

    active = list(Category.objects.filter(active=True).values_list("code", flat=True))
    status, _kind, body = fetch(live_server, "services.json")
    services = json.loads(body)
    assert status == 200 and [s["service_code"] for s in services] == active
    for service in services:
        assert list(service) == SERVICE_FIELDS
        assert service["type"] == "realtime" and isinstance(service["metadata"], bool)
    assert {s["service_code"]: s["metadata"] for s in services}["errand"] is True
    lighting = next(s for s in services if s["service_code"] == "lighting")
    assert lighting["service_name"] == "亮化" and lighting["group"]
    status, _kind, body = fetch(live_server, "services.xml")
    root = ElementTree.fromstring(body)
    assert root.tag == "services" and [s.findtext("service_code") for s in root.findall("service")] == active
    first = root.find("service")
    assert [child.tag for child in first] == SERVICE_FIELDS and first.findtext("metadata") in ("true", "false")


def test_a_category_that_asks_for_more_defines_its_attribute(live_server):
    from tongxin.demands.models import ErrandItem

    status, _kind, body = fetch(live_server, "services/errand.json")
    definition = json.loads(body)
    assert status == 200 and definition["service_code"] == "errand"
    (attribute,) = definition["attributes"]
    assert attribute | {"values": None} == {
        "variable": True, "code": "errand", "datatype": "singlevaluelist", "required": True,
        "datatype_description": "", "order": 1, "description": attribute["description"], "values": None}
    assert [v["key"] for v in attribute["values"]] == list(
        ErrandItem.objects.filter(active=True).values_list("code", flat=True))
    root = ElementTree.fromstring(fetch(live_server, "services/errand.xml")[2])
    assert root.tag == "service_definition"
    assert root.findtext("attributes/attribute/datatype") == "singlevaluelist"
    assert root.find("attributes/attribute/values/value/key").text == attribute["values"][0]["key"]
    plain = json.loads(fetch(live_server, "services/lighting.json")[2])
    assert plain == {"service_code": "lighting", "attributes": []}


@pytest.mark.parametrize("path", ["services/no-such-thing", "services.{fmt}?jurisdiction_id=nowhere"])
def test_errors_are_the_specifications_list_of_code_and_description(live_server, path):
    for fmt in ("json", "xml"):
        url = path.format(fmt=fmt) if "{fmt}" in path else f"{path}.{fmt}"
        status, _kind, body = fetch(live_server, url)
        assert status == 404
        if fmt == "json":
            (error,) = json.loads(body)
            assert error["code"] == 404 and error["description"]
        else:
            root = ElementTree.fromstring(body)
            assert root.tag == "errors" and root.findtext("error/code") == "404" and root.findtext("error/description")


def test_a_known_jurisdiction_lists_the_catalogue(live_server, world):
    status, _kind, body = fetch(live_server, f"services.json?jurisdiction_id={world.places['community'].code}")
    assert status == 200 and json.loads(body)


@pytest.mark.parametrize("path", ["discovery.json", "services.xml", "services/lighting.json", "requests/ABC.json",
                                  "tokens/ABC.xml"])
def test_other_methods_get_the_specifications_error(live_server, path):
    status, kind, body = fetch(live_server, path, method="PUT")
    assert status == 405
    if path.endswith(".json"):
        assert json.loads(body)[0]["code"] == 405
    else:
        assert ElementTree.fromstring(body).findtext("error/code") == "405"


def test_the_admin_issues_a_key_shown_once(client, world):
    from django.contrib.messages import get_messages

    from tongxin.core.models import User
    from tongxin.open311 import keys
    from tongxin.open311.models import ApiKey

    admin = User.objects.create_superuser(phone="13700000000", password="admin-pass-2026")
    client.force_login(admin)
    response = client.post("/admin/open311/apikey/add/", {
        "name": "市12345热线", "places": [world.places["community"].pk], "per_minute": 60})
    assert response.status_code == 302, response.content.decode()[:2000]
    (shown,) = [str(m) for m in get_messages(response.wsgi_request) if "tx_" in str(m)]
    raw = "tx_" + shown.split("tx_", 1)[1]
    key = keys.authenticate(raw)
    assert key == ApiKey.objects.get() and list(key.places.all()) == [world.places["community"]]
