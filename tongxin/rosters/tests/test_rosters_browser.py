"""Duty and patrols in a real browser (360 px, axe-checked): staff print a route's QR codes,
a walker opens a checkpoint's code on the phone and checks in, logs an incident and finishes
the round; a grid worker signs up for a shift and offers it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from tongxin.core.testing import two_grids
from tongxin.rosters import services
from tongxin.rosters.models import CheckIn, Round, ShiftAssignment

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_walker_scans_checks_in_and_finishes_and_a_worker_offers_a_shift(checked_page):
    world = two_grids()
    staff = world.users["staff"]
    route = services.create_route(staff, world.places["compound"], name="夜间主干道巡逻")
    first = services.add_checkpoint(staff, route, name="东大门岗亭")
    services.add_checkpoint(staff, route, name="地下车库入口")
    roster = services.create_roster(staff, world.places["community"], name="社区值班室")
    shift = services.add_shift(staff, roster, date=timezone.localdate() + datetime.timedelta(days=1),
                               start=datetime.time(8, 30), end=datetime.time(17, 30))
    page = checked_page.page

    checked_page.log_in("13100000003")
    checked_page.goto(f"/rosters/routes/{route.pk}/qr/")
    expect(page.locator("#sheet figure")).to_have_count(2)
    page.context.clear_cookies()

    checked_page.log_in("13100000001")  # the grid worker, walking
    checked_page.goto(f"/rosters/p/{first.token}/")
    page.get_by_role("button", name="在此打卡").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("已在东大门岗亭打卡")
    expect(page.locator("#points")).to_contain_text("未打卡")
    page.get_by_label("发现了什么情况？").fill("路灯不亮")
    page.get_by_role("button", name="记录", exact=True).click()
    checked_page.check()
    expect(page.locator("#incidents")).to_contain_text("路灯不亮")
    page.get_by_role("button", name="结束本轮巡逻").click()
    checked_page.check()
    patrol = Round.objects.get()
    assert patrol.finished_at is not None and CheckIn.objects.filter(round=patrol).count() == 1

    checked_page.goto(f"/rosters/{roster.pk}/?week={timezone.localdate(shift.starts_at).isoformat()}")
    page.get_by_role("button", name="报名", exact=True).click()
    checked_page.check()
    page.get_by_role("button", name="让出我的班次").click()
    checked_page.check()
    expect(page.locator("#shifts")).to_contain_text("待接班")
    assert ShiftAssignment.objects.get(shift=shift).offered
