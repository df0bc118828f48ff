import datetime

import pytest
from django.urls import reverse
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from tongxin.cli import main as tongxin_main
from tongxin.core.models import Organisation, OrganisationMember
from tongxin.core.registry import menu_entries
from tongxin.core.testing import OUTSIDE_MARKER

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisations(world):
    p = world.places
    made = {
        "branch_a": Organisation.objects.create(
            code="o-branch-a", name="第一网格党支部", kind="party_branch", place=p["b1"],
            started_on=datetime.date(2020, 1, 1),
        ),
        "branch_b": Organisation.objects.create(
            code="o-branch-b", name=f"{OUTSIDE_MARKER}党支部", kind="party_branch", place=p["b2"],
            started_on=datetime.date(2020, 1, 1),
        ),
        "temp": Organisation.objects.create(
            code="o-temp", name="临时党支部", kind="party_branch", place=p["b1"], is_temporary=True,
            started_on=datetime.date(2020, 2, 3), ended_on=datetime.date(2020, 12, 20),
        ),
        "property": Organisation.objects.create(
            code="o-property", name="楚阳物业", kind="property_company", place=p["community"],
            started_on=datetime.date(2018, 5, 1),
        ),
    }
    OrganisationMember.objects.create(
        organisation=made["branch_a"], person=world.people["worker_a"], position="secretary",
        valid_from=datetime.date(2020, 1, 1),
    )
    return made


def test_the_core_lists_this_app_from_its_manifest_alone():
    assert "organisation-list" in [entry.url_name for entry in menu_entries()]


def test_a_grid_worker_sees_only_their_grids_organisations(client, world, organisations):
    client.force_login(world.users["worker_a"])
    page = client.get(reverse("organisation-list"))
    names = [o.name for o in page.context["rows"]]
    assert names == ["第一网格党支部"]
    assert page.context["rows"][0].member_count == 1
    assert OUTSIDE_MARKER not in page.content.decode()


def test_ended_organisations_on_request_and_kind_filter(client, world, organisations):
    client.force_login(world.users["staff"])
    names = {o.name for o in client.get(reverse("organisation-list"), {"ended": "1"}).context["rows"]}
    assert "临时党支部" in names
    kinds = {o.kind for o in client.get(reverse("organisation-list"), {"kind": "property_company"}).context["rows"]}
    assert kinds == {"property_company"}


def test_roles_without_the_permission_get_not_found(client, world, organisations):
    client.force_login(world.users["chief_b1"])
    assert client.get(reverse("organisation-list")).status_code == 404


def test_the_api_route_is_scoped(world, organisations):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=world.users['worker_b']).key}")
    codes = [row["code"] for row in client.get("/api/v1/organisations/").json()["results"]]
    assert codes == ["o-branch-b"]
    assert client.get("/api/v1/organisations/o-branch-a/").status_code == 404


def test_the_cli_command_lists_organisations_under_a_place(world, organisations, capsys):
    assert tongxin_main(["orgs", "t-compound"]) == 0
    out = capsys.readouterr().out
    assert "第一网格党支部" in out and "楚阳物业" not in out and "临时党支部" not in out


def test_the_dashboard_counts_them(client, world, organisations):
    client.force_login(world.users["staff"])
    labels = {str(stat.label): stat.value for stat in client.get(reverse("home")).context["stats"]}
    assert labels["组织"] == 3


def test_an_organisation_page_shows_members_masked_and_links(client, world, organisations):
    from tongxin.core.models import OrganisationRelation

    OrganisationRelation.objects.create(
        subject=organisations["branch_a"], object=organisations["property"], kind="paired",
        valid_from=datetime.date(2021, 1, 1),
    )
    client.force_login(world.users["staff"])
    page = client.get(reverse("organisation-detail", args=["o-branch-a"]))
    body = page.content.decode()
    assert page.status_code == 200 and "worker_a" in body and "131****0001" in body and "13100000001" not in body
    assert "结对共建: 楚阳物业" in body
    assert client.get(reverse("organisation-detail", args=["o-temp"])).status_code == 200  # ended ones stay readable
    client.force_login(world.users["worker_a"])
    response = client.get(reverse("organisation-detail", args=["o-branch-b"]))
    assert response.status_code == 404 and OUTSIDE_MARKER not in response.content.decode()
