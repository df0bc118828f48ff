import pytest
from playwright.sync_api import expect

from tongxin.core import delivery
from tongxin.core.testing import two_grids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_publish_a_notice_and_the_building_chief_sees_it_behind_the_bell(checked_page):
    two_grids(households_per_entrance=1)
    page = checked_page.page
    checked_page.log_in("13100000003")  # community staff
    checked_page.goto("/places/t-b1/")
    page.get_by_role("link", name="在此发布通知").click()
    checked_page.check()
    page.get_by_label("标题").fill("1栋周六停水")
    page.get_by_label("内容").fill("8:00–12:00 检修水管，请提前储水。")
    page.get_by_role("button", name="发布").click()
    expect(page.get_by_role("status")).to_contain_text("通知已发布")
    expect(page.get_by_role("heading", name="1栋周六停水")).to_be_visible()
    checked_page.check()

    delivery.deliver_due()  # what the worker does
    page.context.clear_cookies()
    checked_page.log_in("13100000005")  # the building chief of building 1
    checked_page.goto("/")
    bell = page.get_by_role("link", name="通知：1 条未读")
    expect(bell).to_be_visible()
    bell.click()
    checked_page.check()
    page.get_by_role("link", name="1栋周六停水").click()
    expect(page.get_by_role("heading", name="1栋周六停水")).to_be_visible()  # on building 1's page
    expect(page.get_by_role("link", name="通知：0 条未读")).to_be_visible()  # read: the count is gone
    checked_page.check()
