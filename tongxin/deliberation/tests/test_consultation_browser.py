"""A resident raises a matter from the door's QR code on a phone; staff review it, comment and
decide; the decision shows on its public page and on the door's notice board."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tongxin.core.testing import two_grids
from tongxin.deliberation.models import Consultation
from tongxin.deliberation.tests.support import resident_login
from tongxin.demands.services import qr_for

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_matter_raised_at_the_door_is_reviewed_discussed_and_decided(checked_page):
    world = two_grids()
    resident_login(world, phone="13800001111")
    door = reverse("qr-page", args=[qr_for(world.places["b1u1"]).token])
    page = checked_page.page

    checked_page.log_in("13800001111", password="test-pass-2026")
    checked_page.goto(door)
    page.get_by_role("link", name="提出议事议题").click()
    checked_page.check()
    page.get_by_label("地点").select_option(label="楼栋 · 1栋")
    page.get_by_label("标题").fill("楼道堆物清理")
    page.get_by_label("需要商议决定什么，为什么").fill("楼道里堆满杂物，要不要统一清理？")
    page.get_by_role("button", name="提交议题").click()
    checked_page.check()
    expect(page.locator("main")).to_contain_text("已提议，待审议")
    consultation = Consultation.objects.get()

    page.context.clear_cookies()
    checked_page.log_in("13100000003")  # the community's staff
    checked_page.goto(reverse("deliberation-consultations"))
    page.get_by_role("link", name="楼道堆物清理").click()
    checked_page.check()
    page.get_by_role("button", name="受理，进入合议").click()
    checked_page.check()
    expect(page.locator("main")).to_contain_text("合议中")
    page.get_by_label("您的意见").fill("物业可以提供车辆，周六上午清理")
    page.get_by_role("button", name="发表意见").click()
    checked_page.check()
    expect(page.locator("main")).to_contain_text("物业可以提供车辆")
    page.get_by_label("决议", exact=True).fill("本周六上午统一清理楼道杂物")
    page.get_by_role("button", name="形成决议").click()
    checked_page.check()
    expect(page.locator("main")).to_contain_text("已决议")

    page.get_by_role("link", name="公开页面（公告栏链接至此）").click()
    checked_page.check()
    expect(page.locator("main")).to_contain_text("本周六上午统一清理楼道杂物")
    expect(page.locator("main")).not_to_contain_text("物业可以提供车辆")

    page.context.clear_cookies()  # anyone at the door sees it on the notice board
    checked_page.goto(door)
    expect(page.locator("main")).to_contain_text("议事决议：楼道堆物清理")
    page.get_by_role("link", name="查看全文").click()  # the notice links to the public page
    expect(page).to_have_url(re.compile(reverse("deliberation-consultation-public", args=[consultation.token])))
    expect(page.locator("main")).to_contain_text("本周六上午统一清理楼道杂物")
