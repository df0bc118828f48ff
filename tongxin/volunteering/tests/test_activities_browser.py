"""A real browser: a member scans the activity's QR code, signs in, checks in, later checks
out, and finds the hours in their ledger; the organiser sees them in the attendance list."""

import datetime

import pytest
from playwright.sync_api import expect

from tongxin.core.testing import PASSWORD, two_grids
from tongxin.volunteering.models import Attendance, ServiceRecord
from tongxin.volunteering.services import activities as services
from tongxin.volunteering.tests.activity_helpers import activity_now, member

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_member_checks_in_and_out_by_the_activitys_qr_code(checked_page):
    world = two_grids(households_per_entrance=1)
    activity = activity_now(world, title="周末义诊", capacity=10)
    person, _enrolment, user = member(world, "赵志愿")
    page = checked_page.page
    qr_path = f"/volunteering/a/{activity.token}/"

    checked_page.goto(qr_path)
    expect(page.get_by_role("heading", level=1)).to_have_text("周末义诊")
    page.get_by_role("link", name="登录", exact=True).last.click()
    page.get_by_label("手机号").fill(user.phone)
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("周末义诊")  # back at the QR page
    checked_page.check()

    page.get_by_role("button", name="签到").click()
    expect(page.get_by_role("status")).to_contain_text("签到成功")
    checked_page.check()
    attendance = Attendance.objects.get(person=person)
    # Forty minutes later (the clock moved on), the member scans again and checks out.
    Attendance.objects.filter(pk=attendance.pk).update(
        checked_in_at=attendance.checked_in_at - datetime.timedelta(minutes=40))
    checked_page.goto(qr_path)
    page.get_by_role("button", name="签退").click()
    expect(page.get_by_role("status")).to_contain_text("40 分钟")
    checked_page.check()
    assert ServiceRecord.objects.get(person=person).minutes == 40

    checked_page.goto("/volunteering/ledger/mine/")
    expect(page.get_by_role("table")).to_contain_text("0.7")
    checked_page.goto("/volunteering/activities/")
    expect(page.get_by_role("heading", level=1)).to_have_text("志愿活动")

    # The organiser's attendance list.
    page.context.clear_cookies()
    checked_page.log_in("13100000003")  # community staff
    session = services.today_session(activity)
    checked_page.goto(f"/volunteering/sessions/{session.pk}/")
    expect(page.get_by_role("table")).to_contain_text("赵志愿")
    expect(page.get_by_role("table")).to_contain_text("40")
    checked_page.goto(f"/volunteering/activities/{activity.pk}/")
    checked_page.goto("/volunteering/activities/new/")
    checked_page.goto("/volunteering/ledger/")
    expect(page.get_by_role("table").first).to_contain_text("赵志愿")
