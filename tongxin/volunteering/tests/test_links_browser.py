"""The coverage page in a real browser (360 px, axe clean): link a suggested member to a
building's households with nobody, pick one by one, end a link."""

import pytest
from playwright.sync_api import expect

from tongxin.core.models import Person
from tongxin.core.testing import two_grids
from tongxin.volunteering.models import Enrolment, HouseholdLink

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_link_a_suggested_member_then_end_a_link(checked_page):
    world = two_grids()
    community, b1 = world.places["community"], world.places["b1u1"]
    person = Person.objects.filter(home_path__startswith=b1.path).order_by("id").first()
    enrolment = Enrolment.objects.create(person=person, kind="volunteer", community=community,
                                         community_path=community.path, home=b1, home_path=b1.path, status="approved")
    page = checked_page.page
    checked_page.log_in("13100000003")  # community staff
    checked_page.goto("/volunteering/coverage/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("三联系")
    expect(page.get_by_text("12 户无人联系")).to_be_visible()
    page.get_by_text("6 户无人联系").first.click()  # a building's list opens
    page.get_by_role("button", name="结对本楼无人联系户（每人最多 12 户）").first.click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("新增联系 6 户")
    assert HouseholdLink.objects.filter(enrolment=enrolment, valid_to__isnull=True).count() == 6
    page.get_by_role("link", name="测试小区 2栋").click()
    checked_page.check()
    page.get_by_label("联系人（党员或志愿者）").select_option(str(enrolment.pk))
    page.get_by_role("checkbox").first.check()
    page.get_by_role("button", name="结对勾选的住户").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("新增联系 1 户")
    page.get_by_role("button", name="结束联系").first.click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("联系已结束")
    assert HouseholdLink.objects.filter(enrolment=enrolment, valid_to__isnull=True).count() == 6
    assert HouseholdLink.objects.filter(enrolment=enrolment).count() == 7
