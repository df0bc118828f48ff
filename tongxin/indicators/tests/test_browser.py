"""The dashboard and the big screen in a real browser: charts drawn, no CSP violation, axe clean."""

import pytest
from playwright.sync_api import expect

from tongxin.core.testing import two_grids
from tongxin.indicators.tests.example import build

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_street_leader_reads_october_drills_down_and_opens_the_big_screen(checked_page):
    build(two_grids())
    page = checked_page.page
    checked_page.log_in("13100000004")  # the street leader
    checked_page.goto("/indicators/?period=month&on=2026-10-01")
    expect(page.get_by_role("heading", level=1)).to_contain_text("测试街道")
    expect(page.locator('[data-chart="chart-children"] svg')).to_have_count(1)
    expect(page.locator('[data-line-chart="chart-rates"] svg')).to_have_count(1)
    page.get_by_role("link", name="测试社区").first.click()
    checked_page.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("测试社区")
    page.get_by_role("link", name="大屏").click()
    checked_page.check()
    expect(page.locator("body.screen")).to_have_count(1)
    expect(page.locator("[data-line-chart] svg")).to_have_count(1)
    # A minute later: the figures come again and the charts are drawn again.
    page.evaluate("htmx.ajax('GET', location.href, "
                  "{target: '#screen-body', select: '#screen-inner', swap: 'innerHTML'})")
    expect(page.locator("#screen-inner")).to_have_count(1)
    expect(page.locator('[data-line-chart][data-drawn] svg')).to_have_count(1)
    expect(page.locator('[data-bar-chart][data-drawn] svg')).to_have_count(1)
    checked_page.check()
