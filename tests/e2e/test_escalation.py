"""An overdue demand escalates on its own: a real worker process runs the task queued at the
deadline; the test only reports, waits and looks (PostgreSQL leg: the worker needs a server)."""

import datetime

import pytest
from playwright.sync_api import expect

from tongxin.core import holidays
from tongxin.core.models import CalendarDay, OutboxMessage
from tongxin.core.testing import start_worker, two_grids, worker_env
from tongxin.demands import services
from tongxin.demands.catalogue import ensure_seeded
from tongxin.demands.models import Category, Demand

pytestmark = [pytest.mark.e2e, pytest.mark.postgres, pytest.mark.multiprocess,
              pytest.mark.django_db(transaction=True)]


def test_a_demand_nobody_takes_up_climbs_to_the_community_by_itself(checked_page, tmp_path):
    world = two_grids(households_per_entrance=1)
    ensure_seeded()  # the catalogues and the calendar come with migrations; transactional tests flush them
    holidays.seed(CalendarDay)
    Category.objects.filter(code="lighting").update(response_time=datetime.timedelta(seconds=4))
    token = services.qr_for(world.places["b1u1"]).token
    worker = start_worker(worker_env(), interval=0.2, log=(tmp_path / "worker.log").open("w"))
    page = checked_page.page
    try:
        checked_page.goto(f"/q/{token}/")
        page.get_by_label("亮化").check()
        page.get_by_label("具体情况").fill("2楼楼道灯不亮，晚上很黑")
        page.get_by_role("button", name="提交").click()
        expect(page.get_by_role("heading", level=1)).to_contain_text("已收到")
        demand = Demand.objects.get()

        # The community's staff watch their workbench; nobody at the grid takes the demand up.
        checked_page.log_in("13100000003")
        checked_page.goto(f"/demands/{demand.pk}/")
        expect(page.locator("time.countdown")).to_be_visible()
        checked_page.check()
        for _ in range(60):  # the page as staff would refresh it, for up to 30 s
            page.wait_for_timeout(500)
            page.reload()
            if page.get_by_text("已上报", exact=True).count():
                break
        expect(page.get_by_text("已上报", exact=True)).to_be_visible()
        expect(page.locator(".facts")).to_contain_text("测试社区")  # now with the community
        expect(page.get_by_text("超过响应时限，自动上报上一级", exact=False)).to_be_visible()
        checked_page.check()
        # and they were told, and may take it up from here
        assert OutboxMessage.objects.filter(kind="demand_escalated", user=world.users["staff"]).exists()
        page.get_by_label("操作").select_option(label="受理")
        page.get_by_role("button", name="保存").click()
        expect(page.get_by_role("status")).to_contain_text("已完成")
        demand.refresh_from_db()
        assert demand.state == "accepted" and demand.level == world.places["community"]
    finally:
        worker.terminate()
        worker.wait(10)
