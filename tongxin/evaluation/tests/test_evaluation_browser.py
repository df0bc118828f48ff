"""An evaluation in a real browser (360 px, axe-checked): a resident answers from a phone, a
panel member scores, staff close it, and the weighted result shows."""

import datetime

import pytest
from playwright.sync_api import expect

from tongxin.core.models import Household
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, two_grids
from tongxin.evaluation.models import Campaign, Response
from tongxin.evaluation.services import campaigns as services

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_resident_and_a_panel_member_answer_and_staff_see_the_weighted_result(checked_page):
    world = two_grids()
    today = datetime.date.today()
    campaign = services.create(world.users["staff"], world.places["compound"], title="物业服务满意度测评",
                               subject_kind="compound", opens_on=today, closes_on=today,
                               questions=["环境卫生", "安全秩序"], resident_weight=60,
                               panel=[("13100000004", "街道领导")])
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    create_login(household.members.get().person, phone="15800000001", password=PASSWORD)
    page = checked_page.page

    checked_page.log_in("15800000001")  # a resident, on a phone
    checked_page.goto("/evaluation/")
    page.get_by_role("link", name="物业服务满意度测评").click()
    checked_page.check()
    expect(page.get_by_text("每户一份")).to_be_visible()
    page.get_by_role("group", name="1. 环境卫生").get_by_label("5").check()
    page.get_by_role("group", name="2. 安全秩序").get_by_label("4").check()
    page.get_by_label("意见建议（选填）").fill("楼道很干净")
    page.get_by_role("button", name="提交").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("您的评价已保存")
    page.context.clear_cookies()

    checked_page.log_in("13100000004")  # the street leader, on the panel
    checked_page.goto(f"/evaluation/{campaign.pk}/answer/")
    page.get_by_role("group", name="1. 环境卫生").get_by_label("3").check()
    page.get_by_role("group", name="2. 安全秩序").get_by_label("2").check()
    page.get_by_role("button", name="提交").click()
    checked_page.check()
    page.context.clear_cookies()

    checked_page.log_in("13100000003")  # community staff
    checked_page.goto(f"/evaluation/{campaign.pk}/")
    page.get_by_role("button", name="结束测评").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("测评已结束")
    # Q1 5×60% + 3×40% = 4.20, Q2 4×60% + 2×40% = 3.20, overall 3.70.
    expect(page.locator("#overall")).to_have_text("3.70")
    expect(page.locator("#by-question")).to_contain_text("4.20")
    assert Response.objects.filter(campaign=campaign).count() == 2
    assert Campaign.objects.get(pk=campaign.pk).closed_at is not None


def test_the_results_page_draws_the_series_and_keeps_the_table(checked_page):
    """Two closed campaigns a quarter apart: the line chart (vendored ECharts) and the table."""
    from django.utils import timezone

    world = two_grids()
    today = datetime.date.today()
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("pk").first()
    resident = create_login(household.members.get().person, phone="15800000001", password=PASSWORD)
    for days, rating in ((100, 3), (10, 5)):
        campaign = services.create(world.users["staff"], world.places["compound"], title=f"小区测评{days}",
                                   subject_kind="compound", opens_on=today, closes_on=today, questions=["环境卫生"])
        services.answer_as_resident(resident, campaign, {campaign.questions.get().pk: rating})
        services.close(world.users["staff"], campaign)
        earlier = today - datetime.timedelta(days=days)
        Campaign.objects.filter(pk=campaign.pk).update(opens_on=earlier, closes_on=earlier,
                                                       closed_at=timezone.now() - datetime.timedelta(days=days))
    page = checked_page.page
    checked_page.log_in("13100000003")  # community staff
    checked_page.goto(f"/evaluation/results/?place={world.places['compound'].code}")
    expect(page.locator("[data-score-chart] svg")).to_be_visible()
    expect(page.locator("table.over-time tbody tr")).to_have_count(2)
    expect(page.locator("table.over-time")).to_contain_text("5.00")
    checked_page.check()
