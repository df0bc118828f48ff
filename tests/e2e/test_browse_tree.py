import re

import pytest
from playwright.sync_api import expect

from tongxin.core.testing import two_grids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_log_in_and_walk_the_tree_to_a_person(checked_page):
    two_grids()
    page = checked_page.page
    checked_page.log_in("13100000003")
    page.get_by_role("link", name=re.compile("测试社区")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("测试社区")
    checked_page.check()
    page.get_by_role("link", name="测试小区").click()
    checked_page.check()
    page.get_by_role("link", name="1栋").click()
    checked_page.check()
    page.get_by_role("link", name="1单元").click()
    expect(page.get_by_role("heading", name="住户")).to_be_visible()
    checked_page.check()
    page.get_by_role("link", name="101").click()
    checked_page.check()
    page.get_by_role("link", name=re.compile("居民")).first.click()
    expect(page.get_by_text("137****0001")).to_be_visible()
    checked_page.check()
    page.get_by_role("button", name="显示完整手机号和身份证号").click()
    expect(page.get_by_text("13700000001")).to_be_visible()
    checked_page.check()


def test_language_switch_large_text_and_contrast(checked_page):
    two_grids()
    page = checked_page.page
    checked_page.log_in("13100000003")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("button", name="Log out")).to_be_visible()
    checked_page.check()
    page.get_by_role("button", name="Large text").click()
    expect(page.locator("html")).to_have_class(re.compile("text-large"))
    page.get_by_role("button", name="High contrast").click()
    expect(page.locator("html")).to_have_class(re.compile("high-contrast"))
    checked_page.check()
    page.get_by_role("link", name="Places").click()
    checked_page.check()


def test_a_wrong_login_is_explained_and_accessible(checked_page):
    two_grids()
    checked_page.goto("/login/")
    page = checked_page.page
    page.get_by_label("手机号").fill("12345")
    page.get_by_label("密码").fill("x")
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("alert").first).to_contain_text("11位手机号")
    checked_page.errors.clear()  # the 400 response itself is logged by the browser
    checked_page.check()


def test_find_a_place_by_name(checked_page):
    two_grids()
    page = checked_page.page
    checked_page.log_in("13100000003")
    page.get_by_role("link", name="地点").click()
    page.get_by_label("按名称或编码查找地点").fill("2栋")
    page.get_by_role("button", name="查找").click()
    checked_page.check()
    page.get_by_role("link", name="测试区 / 测试街道 / 测试社区 / 测试小区 / 2栋").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("2栋")
    checked_page.check()


def test_organisations_directory_and_page(checked_page):
    import datetime

    from tongxin.core.models import Organisation

    world = two_grids()
    Organisation.objects.create(
        code="o-branch", name="测试小区党支部", kind="party_branch", place=world.places["compound"],
        started_on=datetime.date(2020, 1, 1),
    )
    page = checked_page.page
    checked_page.log_in("13100000003")
    page.get_by_role("navigation", name="主菜单").get_by_role("link", name="组织").click()
    checked_page.check()
    page.get_by_label("类型").select_option("party_branch")
    page.get_by_role("button", name="显示").click()
    checked_page.check()
    page.get_by_role("link", name="测试小区党支部").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("测试小区党支部")
    checked_page.check()


def test_who_is_missing_page(checked_page):
    two_grids()
    page = checked_page.page
    checked_page.log_in("13100000003")
    checked_page.goto("/places/t-community/")
    page.get_by_role("link", name="人员是否配齐：楼栋长、警务长、家庭医生、网格员").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("测试社区下缺少哪些人员")
    checked_page.check()
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 Excel").click()
    assert download.value.suggested_filename == "named-people-gaps-t-community.xlsx"
