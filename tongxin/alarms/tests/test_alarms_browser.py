"""The emergency call in a real browser (360 px, axe-checked).

(a) A subject presses the big button; the helper's duty screen, open already, shows the
alarm by itself (htmx polling); the helper acknowledges; the timeline shows the times and
the subject's page shows who answered.
(b) Nobody answers: a real ``db_worker`` escalates the alarm to the community's duty list
at the deadline (seconds here); the test never calls the escalation itself.
"""

import time

import pytest
from playwright.sync_api import expect

from tongxin.alarms.models import Alarm, AlarmState, StepKind
from tongxin.alarms.testing import care_setup
from tongxin.core.models import OutboxMessage
from tongxin.core.testing import start_worker, two_grids, wait_for, worker_env

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_press_reaches_the_helpers_duty_screen_who_acknowledges(checked_page):
    world = two_grids(households_per_entrance=1)
    s = care_setup(world)
    page = checked_page.page

    checked_page.log_in("13800000009")  # the paired helper
    checked_page.goto("/alarms/")
    expect(page.get_by_text("当前没有待处理的紧急呼叫。")).to_be_visible()

    button = page.context.new_page()  # the subject's phone, on the big-button page
    button.goto(f"{checked_page.base_url}/alarms/b/{s.token}/")
    button.get_by_role("button", name="一键呼叫").click()
    expect(button.get_by_text("已呼叫，正在通知…")).to_be_visible()
    alarm = Alarm.objects.get()

    # the duty screen refreshes itself: the card comes without a reload
    expect(page.get_by_text("正在呼救")).to_be_visible(timeout=15000)
    expect(page.get_by_text("1栋 1单元")).to_be_visible()
    checked_page.check()
    page.get_by_role("button", name="我来处理").click()
    checked_page.check()
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"#{alarm.pk}")
    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("发起呼叫")
    expect(timeline).to_contain_text("已发通知")
    expect(timeline).to_contain_text("已响应 · 帮扶人老张")
    expect(timeline.locator("time").first).to_have_text(alarm.raised_at.astimezone().strftime("%H:%M:%S"))
    alarm.refresh_from_db()
    assert alarm.state == AlarmState.ACKNOWLEDGED and alarm.acknowledged_by == s.helper

    expect(button.get_by_text("帮扶人老张 已响应，正在赶来")).to_be_visible(timeout=15000)  # polled too
    button.close()


@pytest.mark.postgres
@pytest.mark.multiprocess
def test_nobody_answers_and_a_real_worker_escalates_to_the_duty_list(checked_page, settings, tmp_path):
    settings.TONGXIN_ALARMS_ACK_SECONDS = 4
    world = two_grids(households_per_entrance=1)
    s = care_setup(world, gateway_url="")
    page = checked_page.page
    env = worker_env(TONGXIN_ALARMS_ACK_SECONDS="4")
    worker = start_worker(env, interval=0.2, log=(tmp_path / "worker.log").open("w"))
    try:
        checked_page.goto(f"/alarms/b/{s.token}/")
        page.get_by_role("button", name="一键呼叫").click()
        checked_page.check()
        expect(page.get_by_text("已呼叫，正在通知…")).to_be_visible()
        alarm = Alarm.objects.get()
        assert alarm.level == 0

        page.context.clear_cookies()
        checked_page.log_in("13100000003")  # community staff: the duty list until issue 13's rosters
        checked_page.goto("/alarms/")
        expect(page.get_by_text("第1级")).to_be_visible(timeout=30000)  # escalated by the worker
        alarm.refresh_from_db()
        assert alarm.level == 1
        assert alarm.steps.filter(kind=StepKind.ESCALATED, level=1).exists()
        staff = world.users["staff"]
        assert wait_for(lambda: OutboxMessage.objects.filter(event=f"alarm:{alarm.pk}:L1", user=staff,
                                                             status="delivered").exists(), 30)
        page.get_by_role("button", name="我来处理").click()
        checked_page.check()
        alarm.refresh_from_db()
        reached = alarm.level
        assert alarm.state == AlarmState.ACKNOWLEDGED
        time.sleep(6)  # past the next deadline: acknowledged, it goes no further
        alarm.refresh_from_db()
        assert alarm.level == reached
        expect(page.locator("ol.timeline")).to_contain_text("升级")
    finally:
        worker.kill()
        worker.wait()
