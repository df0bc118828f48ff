"""Issue 13's acceptance, in a real browser at 360 px (axe-checked): staff raise a typhoon
notice for a compound; a resident confirms from their household's link; the grid workers
see the board with the vulnerable households first and tick off the rest; staff end the
notice and the report accounts for every household."""

import pytest
from playwright.sync_api import expect

from tongxin.core.models import Person
from tongxin.core.testing import two_grids
from tongxin.emergencies import links, services
from tongxin.emergencies.models import EmergencyNotice, Reach

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_an_emergency_notice_reaches_every_household(checked_page):
    two_grids()
    page = checked_page.page

    checked_page.log_in("13100000003")  # community staff
    checked_page.goto("/emergencies/")
    page.get_by_label("范围").select_option("t-compound")
    page.get_by_label("类型").select_option("typhoon")
    page.get_by_label("标题").fill("台风预警：今晚请勿外出")
    page.get_by_label("居民需要做什么").fill("关好门窗，收好阳台物品。低洼住户请到社区避难点。")
    page.get_by_role("button", name="发送到每一户").click()
    checked_page.check()
    expect(page.locator("#totals")).to_contain_text("0 / 12")
    notice = EmergencyNotice.objects.get()
    assert services.fan_out(notice.pk) == 12  # the worker's job: every household's link goes out
    page.context.clear_cookies()

    # A resident of building 1 opens their link from the SMS, without logging in.
    home = Person.objects.get(name="居民1").memberships.get().household
    checked_page.goto(links.path(notice.pk, home.pk))
    expect(page.get_by_role("heading", level=1)).to_have_text("台风预警：今晚请勿外出")
    page.get_by_role("button", name="收到，家里安全").click()
    checked_page.check()
    expect(page.locator("#confirmed")).to_contain_text("已收到")

    # Grid A's worker: the board shows the vulnerable households (masked) before the rest.
    checked_page.log_in("13100000001")
    checked_page.goto(f"/emergencies/{notice.pk}/")
    expect(page.locator("#totals")).to_contain_text("1 / 6")
    vulnerable = page.locator("#vulnerable li")
    expect(vulnerable).to_have_count(2)
    expect(vulnerable.first).to_contain_text("居*")
    page.get_by_role("link", name="1栋").click()
    checked_page.check()
    rows = page.locator("#households li")
    expect(rows.nth(0)).to_contain_text("居民2")  # living alone: first
    expect(rows.nth(1)).to_contain_text("居民5")
    expect(rows.nth(5)).to_contain_text("居民1")  # confirmed from the link: last
    for _ in range(5):
        page.locator("#households li").filter(has=page.get_by_role("button", name="电话通知")).first.get_by_role(
            "button", name="电话通知").click()
        checked_page.check()
    expect(page.get_by_role("button", name="电话通知")).to_have_count(0)
    page.context.clear_cookies()

    checked_page.log_in("13100000002")  # grid B's worker, building 2
    checked_page.goto(f"/emergencies/{notice.pk}/blocks/t-b2/")
    for _ in range(6):
        page.get_by_role("button", name="上门通知").first.click()
        checked_page.check()
    page.context.clear_cookies()

    checked_page.log_in("13100000003")
    checked_page.goto(f"/emergencies/{notice.pk}/")
    expect(page.locator("#totals")).to_contain_text("12 / 12")
    expect(page.locator("#vulnerable")).to_contain_text("每一户重点关注对象都已通知到")
    page.get_by_label("结束说明").fill("台风已过境，解除")
    page.get_by_role("button", name="结束通知并查看报告").click()
    checked_page.check()
    expect(page.locator("#reached")).to_have_text("12 / 12")
    expect(page.locator("#never")).to_have_text("0")
    expect(page.locator("#ways")).to_contain_text("居民自己确认: 1")
    expect(page.locator("#ways")).to_contain_text("电话通知: 5")
    expect(page.locator("#ways")).to_contain_text("上门通知: 6")
    assert Reach.objects.filter(notice=notice).count() == 12
    assert EmergencyNotice.objects.get().closed_at is not None
