"""Issue 9's acceptance journey in a real browser, end to end through every part: a party
member registers from a QR page → the community approves → the member claims a micro-wish
→ completes it with a photo → the grid worker confirms → the hours appear in the member's
ledger and in the work unit's report (page and Excel)."""

import datetime
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from playwright.sync_api import expect

from tongxin.core.models import Organisation
from tongxin.core.testing import login_for, two_grids
from tongxin.demands.services import qr_for
from tongxin.demands.testing import catalogues  # noqa: F401 - the fixture puts the catalogue back
from tongxin.volunteering.models import ClaimState, Enrolment, ServiceRecord, Status, Task, UnitRegistration
from tongxin.volunteering.tests.claims_support import jpeg_with_exif, wish_report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_from_the_qr_code_to_the_work_units_report(checked_page):
    world = two_grids(households_per_entrance=1)
    community = world.places["community"]
    unit = Organisation.objects.create(code="tax-branch", name="市税务局机关党支部", kind="party_branch",
                                       subtype="单位党组织", started_on=datetime.date(2020, 1, 1))
    UnitRegistration.objects.create(unit=unit, community=community, community_path=community.path,
                                    status=Status.APPROVED)
    login_for(world, "secretary", "branch_secretary", organisation=unit, phone="13100000009")
    task = Task.objects.get(demand=wish_report(world))  # 王奶奶's 微心愿, reported at the door
    page = checked_page.page

    # A party member working at the tax bureau registers at the door of the building they live in.
    checked_page.goto(reverse("qr-page", args=[qr_for(world.places["b1u1"]).token]))
    page.get_by_role("link", name="党员报到 / 志愿者注册").click()
    page.get_by_label("报到身份").select_option("party_member")
    page.get_by_label("姓名").fill("王建国")
    page.get_by_label("手机号").fill("13900001111")
    page.get_by_label("密码（以后登录用）").fill("a-long-pass-2026")
    page.get_by_label("您工作单位的党组织").select_option(label="市税务局机关党支部")
    page.get_by_role("button", name="报到", exact=True).click()
    checked_page.check()
    expect(page.locator("main")).to_contain_text("等待社区审核")
    enrolment = Enrolment.objects.get()

    # The community approves.
    page.context.clear_cookies()
    checked_page.log_in("13100000003")
    checked_page.goto("/volunteering/enrolments/?status=pending")
    page.locator(f"#enrolment-{enrolment.pk}").get_by_role("button", name="通过", exact=True).click()
    checked_page.check()

    # The member claims the wish and completes it with a photo.
    page.context.clear_cookies()
    checked_page.log_in("13900001111", password="a-long-pass-2026")
    checked_page.goto("/volunteering/tasks/")
    page.get_by_role("link", name="想要一副老花镜").click()
    page.get_by_role("button", name="我来认领").click()
    checked_page.check()
    expect(page.get_by_text("认领成功")).to_be_visible()
    page.get_by_label("完成情况").fill("老花镜已经送到王奶奶家")
    page.get_by_label("照片").set_input_files([{"name": "p.jpg", "mimeType": "image/jpeg",
                                              "buffer": jpeg_with_exif().read()}])
    page.get_by_role("button", name="已完成", exact=True).click()
    checked_page.check()

    # Grid A's worker confirms.
    page.context.clear_cookies()
    checked_page.log_in("13100000001")
    checked_page.goto(f"/volunteering/tasks/{task.pk}/")
    page.get_by_role("button", name="确认已完成").click()
    checked_page.check()
    assert task.claims.get().state == ClaimState.CONFIRMED
    record = ServiceRecord.objects.get(person=enrolment.person)
    assert (record.unit_id, record.minutes) == (unit.pk, 60)

    # The hours in the member's own ledger.
    page.context.clear_cookies()
    checked_page.log_in("13900001111", password="a-long-pass-2026")
    checked_page.goto("/volunteering/ledger/mine/")
    expect(page.locator("main")).to_contain_text("想要一副老花镜")
    expect(page.locator("main")).to_contain_text("1.0")

    # ... and in the work unit's report: the page, and its Excel for the quarter.
    page.context.clear_cookies()
    checked_page.log_in("13100000009")
    checked_page.goto("/volunteering/unit/")
    row = page.locator("tr", has_text="王建国")
    expect(row).to_contain_text("1.0")
    origin = page.url.split("/volunteering/")[0]
    workbook = load_workbook(BytesIO(page.request.get(f"{origin}/volunteering/unit/{unit.pk}/export/").body()))
    cells = [[cell for cell in row] for row in workbook.worksheets[0].iter_rows(values_only=True)]
    member_row = next(row for row in cells if "王建国" in row)
    assert 1 in member_row or 1.0 in member_row, member_row
