"""Call buttons in a real browser (360 px, axe-checked): a grid worker adds a call button from
the subject's care page, the secret and the big-button link are shown once with a QR code;
the link, opened on the subject's phone, raises an alarm that the duty screen shows."""

import pytest
from playwright.sync_api import expect

from tongxin.alarms.models import Alarm
from tongxin.alarms.testing import care_setup
from tongxin.core.testing import two_grids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_add_a_button_open_its_link_press_and_see_it_on_the_duty_screen(checked_page):
    world = two_grids(households_per_entrance=1)
    s = care_setup(world, gateway_url="")
    page = checked_page.page

    checked_page.log_in("13100000001")  # grid A's worker: care.manage and alarms.respond
    checked_page.goto(f"/care/subjects/{s.subject.pk}/")
    page.get_by_role("link", name="管理呼叫器").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("呼叫器")
    page.get_by_label("呼叫器名称").fill("手机大按钮")
    page.get_by_role("button", name="增加").click()
    expect(page.locator("[data-secret-once]")).to_contain_text("只显示这一次")
    expect(page.locator(".qr-code svg")).to_be_visible()
    checked_page.check()
    link = page.locator("[data-button-link]").inner_text()

    page.reload()  # the secret is gone
    expect(page.locator("[data-secret]")).to_have_count(0)
    expect(page.locator("li[data-device]", has_text="手机大按钮")).to_contain_text("使用中")

    phone = page.context.new_page()
    phone.goto(link)
    phone.get_by_role("button", name="一键呼叫").click()
    expect(phone.get_by_text("已呼叫，正在通知…")).to_be_visible()
    phone.close()
    alarm = Alarm.objects.get(device__label="手机大按钮")

    checked_page.goto("/alarms/")
    expect(page.get_by_role("link", name=f"正在呼救 · {s.subject.person.name}")).to_have_attribute(
        "href", f"/alarms/{alarm.pk}/")
    checked_page.check()
