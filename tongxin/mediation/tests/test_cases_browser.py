"""A case file in a real browser (360 px, axe clean): community staff register a dispute
between a resident and a typed-in party, accept it, record a session and a written
agreement, and print the agreement as a PDF in Chinese."""

import io

import pytest
from playwright.sync_api import expect

from tongxin.core.models import Person
from tongxin.core.testing import two_grids
from tongxin.mediation.models import Case

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_staff_open_a_case_record_a_session_and_an_agreement_and_print_it(checked_page):
    from pypdf import PdfReader

    world = two_grids()
    resident = Person.objects.filter(household__place=world.places["b1u1"]).order_by("pk")[0]
    page = checked_page.page
    checked_page.log_in("13100000003")  # community staff
    checked_page.goto("/mediation/cases/new/")
    page.get_by_label("按姓名查找当事人（登记居民）").fill(resident.name)
    page.get_by_role("button", name="查找").click()
    checked_page.check()
    page.get_by_role("link", name=f"列为当事人: {resident.name}").click()
    checked_page.check()
    page.get_by_label("纠纷简述").fill("楼上漏水纠纷")
    page.get_by_label("地点").select_option(label="1栋")
    page.get_by_label("纠纷类型").select_option("neighbours")
    page.get_by_label("申请人").fill(resident.name)
    page.get_by_label("当事人姓名 1").fill("租客小王")
    page.get_by_label("手机号 1").fill("13955556666")
    page.get_by_role("button", name="登记", exact=True).click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("纠纷已登记")
    expect(page.get_by_text("139****6666")).to_be_visible()

    page.get_by_role("button", name="受理", exact=True).click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("已受理")
    page.get_by_label("参加人员").fill("双方当事人、调解员")
    page.get_by_label("调解情况").fill("双方陈述；楼上同意维修防水层")
    page.get_by_role("button", name="保存调解记录").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("调解记录已保存")
    page.get_by_label("协议形式").select_option("written")
    page.get_by_label("纠纷事实、争议事项及各方责任").fill("楼上防水层老化导致漏水")
    page.get_by_label("协议内容").fill("楼上于两周内维修防水层并赔偿八百元")
    page.get_by_role("button", name="保存调解协议").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("调解协议已保存")
    case = Case.objects.get(title="楼上漏水纠纷")
    assert case.state == "agreed" and case.sessions.count() == 1

    link = page.get_by_role("link", name="打印调解协议书（PDF）")
    response = page.request.get(checked_page.base_url + link.get_attribute("href"))
    assert response.ok and response.headers["content-type"] == "application/pdf"
    text = PdfReader(io.BytesIO(response.body())).pages[0].extract_text().replace(" ", "")
    assert "人民调解协议书" in text and "楼上于两周内维修防水层并赔偿八百元" in text
