"""Reading the rules in a real browser at 360 px (axe-checked), without logging in: the public
page of the compound, then a rule's history with what changed."""

import datetime

import pytest
from playwright.sync_api import expect

from tongxin.bylaws import services
from tongxin.core.testing import two_grids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_resident_reads_the_rules_and_what_changed_on_a_phone(checked_page):
    world = two_grids()
    staff = world.users["staff"]
    bylaw = services.create_bylaw(staff, world.places["compound"], kind="fee_standard", title="测试小区收费标准")
    old = "第一条 物业服务费：多层住宅每月每平方米1.20元，由物业服务企业按季度收取。\n第二条 停车费每月150元。"
    services.publish(staff, services.draft(staff, bylaw, text=old, effective_on=datetime.date(2024, 1, 1),
                                           basis="2023年业主大会表决通过"))
    services.publish(staff, services.draft(staff, bylaw, text=old.replace("1.20", "1.35"),
                                           effective_on=datetime.date(2026, 1, 1), basis="2025年12月业主大会表决通过"))
    page = checked_page.page

    checked_page.goto("/bylaws/p/t-compound/")
    expect(page.get_by_role("heading", name="测试小区收费标准")).to_be_visible()
    expect(page.locator(".rule-text").first).to_contain_text("1.35元")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360  # nothing wider than the phone
    page.get_by_role("link", name="历次版本：共2版").click()
    checked_page.check()
    expect(page.locator("#v2 .diff ins")).to_have_text("35")
    expect(page.locator("#v2 .diff del")).to_have_text("20")
    expect(page.locator("#v2")).to_contain_text("2025年12月业主大会表决通过")
    expect(page.locator("#v2 .badge")).to_have_text("现行")
    assert page.evaluate("document.documentElement.scrollWidth") <= 360
