"""A person scans a door's QR code, registers as a party member, and the community approves."""

import datetime

import pytest
from playwright.sync_api import expect

from tongxin.core.models import Organisation, OrganisationMember
from tongxin.core.testing import two_grids
from tongxin.demands.services import qr_for
from tongxin.volunteering.models import Enrolment, Status, UnitRegistration

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_party_member_registers_from_a_qr_code_and_the_community_approves(checked_page):
    world = two_grids()
    community = world.places["community"]
    unit = Organisation.objects.create(code="tax-branch", name="市税务局机关党支部", kind="party_branch",
                                       subtype="单位党组织", started_on=datetime.date(2020, 1, 1))
    UnitRegistration.objects.create(unit=unit, community=community, community_path=community.path,
                                    status=Status.APPROVED)
    token = qr_for(world.places["b1u1"]).token
    page = checked_page.page

    checked_page.goto(_qr_path(token))
    page.get_by_role("link", name="党员报到 / 志愿者注册").click()
    checked_page.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text("党员报到")
    page.get_by_label("报到身份").select_option("party_member")
    page.get_by_label("姓名").fill("王建国")
    page.get_by_label("手机号").fill("13900001111")
    page.get_by_label("密码（以后登录用）").fill("a-long-pass-2026")
    page.get_by_label("您工作单位的党组织").select_option(label="市税务局机关党支部")
    page.get_by_label("特长").fill("水电维修")
    page.get_by_role("button", name="报到", exact=True).click()
    checked_page.check()
    expect(page.locator("main")).to_contain_text("等待社区审核")
    enrolment = Enrolment.objects.get()
    assert enrolment.status == Status.PENDING

    page.context.clear_cookies()
    checked_page.log_in("13100000003")  # the community's staff
    checked_page.goto("/volunteering/enrolments/?status=pending")
    card = page.locator(f"#enrolment-{enrolment.pk}")
    expect(card).to_contain_text("王建国")
    card.get_by_role("button", name="通过", exact=True).click()
    checked_page.check()
    expect(page.locator("main")).to_contain_text("已通过")
    enrolment.refresh_from_db()
    assert enrolment.status == Status.APPROVED
    assert OrganisationMember.objects.filter(organisation=unit, person=enrolment.person).exists()
    # The community's other pages, checked the same way.
    checked_page.goto("/volunteering/posts/")
    page.get_by_label("岗位名称").fill("楼栋调解员")
    page.get_by_label("岗位类别").select_option("mediation")
    page.get_by_role("button", name="发布", exact=True).click()
    checked_page.check()
    expect(page.locator("main")).to_contain_text("楼栋调解员")
    checked_page.goto("/volunteering/teams/")
    checked_page.goto(f"/volunteering/units/{UnitRegistration.objects.get().pk}/")
    checked_page.goto("/volunteering/units/")


def _qr_path(token: str) -> str:
    from django.urls import reverse

    return reverse("qr-page", args=[token])
