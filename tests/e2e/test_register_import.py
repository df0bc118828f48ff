import pytest
from playwright.sync_api import expect

from tongxin.core.models import Household, Person
from tongxin.core.testing import two_grids
from tongxin.registers.tests.sheets import household, resident, workbook

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_grid_worker_downloads_the_template_checks_a_file_and_imports_it(checked_page, tmp_path):
    two_grids()
    page = checked_page.page
    checked_page.log_in("13100000001")  # grid worker of grid A
    checked_page.goto("/places/t-b1/")
    page.get_by_role("link", name="从 Excel 导入台账").click()
    checked_page.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载导入模板").click()
    assert download.value.suggested_filename == "台账导入模板.xlsx"

    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(workbook(residents=[resident("t-b1-u1", "101", "甲", 手机号="12")]))
    page.get_by_label("台账文件（.xlsx）").set_input_files(str(bad))
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("alert").first).to_contain_text("发现 1 处问题")
    expect(page.get_by_role("table")).to_contain_text("手机号")
    checked_page.errors.clear()  # the 422 answer is logged by the browser
    checked_page.check()

    good = tmp_path / "good.xlsx"
    good.write_bytes(workbook(
        households=[household("t-b1-u2", "808", 居住状态="出租")],
        residents=[resident("t-b1-u2", "808", "網上租客", "租户", 入住日期="2026-10-01")],
    ))
    page.get_by_label("台账文件（.xlsx）").set_input_files(str(good))
    page.get_by_role("button", name="上传").click()  # "only check" is ticked at first
    expect(page.get_by_role("status")).to_contain_text("新增住户 1")
    checked_page.check()
    assert not Household.objects.filter(unit_number="808").exists()
    page.get_by_label("台账文件（.xlsx）").set_input_files(str(good))
    expect(page.get_by_label("只检查文件，暂不导入")).not_to_be_checked()
    page.get_by_role("button", name="上传").click()
    expect(page.get_by_role("status")).to_contain_text("已导入")
    checked_page.check()
    assert Person.objects.get(name="網上租客").household.unit_number == "808"
