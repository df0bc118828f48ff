"""The import's ways in: the page, the template, the command line, and files saved by WPS."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tongxin.cli import main
from tongxin.core import counts
from tongxin.core.models import Household, Person
from tongxin.registers.importer import import_registers
from tongxin.registers.layout import SHEETS
from tongxin.registers.tests.sheets import household, read, resident, workbook
from tongxin.registers.tests.wps import as_wps

pytestmark = pytest.mark.django_db


def upload(content: bytes, name="台账.xlsx"):
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")


def small_file(unit="801") -> bytes:
    return workbook(
        households=[household("t-b1-u2", unit, 居住状态="出租")],
        residents=[resident("t-b1-u2", unit, "何租客", "租户", 入住日期="2026-09-01", 手机号="13912345678")],
    )


def test_staff_check_a_file_then_import_it_from_the_page(world, client):
    client.force_login(world.users["worker_a"])
    url = reverse("register-import")
    page = client.get(url)
    assert page.status_code == 200 and "下载导入模板" in page.content.decode()
    checked = client.post(url, {"form_key": "k-check", "check_only": "on", "file": upload(small_file())})
    assert checked.status_code == 200 and "新增住户 1" in checked.content.decode()
    assert not Household.objects.filter(unit_number="801").exists()
    done = client.post(url, {"form_key": "k-import", "file": upload(small_file())})
    assert done.status_code == 200 and "已导入" in done.content.decode() or "Imported" in done.content.decode()
    assert Household.objects.get(unit_number="801").tenure == "rented"
    assert Person.objects.get(name="何租客").home_path == world.places["b1u2"].path
    again = client.post(url, {"form_key": "k-import", "file": upload(small_file())})  # a double click
    assert "已经提交" in again.content.decode()


def test_the_page_lists_every_problem_with_sheet_row_and_column(world, client):
    client.force_login(world.users["worker_a"])
    bad = workbook(residents=[resident("t-b1-u1", "101", "甲", 手机号="12"), resident("t-b1-u1", "101", "乙", "邻居")])
    response = client.post(reverse("register-import"), {"form_key": "k1", "file": upload(bad)})
    body = response.content.decode()
    assert response.status_code == 422 and "2 处问题" in body or "2 problems" in body
    assert "<td>居民</td><td>2</td><td>手机号</td>" in body and "<td>居民</td><td>3</td><td>关系</td>" in body


def test_the_page_and_template_are_for_register_keepers_only(world, client):
    client.force_login(world.users["leader"])  # a street leader reads registers but keeps none
    assert 'href="/import/"' not in client.get(reverse("place-detail", args=["t-b1"])).content.decode()
    assert client.get(reverse("register-import")).status_code == 404
    assert client.get(reverse("register-import-template")).status_code == 404
    client.force_login(world.users["staff"])
    assert 'href="/import/"' in client.get(reverse("place-detail", args=["t-b1"])).content.decode()


def test_the_template_has_every_sheet_and_header_and_imports_once_filled(world, client):
    client.force_login(world.users["staff"])
    content = client.get(reverse("register-import-template")).content
    sheets = read(content)
    assert list(sheets) == ["填写说明", *(sheet.title for sheet in SHEETS)]
    for sheet in SHEETS:
        assert [h.rstrip("*") for h in sheets[sheet.title][0]] == sheet.headers
    assert "没有可导入" in import_registers(world.users["staff"], content).problems[0].zh
    from io import BytesIO

    from openpyxl import load_workbook

    book = load_workbook(BytesIO(content))
    book["住户"].append(["t-b1-u1", None, "1201", 66, "空置"])
    book["居民"].append(["t-b1-u1", "1201", "新业主", "业主", "否", "是"])
    out = BytesIO()
    book.save(out)
    outcome = import_registers(world.users["staff"], out.getvalue())
    assert outcome.ok and outcome.created["households"] == 1 and outcome.created["people"] == 1
    assert counts.differences() == []


@pytest.mark.parametrize("strings", ["shared", "inline"])
def test_a_file_saved_by_wps_imports_like_any_other(world, strings):
    content = as_wps(small_file(), strings=strings)
    outcome = import_registers(world.users["staff"], content)
    assert outcome.ok and outcome.created["households"] == 1
    assert Person.objects.get(name="何租客").phone == "13912345678"


def test_the_command_line_checks_and_imports(world, tmp_path, capsys, django_user_model):
    django_user_model.objects.create_superuser(phone="13000000001", password="x")
    path = tmp_path / "registers.xlsx"
    path.write_bytes(small_file())
    assert main(["import", "--check", str(path)]) == 0
    assert "新增住户 1" in capsys.readouterr().out and not Household.objects.filter(unit_number="801").exists()
    assert main(["import", "--as", "13100000001", str(path)]) == 0  # grid A's worker
    assert Household.objects.filter(unit_number="801").exists()
    path.write_bytes(workbook(households=[household("t-b2-u1", "901")]))
    assert main(["import", "--as", "13100000001", str(path)]) == 1  # grid B is not theirs
    assert "住户 第2行 地点编码" in capsys.readouterr().out
    assert main(["import", str(tmp_path / "missing.xlsx")]) == 2
