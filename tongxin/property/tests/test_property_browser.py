"""The property accounts in a real browser (360 px, axe-checked): the managing company's staff
enter a quarter's income and publish it; anyone opens the public pages; a resident sees his bill."""

import datetime

import pytest
from playwright.sync_api import expect

from tongxin.core.models import Household
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, login_for, two_grids
from tongxin.property.models import Bill
from tongxin.property.services import bills, standards
from tongxin.property.tests.conftest import company_managing

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_publish_a_quarters_income_and_the_public_sees_rates_not_arrears(checked_page):
    world = two_grids()
    compound = world.places["compound"]
    keeper = login_for(world, "keeper", "property_staff", organisation=company_managing(compound),
                       phone="13900000001")
    standards.create(keeper, compound, effective_from=datetime.date(2026, 1, 1), basis="物业服务合同",
                     items=[standards.Item("service", "物业服务费", "m2_month", "1.20")])
    bills.generate(keeper, compound, 2026)
    for bill in Bill.objects.order_by("pk")[:9]:
        bills.pay(keeper, bill)
    page = checked_page.page

    checked_page.log_in("13900000001")
    checked_page.goto(f"/property/c/{compound.code}/")
    expect(page.locator("#rates")).to_contain_text("75.0%")
    page.get_by_label("年度").first.fill("2026")
    page.get_by_label("季度").fill("1")
    page.get_by_role("button", name="录入季度收入").click()
    checked_page.check()
    page.get_by_label("类型").select_option("advertising")
    page.get_by_label("说明").fill("电梯广告")
    page.get_by_label("收入（元）").fill("1200")
    page.get_by_label("合理成本（元）").fill("200")
    page.get_by_role("button", name="增加").click()
    checked_page.check()
    expect(page.locator("#totals")).to_contain_text("1000.00")
    page.get_by_role("button", name="在公告栏公示（公示后不能修改）").click()
    checked_page.check()
    expect(page.get_by_role("button", name="增加")).to_have_count(0)
    page.get_by_role("link", name="公开页面").click()
    checked_page.check()
    page.context.clear_cookies()

    checked_page.goto(f"/property/p/{compound.code}/")  # no login
    expect(page.locator("#rates")).to_contain_text("1栋")
    expect(page.get_by_role("link", name="2026年第1季度")).to_be_visible()
    assert "101" not in page.locator("#rates").inner_text()

    household = Household.objects.filter(place=world.places["b2u2"]).order_by("pk").last()
    create_login(household.members.get().person, phone="15800000001", password=PASSWORD)
    checked_page.log_in("15800000001")
    checked_page.goto("/property/mine/")
    expect(page.locator("#my-bills")).to_contain_text("1159.20")
