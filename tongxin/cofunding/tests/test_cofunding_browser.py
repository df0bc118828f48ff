"""A co-funded project in a real browser (360 px, axe-checked): staff create it through the
form, open collection and record a payment; the resident sees his share paid; anyone sees the
public page from the notice, without names."""

import pytest
from playwright.sync_api import expect

from tongxin.cofunding.models import OwnerShare, Payment, Project
from tongxin.core.models import Household
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, two_grids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_run_a_project_and_the_resident_and_the_public_see_it(checked_page):
    world = two_grids()
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    create_login(household.members.get(is_head=True).person, phone="15800000001", password=PASSWORD)
    page = checked_page.page

    checked_page.log_in("13100000003")  # community staff
    checked_page.goto("/cofunding/new/")
    page.get_by_label("标题").fill("1栋加装电梯")
    page.get_by_label("测试小区 · 1栋").check()
    page.get_by_label("预算（元）").fill("600")
    page.locator("#s1-fixed").fill("240")
    page.get_by_role("button", name="创建").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("项目已创建")
    expect(page.locator("#sources")).to_contain_text("180.00")
    page.get_by_role("button", name="开始收款").click()
    checked_page.check()
    expect(page.locator("#state")).to_have_text("收款中")
    page.locator("#households").get_by_role("link", name="登记").first.click()
    checked_page.check()
    page.get_by_label("金额（元）").fill("30")
    page.get_by_label("收据编号").fill("NO.0001")
    page.get_by_role("button", name="登记缴款").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("缴款已登记")
    expect(page.locator("#households")).to_contain_text("已缴清")
    project = Project.objects.get()
    page.context.clear_cookies()

    checked_page.log_in("15800000001")  # the resident whose household paid
    checked_page.goto("/cofunding/mine/")
    expect(page.locator("#my-shares")).to_contain_text("您家应缴 ¥30.00，已缴 ¥30.00")
    page.get_by_role("link", name="项目公开页面").click()
    checked_page.check()
    page.context.clear_cookies()

    checked_page.goto(f"/cofunding/p/{project.pk}/")  # no login
    expect(page.get_by_role("heading", level=1)).to_have_text("1栋加装电梯")
    expect(page.locator("#by-building")).to_contain_text("16.7%")
    assert "居" not in page.content() and "NO.0001" not in page.content()
    assert Payment.objects.count() == 1 and OwnerShare.objects.filter(paid_fen=3000).count() == 1
