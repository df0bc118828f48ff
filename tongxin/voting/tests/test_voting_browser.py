"""An owners' decision in a real browser (360 px, axe-checked): staff create and open it, four
owners vote by their personal links with the SMS code, two paper ballots are entered with a
scan, staff close it, and the result with its arithmetic is on the notice board and public."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tongxin.core.models import OutboxMessage, WebhookSubscriber
from tongxin.core.testing import two_grids
from tongxin.voting.models import Ballot, Decision
from tongxin.voting.testing import seed_compound

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def test_owners_decide_and_the_result_with_its_arithmetic_reaches_the_notice_board(checked_page, settings,
                                                                                    tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = two_grids()
    seed_compound(world)
    WebhookSubscriber.objects.create(name="sms", url="https://sms.invalid/hook", secret="s", kinds=["voting_code"])
    page = checked_page.page

    checked_page.log_in("13100000001")  # grid A's worker
    checked_page.goto("/voting/new/")
    page.get_by_label("小区或楼栋").select_option(value=str(world.places["b1"].pk))
    page.get_by_label("标题").fill("续聘物业服务企业")
    page.get_by_label("民法典第二百七十八条事项").select_option("4")
    page.get_by_role("button", name="保存为草稿").click()
    checked_page.check()
    page.get_by_role("button", name="开始表决（冻结业主名单）").click()
    checked_page.check()
    expect(page.get_by_text("表决已开始，业主名单已冻结。")).to_be_visible()
    decision = Decision.objects.get(title="续聘物业服务企业")
    voters = list(decision.voters.order_by("id"))
    assert len(voters) == 6

    page.context.clear_cookies()
    for voter, choice in zip(voters[:4], ("同意", "同意", "同意", "同意"), strict=True):
        checked_page.goto(reverse("voting-ballot", args=[voter.token]))
        page.get_by_role("button", name="给我发验证码").click()
        checked_page.check()
        code = OutboxMessage.objects.filter(kind="voting_code").order_by("-id").first().payload["code"]
        page.get_by_label(choice, exact=True).check()
        page.get_by_label("手机收到的验证码").fill(code)
        page.get_by_role("button", name="投出我的一票").click()
        checked_page.check()
        expect(page.get_by_text("谢谢，您的选票已收到。")).to_be_visible()
    receipt = Ballot.objects.get(voter=voters[0]).receipt

    checked_page.log_in("13100000001")
    for voter, choice in zip(voters[4:], ("不同意", "弃权"), strict=True):
        checked_page.goto(reverse("voting-paper", args=[decision.pk]))
        page.get_by_label("业主").select_option(value=str(voter.pk))
        page.get_by_label(choice, exact=True).check()
        page.get_by_label("签名选票的扫描件或照片").set_input_files(
            [{"name": "ballot.png", "mimeType": "image/png", "buffer": PNG}])
        page.get_by_role("button", name="录入选票").click()
        checked_page.check()
        expect(page.get_by_text("纸质选票已录入")).to_be_visible()
    checked_page.goto(decision.get_absolute_url())
    expect(page.get_by_text("6 / 6 (100.0%)")).to_be_visible()
    page.get_by_role("button", name="结束表决并公布结果").click()
    checked_page.check()
    expect(page.get_by_text("表决已结束，结果已公布。")).to_be_visible()

    # On the notice board of the building: the verdict and each threshold in words.
    checked_page.goto(reverse("place-detail", args=[world.places["b1"].code]))
    notice = page.locator("ul.notices li").filter(has_text="业主表决结果：续聘物业服务企业（通过）")
    expect(notice).to_contain_text("参与表决的专有部分面积 483.00㎡")
    expect(notice).to_contain_text("同意的业主人数 4人，占参与表决人数 6人 的 66.6%，达到过半数")

    page.context.clear_cookies()
    checked_page.goto(reverse("voting-result", args=[decision.pk]))
    expect(page.get_by_text("表决通过：每一项条件都已达到。")).to_be_visible()
    expect(page.locator("table.checks")).to_contain_text("322.00㎡ / 483.00㎡")
    checked_page.goto(reverse("voting-receipt", args=[decision.pk]) + f"?code={receipt}")
    expect(page.get_by_text("您的选票计为")).to_contain_text("同意")
