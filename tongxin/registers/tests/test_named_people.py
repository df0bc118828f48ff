from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tongxin.core.services.places import create_place
from tongxin.core.services.roles import assign_role
from tongxin.core.testing import count_queries
from tongxin.registers.named_people import gaps_under

pytestmark = pytest.mark.django_db


def test_gaps_list_what_each_building_village_and_grid_lacks(world):
    p = world.places
    create_place(parent=p["street"], kind="village", code="t-village", name="测试村")
    guarded = create_place(parent=p["street"], kind="village", code="t-village2", name="有辅警村")
    assign_role(world.people["staff"], "police_liaison", place=guarded)
    gaps = gaps_under(p["district"])
    by_code = {gap.place.code: gap.missing for gap in gaps.buildings}
    assert by_code["t-b1"] == ["building_party_member", "building_volunteer", "police_liaison", "family_doctor"]
    assert len(by_code["t-b2"]) == 5
    assert [gap.place.code for gap in gaps.villages] == ["t-village"]
    assert gaps.grids == [] and gaps.grids_total == 2 and gaps.buildings_total == 2


def test_the_page_costs_the_same_with_many_buildings(world, client):
    client.force_login(world.users["staff"])
    url = reverse("named-people", args=["t-community"])
    with count_queries() as few:
        assert client.get(url).status_code == 200
    for n in range(30):
        create_place(parent=world.places["compound"], kind="building", code=f"t-more{n}", name=f"{n + 3}栋")
    with count_queries() as many:
        page = client.get(url)
    assert len(few) == len(many)
    assert "32 个中有 32 个不完整" in page.content.decode()


def test_the_excel_export_is_scoped_and_in_chinese(world, client):
    client.force_login(world.users["worker_a"])
    response = client.get(reverse("export-download", args=["named-people-gaps", "t-b1"]))
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["楼栋", "村", "网格"]
    rows = list(workbook["楼栋"].values)
    assert rows[0] == ("地点", "编码", "缺少")
    assert rows[1][1] == "t-b1" and "家庭医生" in rows[1][2] and "楼栋长" not in rows[1][2]
    assert client.get(reverse("export-download", args=["named-people-gaps", "t-b2"])).status_code == 404
    assert client.get(reverse("export-download", args=["nothing", "t-b1"])).status_code == 404
