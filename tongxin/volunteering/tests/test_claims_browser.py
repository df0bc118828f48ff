"""A micro-wish in a real browser (360 px, axe-checked): reported at a QR code, claimed by a
member, completed with a photo, confirmed by the grid worker; the resident sees it done."""

import pytest
from playwright.sync_api import expect

from tongxin.core.testing import two_grids
from tongxin.demands.testing import catalogues  # noqa: F401 - the fixture puts the catalogue back
from tongxin.volunteering.models import ClaimState, ServiceRecord, Task
from tongxin.volunteering.tests.claims_support import enrol, jpeg_with_exif, wish_report

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_claims_a_wish_completes_it_with_a_photo_and_the_grid_worker_confirms(checked_page):
    world = two_grids(households_per_entrance=1)
    enrol(world, "near", home="b1u1", phone="13800000001")
    demand = wish_report(world)
    task = Task.objects.get(demand=demand)
    page = checked_page.page

    checked_page.log_in("13800000001")
    checked_page.goto("/volunteering/tasks/")
    expect(page.get_by_text("139****5678")).to_be_visible()
    page.get_by_role("link", name="想要一副老花镜").click()
    checked_page.check()
    page.get_by_role("button", name="我来认领").click()
    checked_page.check()
    expect(page.get_by_text("认领成功")).to_be_visible()
    expect(page.get_by_role("link", name="13912345678")).to_be_visible()
    page.get_by_label("完成情况").fill("老花镜已经送到王奶奶家")
    photo = jpeg_with_exif()
    page.get_by_label("照片").set_input_files([{"name": "p.jpg", "mimeType": "image/jpeg",
                                              "buffer": photo.read()}])
    page.get_by_role("button", name="已完成", exact=True).click()
    checked_page.check()
    expect(page.get_by_text("已报告完成")).to_be_visible()
    expect(page.locator("img.photo")).to_have_count(1)

    page.context.clear_cookies()
    checked_page.log_in("13100000001")  # grid A's worker
    checked_page.goto(f"/volunteering/tasks/{task.pk}/")
    page.get_by_role("button", name="确认已完成").click()
    checked_page.check()
    expect(page.get_by_text("已确认，服务时长已记入志愿者台账")).to_be_visible()
    assert task.claims.get().state == ClaimState.CONFIRMED
    assert ServiceRecord.objects.filter(person=world.people["near"]).count() == 1

    page.context.clear_cookies()
    checked_page.goto(f"/volunteering/wish/{demand.tracking_code}/")
    page.get_by_label("您的手机号").fill("13912345678")
    page.get_by_role("button", name="确认").click()
    checked_page.check()
    expect(page.get_by_text("已完成并确认，谢谢。")).to_be_visible()
