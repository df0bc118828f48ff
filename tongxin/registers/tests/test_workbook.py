from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tongxin.cli import main
from tongxin.core.models import PersonalDataRead
from tongxin.core.testing import OUTSIDE_MARKER, bulk_households, count_queries

pytestmark = pytest.mark.django_db


def sheets(content: bytes) -> dict[str, list[tuple]]:
    workbook = load_workbook(BytesIO(content))
    return {name: list(workbook[name].values) for name in workbook.sheetnames}


def test_a_grid_worker_exports_their_grid_unmasked_and_the_reads_are_logged(world, client):
    client.force_login(world.users["worker_a"])
    response = client.get(reverse("export-download", args=["registers", "t-b1"]))
    data = sheets(response.content)
    assert [row[2] for row in data["住户"][1:]] == ["101", "201", "301"] * 2
    residents = data["居民"][1:]
    assert len(residents) == 6 and all(len(row[6]) == 11 and "*" not in row[6] for row in residents)
    assert PersonalDataRead.objects.filter(user=world.users["worker_a"]).count() == 6
    assert OUTSIDE_MARKER not in response.content.decode("latin-1")
    assert client.get(reverse("export-download", args=["registers", "t-b2"])).status_code == 404


def test_a_leader_gets_masked_phones_and_no_sensitive_groups(world, client):
    client.force_login(world.users["leader"])
    residents = sheets(client.get(reverse("export-download", args=["registers", "t-community"])).content)["居民"][1:]
    assert len(residents) == 12 and all("****" in row[6] for row in residents)
    assert not any("独居老人" in (row[10] or "") for row in residents)
    assert PersonalDataRead.objects.count() == 0


def test_export_cost_grows_by_batches_not_rows(world, client):
    client.force_login(world.users["staff"])
    url = reverse("export-download", args=["registers", "t-community"])
    with count_queries() as few:
        client.get(url)
    bulk_households([world.places["b1u1"], world.places["b2u2"]], 500, start=1000)
    with count_queries() as many:
        content = client.get(url).content
    assert len(sheets(content)["住户"]) == 1 + 12 + 1000
    assert len(many) <= len(few) + 2 * 6  # one more batch of 2,000 at most: a handful of statements


def test_the_cli_exports_under_a_place(world, tmp_path, capsys, django_user_model):
    django_user_model.objects.create_superuser(phone="13000000001", password="x")
    out = tmp_path / "registers.xlsx"
    assert main(["export", "--place", "测试小区", str(out)]) == 0
    assert len(sheets(out.read_bytes())["居民"]) == 13
    assert main(["export", "--place", "测试小区", "--as", "13100000004", str(out)]) == 0  # the street leader
    assert all("****" in row[6] for row in sheets(out.read_bytes())["居民"][1:])
