"""In a real browser at 360 px (axe-checked): a paired helper records a visit with a
micro-wish from a phone, and a campaign visitor ticks a household off."""

import datetime

import pytest
from playwright.sync_api import expect

from tongxin.care.models import CampaignVisit, CareSubject, Visit
from tongxin.care.services import campaigns
from tongxin.care.tests.visits_support import helper, subject_in
from tongxin.core.models import Household
from tongxin.core.testing import two_grids
from tongxin.demands.testing import catalogues  # noqa: F401 - the fixture puts the catalogue back

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_helper_records_a_visit_with_a_micro_wish_and_a_visitor_ticks_a_household(checked_page):
    world = two_grids(households_per_entrance=2)
    subject = subject_in(world)
    helper(world, "h", subject, phone="13800000031")
    page = checked_page.page

    checked_page.log_in("13800000031")
    checked_page.goto(f"/care/subjects/{subject.pk}/visit/")
    expect(page.get_by_role("heading", level=1)).to_have_text("记录走访")
    page.get_by_label("看到的情况").fill("精神很好，家里有点冷")
    page.get_by_label("微心愿（发布给志愿者认领）").fill("想要一个电暖器")
    page.get_by_role("button", name="保存走访记录").click()
    checked_page.check()
    expect(page.get_by_text("走访已记录，谢谢。")).to_be_visible()
    expect(page.get_by_role("link", name="想要一个电暖器")).to_be_visible()
    visit = Visit.objects.get()
    assert visit.wish.title == "想要一个电暖器" and visit.wish.state == "open"
    assert CareSubject.objects.get(pk=subject.pk).next_visit_due > datetime.date.today()

    campaign = campaigns.create(world.users["staff"], title="党员敲门走访", place=world.places["b1"],
                                starts_on=datetime.date(2026, 3, 1), questions=["家里有需要帮助的人吗？"])
    household = Household.objects.filter(place=world.places["b1u1"]).order_by("unit_number").first()
    page.context.clear_cookies()
    checked_page.log_in("13100000001")  # grid A's worker
    checked_page.goto("/care/campaigns/")
    page.get_by_role("link", name="党员敲门走访").click()
    checked_page.check()
    page.get_by_role("link", name="1栋").click()
    checked_page.check()
    page.get_by_role("link", name=household.unit_number).first.click()
    checked_page.check()
    page.get_by_label("已走访").check()
    page.get_by_label("家里有需要帮助的人吗？").fill("没有")
    page.get_by_role("button", name="登记", exact=True).click()
    checked_page.check()
    expect(page.get_by_text("已登记这一户的走访。")).to_be_visible()
    visit = CampaignVisit.objects.get()
    assert visit.campaign == campaign and visit.household == household and visit.outcome == "reached"
    assert visit.answers == {"家里有需要帮助的人吗？": "没有"}
