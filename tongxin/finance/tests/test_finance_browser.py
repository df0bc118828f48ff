"""Issue 12's acceptance, in a real browser (360 px, axe-checked): community staff enter a
quarter's ledger (an income with a scanned voucher and a spending), a second keeper approves,
the first generates the quarter's draft and publishes it on the notice board; a resident asks
about a line on the public page, the keepers answer, and the resident sees the answer under
the line. (The PDF's Chinese, read back from the rendered page as an image:
``test_statement_pdf.py``.)"""

import datetime

import pytest
from playwright.sync_api import expect

from tongxin.core.models import Person, PlaceNotice
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, login_for, two_grids
from tongxin.finance.models import Entry, Statement
from tongxin.finance.services import ledger

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64


def test_enter_a_quarter_publish_and_answer_a_residents_question(checked_page, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    world = two_grids()
    login_for(world, "staff2", "community_staff", place=world.places["community"], phone="13100000009")
    account = ledger.open_account(world.users["staff"], world.places["compound"], "committee", opening_yuan="1000")
    scan = tmp_path / "scan.jpg"
    scan.write_bytes(JPEG)
    last = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
    quarter = (last.month - 1) // 3 + 1
    page = checked_page.page

    checked_page.log_in("13100000003")  # community staff
    checked_page.goto("/finance/books/")
    page.get_by_role("link", name="业委会账户").click()
    page.get_by_role("link", name="记一笔账").click()
    checked_page.check()
    page.get_by_label("日期").fill(last.isoformat())
    page.get_by_label("收入", exact=True).check()
    page.get_by_label("类别").fill("停车费")
    page.get_by_label("金额（元）").fill("12.345")
    page.get_by_label("说明").fill("地面停车位租金")
    page.get_by_role("button", name="记账").click()
    expect(page.locator("#id_amount_error")).to_have_text("金额最多精确到分")
    # The refused form answers 400, as it should; the browser logs that, and only that.
    checked_page.errors.remove("console error: Failed to load resource: the server responded with a status of "
                               "400 (Bad Request)")
    checked_page.check()
    expect(page.get_by_label("说明")).to_have_value("地面停车位租金")  # nothing typed is lost
    page.get_by_label("金额（元）").fill("1280.50")
    page.get_by_label("凭证（照片或 PDF，不超过 10 MB）").set_input_files(str(scan))
    page.get_by_role("button", name="记账").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("已记账")
    page.get_by_role("link", name="记一笔账").click()
    page.get_by_label("日期").fill(last.isoformat())
    page.get_by_label("支出", exact=True).check()
    page.get_by_label("类别").fill("绿化")
    page.get_by_label("金额（元）").fill("300")
    page.get_by_label("说明").fill("补种冬青")
    page.get_by_role("button", name="记账").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("已记账")
    entry, spending = Entry.objects.order_by("pk")
    page.get_by_role("button", name=f"审批通过第 {entry.pk} 号账目").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("记账人不能审批自己录入的账目")
    page.context.clear_cookies()

    checked_page.log_in("13100000009")  # a second keeper
    checked_page.goto(f"/finance/books/{account.pk}/")
    for approved in (entry, spending):
        page.get_by_role("button", name=f"审批通过第 {approved.pk} 号账目").click()
        checked_page.check()
        expect(page.get_by_role("status")).to_contain_text("这笔账已审批通过")
    page.context.clear_cookies()

    checked_page.log_in("13100000003")
    checked_page.goto(f"/finance/books/{account.pk}/statements/")
    page.get_by_label("年度").fill(str(last.year))
    page.get_by_label("季度").select_option(str(quarter))
    page.get_by_role("button", name="生成草稿").click()
    checked_page.check()
    expect(page.locator("#lines")).to_contain_text("1280.50")
    page.get_by_label("我已核对：公开后不能修改，只能更正").check()
    page.get_by_role("button", name="在公告栏公开").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("已在小区公告栏公开")
    statement = Statement.objects.get()
    assert statement.published_at is not None and (statement.income_fen, statement.spending_fen) == (128050, 30000)
    assert PlaceNotice.objects.filter(link=f"/finance/statements/{statement.pk}/").exists()
    page.get_by_role("link", name="公开页面").click()
    checked_page.check()
    expect(page.get_by_role("table").last).to_contain_text("地面停车位租金")
    page.context.clear_cookies()

    # A resident of the compound asks about the spending line on the public page.
    create_login(Person.objects.get(name="居民1"), phone="18900000001", password=PASSWORD)
    checked_page.log_in("18900000001")
    checked_page.goto(f"/finance/statements/{statement.pk}/")
    line = page.locator(f"#line-{spending.pk} + tr")
    line.get_by_text("对这一笔提问").click()
    line.get_by_label("您的问题").fill("补种冬青花了300元，种了多少棵？")
    line.get_by_role("button", name="提交问题").click()
    checked_page.check()
    expect(page.locator(f"#line-{spending.pk} + tr")).to_contain_text("您的问题正在等待答复")
    page.context.clear_cookies()

    # The keepers answer on their page of questions.
    checked_page.log_in("13100000009")
    checked_page.goto("/finance/questions/")
    page.get_by_label("答复（公开显示在该笔下方）").fill("共补种冬青60棵，每棵5元，发票已存档。")
    page.get_by_role("button", name="公开答复").click()
    checked_page.check()
    page.context.clear_cookies()

    # Anyone, the resident included, sees the answer under the line.
    checked_page.goto(f"/finance/statements/{statement.pk}/")
    answered = page.locator(f"#line-{spending.pk} + tr")
    expect(answered).to_contain_text("种了多少棵")
    expect(answered).to_contain_text("共补种冬青60棵")
    expect(answered).to_contain_text("居**")  # the asker, masked
