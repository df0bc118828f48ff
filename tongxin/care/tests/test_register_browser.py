"""The care register in a real browser (360 px, axe clean): staff put a resident on the
register with their consent and pair a helper; the helper signs in and sees the subject."""

import pytest
from playwright.sync_api import expect

from tongxin.care.models import CareSubject, Pairing
from tongxin.core.models import Consent, Person
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, two_grids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_register_and_pair_then_the_helper_sees_the_subject(checked_page):
    world = two_grids()
    entrance = world.places["b1u2"]
    subject = Person.objects.filter(household__place=entrance).order_by("pk")[0]
    helper = Person.objects.filter(household__place=entrance).order_by("pk")[2]
    create_login(helper, phone="13600000077", password=PASSWORD)
    page = checked_page.page
    checked_page.log_in("13100000003")  # community staff
    checked_page.goto("/care/subjects/new/")
    page.get_by_label("按姓名或门牌号查找居民").fill(subject.name)
    page.get_by_role("button", name="查找").click()
    checked_page.check()
    page.get_by_role("link", name=subject.name).click()
    checked_page.check()
    expect(page.get_by_text("需本人同意").first).to_be_visible()
    page.get_by_label("空巢老人").check()
    page.get_by_label("同意人").fill(subject.name)
    page.get_by_label("需求").fill("每周代买药品")
    page.get_by_label("姓名 1").fill("李明")
    page.get_by_label("关系").first.fill("儿子")
    page.get_by_label("手机号").first.fill("13800005555")
    page.get_by_role("button", name="登记", exact=True).click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("已登记为关爱对象")
    assert Consent.objects.filter(person=subject, tag="empty_nest", given_by=subject.name).exists()
    page.get_by_label("按姓名查找您辖区的居民").fill(helper.name)
    page.get_by_role("button", name="查找").click()
    checked_page.check()
    page.get_by_label("帮扶人").select_option(str(helper.pk))
    page.get_by_label("结对身份").select_option("neighbour")
    page.get_by_role("button", name="结对", exact=True).click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("已结对")
    assert Pairing.objects.filter(subject=CareSubject.objects.get(person=subject), helper=helper).exists()

    page.context.clear_cookies()
    checked_page.log_in("13600000077")
    checked_page.goto("/care/mine/")
    expect(page.get_by_role("heading", level=1)).to_contain_text("我的结对对象")
    expect(page.get_by_role("heading", level=2)).to_contain_text(subject.name)
    expect(page.get_by_text("每周代买药品")).to_be_visible()
    expect(page.get_by_role("link", name="13800005555")).to_be_visible()
