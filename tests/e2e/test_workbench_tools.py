"""The workbench's tools in a real browser at 360 px: bulk accept, dispatch from the list of
people, the hand-over page (with its refusal when nothing is chosen), and a service on behalf
chosen on the QR page (the item list appears with its category)."""

import re

import pytest
from playwright.sync_api import expect

from tongxin.core import holidays
from tongxin.core.models import CalendarDay
from tongxin.core.testing import login_for, two_grids
from tongxin.demands import services
from tongxin.demands.catalogue import ensure_seeded
from tongxin.demands.models import Category, Demand

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_bulk_accept_dispatch_and_hand_over(checked_page):
    world = two_grids(households_per_entrance=1)
    ensure_seeded()  # the catalogues and the calendar come with migrations; transactional tests flush them
    holidays.seed(CalendarDay)
    login_for(world, "chief_new", "building_chief", place=world.places["b1"], phone="13100000011")
    lights = Category.objects.get(code="lighting")
    made = [services.report(world.places["b1u1"], category=lights, description=f"{n}楼楼道灯坏了", key=f"k{n}")
            for n in (2, 3)]
    page = checked_page.page
    page.set_viewport_size({"width": 360, "height": 740})

    checked_page.log_in("13100000001")
    checked_page.goto("/demands/")
    for demand in made:
        page.get_by_label(f"勾选 {demand.tracking_code}").check()
    page.get_by_text("批量处理勾选的诉求").click()
    page.get_by_label("操作").select_option(label="受理")
    page.get_by_role("button", name="对勾选的诉求执行").click()
    expect(page.get_by_role("status")).to_contain_text("已完成2件")
    checked_page.check()
    assert set(Demand.objects.values_list("state", flat=True)) == {"accepted"}

    # dispatch both to the building chief, chosen by name from the list
    for demand in made:
        page.get_by_label(f"勾选 {demand.tracking_code}").check()
    page.get_by_text("批量处理勾选的诉求").click()
    page.get_by_label("操作").select_option(label="派遣")
    value = page.locator("#handler option", has_text="chief_b1").first.get_attribute("value")
    page.locator("#handler").select_option(value)
    page.get_by_role("button", name="对勾选的诉求执行").click()
    expect(page.get_by_role("status")).to_contain_text("已完成2件")
    assert set(Demand.objects.values_list("handler__phone", flat=True)) == {"13100000005"}

    # the building chief leaves: their queue goes to the new one
    page.get_by_role("link", name="离岗人员的诉求交接").click()
    checked_page.check()
    page.get_by_role("button", name="交接").click()  # nothing chosen: the browser asks first
    expect(page).to_have_url(re.compile(r"/demands/hand-over/$"))
    page.get_by_label("交出人").select_option(index=1)
    value = page.locator("#successor option", has_text="chief_new").first.get_attribute("value")
    page.get_by_label("接手人").select_option(value)
    page.get_by_role("button", name="交接").click()
    expect(page.get_by_role("status")).to_contain_text("已将2件诉求交给chief_new")
    checked_page.check()
    assert set(Demand.objects.values_list("handler__phone", flat=True)) == {"13100000011"}


def test_a_service_on_behalf_from_the_qr_page(checked_page):
    world = two_grids(households_per_entrance=1)
    ensure_seeded()
    holidays.seed(CalendarDay)
    token = services.qr_for(world.places["b1u1"]).token
    page = checked_page.page
    page.set_viewport_size({"width": 360, "height": 740})
    checked_page.goto(f"/q/{token}/")
    expect(page.get_by_label("办理什么事项？", exact=False)).to_be_hidden()  # only with its category
    page.get_by_role("radio", name="代办服务").check()
    expect(page.get_by_label("办理什么事项？", exact=False)).to_be_visible()
    page.get_by_label("办理什么事项？", exact=False).select_option(label="高龄津贴申请")
    page.get_by_label("具体情况").fill("x")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("alert")).to_contain_text("请简单说说遇到了什么问题")  # a clear refusal
    # The refusal is answered 400 on purpose; the browser logs that status as a console error.
    assert checked_page.errors == ["console error: Failed to load resource: the server responded with a status "
                                   "of 400 (Bad Request)"]
    checked_page.errors.clear()
    checked_page.check()  # the refusal page itself: accessible, no script errors
    expect(page.get_by_role("radio", name="代办服务")).to_be_checked()  # what was chosen is kept
    page.get_by_label("具体情况").fill("我父亲今年满80岁，想申请高龄津贴")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已收到")
    expect(page.get_by_text("街道民政办", exact=False)).to_be_visible()  # where it goes, what to bring
    expect(page.get_by_text("银行卡")).to_be_visible()
    checked_page.check()
    assert Demand.objects.get().errand.code == "old-age-allowance"
