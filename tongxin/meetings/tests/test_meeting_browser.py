"""In a real browser at phone size (axe-checked): staff record a meeting's attendance and a
decision with an action item; the owner marks it done from "my action items"."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tongxin.core.testing import two_grids
from tongxin.meetings.models import ActionItem, Invitation
from tongxin.meetings.testing import held_meeting

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_record_a_meeting_and_the_owner_closes_the_action_item(checked_page):
    world = two_grids(households_per_entrance=2)
    meeting = held_meeting(world)
    page = checked_page.page

    checked_page.log_in("13100000003")  # the community's staff
    for path in ("/meetings/", "/meetings/new/", "/meetings/overdue/"):  # axe-checked as they are
        checked_page.goto(path)
    checked_page.goto(f"/meetings/{meeting.pk}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("三方联席会议")
    page.get_by_role("group", name="chief_b1").get_by_label("出席").check()
    page.get_by_role("group", name="worker_b").get_by_label("请假").check()
    page.get_by_role("button", name="保存出席情况").click()
    checked_page.check()
    expect(page.get_by_text("出席情况已保存。")).to_be_visible()
    assert dict(Invitation.objects.filter(meeting=meeting).values_list("person__name", "attendance")) == {
        "chief_b1": "present", "worker_b": "excused"}

    deadline = timezone.localdate() + datetime.timedelta(days=7)
    page.get_by_label("会议决定", exact=True).fill("3栋楼道灯一周内更换")
    page.locator("#action_title").fill("联系物业更换楼道灯")
    page.locator("#action_owner").select_option(label="chief_b1")
    page.locator("#action_deadline").fill(deadline.isoformat())
    page.get_by_role("button", name="记录会议决定").click()
    checked_page.check()
    expect(page.get_by_text("会议决定已记录。")).to_be_visible()
    expect(page.get_by_role("link", name="联系物业更换楼道灯")).to_be_visible()
    action = ActionItem.objects.get()
    assert (action.owner_person, action.deadline, action.status) == (world.people["chief_b1"], deadline, "open")

    page.context.clear_cookies()
    checked_page.log_in("13100000005")  # building 1's chief, the owner
    checked_page.goto("/meetings/my-actions/")
    page.get_by_role("link", name="联系物业更换楼道灯").click()
    checked_page.check()
    page.get_by_label("已完成").check()
    page.get_by_label("办理结果或撤销原因").fill("物业已更换12盏灯")
    page.get_by_role("button", name="保存", exact=True).click()
    checked_page.check()
    expect(page.get_by_text("事项已办结，谢谢。")).to_be_visible()
    action.refresh_from_db()
    assert (action.status, action.note, action.closed_by) == ("done", "物业已更换12盏灯", world.users["chief_b1"])
