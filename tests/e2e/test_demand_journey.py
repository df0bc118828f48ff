"""The whole journey of a demand on a 360 px phone: scan → report with a photo → accepted and
dispatched → resolved → checked and closed → the resident reads the feedback and rates it;
and a neighbour's "me too"."""


import pytest
from PIL import Image
from playwright.sync_api import expect

from tongxin.core.testing import two_grids
from tongxin.demands import services
from tongxin.demands.catalogue import ensure_seeded
from tongxin.demands.models import Demand

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def act(page, action: str, note: str = "", handler: str = "") -> None:
    page.get_by_label("操作").select_option(label=action)
    if handler:  # chosen from the list of people with a role there, by name
        value = page.locator("#handler option", has_text=handler).get_attribute("value")
        page.locator("#handler").select_option(value)
    if note:
        page.get_by_label("说明：理由或处理结果").fill(note)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("已完成")


def test_scan_report_dispatch_resolve_close_and_rate(checked_page, tmp_path):
    world = two_grids(households_per_entrance=1)
    ensure_seeded()  # the catalogues come with a migration; transactional tests flush it
    token = services.qr_for(world.places["b1u1"]).token
    neighbour_token = services.qr_for(world.places["b1u2"]).token
    picture = tmp_path / "light.jpg"
    Image.new("RGB", (1200, 900), (40, 40, 40)).save(picture, "JPEG")
    page = checked_page.page

    # A resident scans the code on the door of 1栋1单元 and reports, with a photo.
    checked_page.goto(f"/q/{token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("1单元")
    page.get_by_label("亮化").check()
    page.get_by_label("具体情况").fill("3楼楼道灯坏了，晚上上下楼看不见")
    page.get_by_label("照片").set_input_files(str(picture))
    page.get_by_label("您的手机号").fill("13812345678")
    page.get_by_role("button", name="提交").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("已收到")
    code = page.locator(".tracking-code").inner_text().strip()
    checked_page.check()
    assert Demand.objects.get(tracking_code=code).photos.count() == 1

    # A neighbour at the other entrance starts typing the same problem and says "me too".
    page.context.clear_cookies()
    checked_page.goto(f"/q/{neighbour_token}/")
    page.get_by_label("具体情况").fill("楼道灯坏了，很黑")
    expect(page.get_by_role("button", name="我也遇到")).to_be_visible()
    checked_page.check()
    page.get_by_role("button", name="我也遇到").click()
    expect(page.get_by_role("status")).to_contain_text("已有 2 位居民遇到这个问题")
    checked_page.check()

    # The grid worker accepts it and dispatches it to the building chief.
    checked_page.log_in("13100000001")
    checked_page.goto("/demands/")
    page.get_by_role("link", name="亮化 · 1单元").click()
    checked_page.check()
    expect(page.get_by_role("img", name="照片 1")).to_be_visible()
    act(page, "受理")
    act(page, "派遣", handler="chief_b1")

    # The building chief fixes it and reports back.
    page.context.clear_cookies()
    checked_page.log_in("13100000005")
    checked_page.goto("/demands/?show=mine")
    page.get_by_role("link", name="亮化 · 1单元").click()
    act(page, "反馈处理结果", note="已更换3楼楼道灯泡")
    checked_page.check()

    # The grid worker checks it and closes it with feedback.
    page.context.clear_cookies()
    checked_page.log_in("13100000001")
    checked_page.goto(f"/demands/{Demand.objects.get(tracking_code=code).pk}/")
    act(page, "核实结果")
    act(page, "办结并反馈", note="灯已修好，感谢您的反映")

    # The resident follows it with the code, confirms the phone, reads the feedback and rates it.
    page.context.clear_cookies()
    checked_page.goto(f"/t/{code}/")
    expect(page.get_by_text("已办结")).to_be_visible()
    page.get_by_label("您的手机号").fill("13812345678")
    page.get_by_role("button", name="确认").click()
    expect(page.get_by_text("灯已修好，感谢您的反映")).to_be_visible()
    checked_page.check()
    page.get_by_label("满意", exact=True).check()
    page.get_by_role("button", name="提交评价").click()
    expect(page.get_by_role("status")).to_contain_text("感谢您的评价")
    checked_page.check()
    demand = Demand.objects.get(tracking_code=code)
    assert demand.state == "closed" and demand.rating == 4 and services.affected(demand) == 2
