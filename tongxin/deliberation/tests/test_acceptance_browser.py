"""Issue 11's acceptance, in a real browser (360 px, axe-checked): a resident raises a matter at
the door; staff review it and put it to the owners' vote (Civil Code art. 278 item 7,
renovation: 3/4); the owners vote from their personal links with the SMS code; staff close
the vote; the result with its arithmetic is on the notice board, and the matter is decided."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tongxin.core.models import OutboxMessage, WebhookSubscriber
from tongxin.core.testing import two_grids
from tongxin.deliberation.models import Consultation
from tongxin.deliberation.tests.support import resident_login
from tongxin.demands.services import qr_for
from tongxin.voting.testing import seed_compound

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_matter_raised_at_the_door_is_decided_by_the_owners_vote_and_published(checked_page, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = two_grids()
    seed_compound(world)  # building 1: six owners of 80.50㎡
    WebhookSubscriber.objects.create(name="短信网关", url="https://sms.invalid/hook", secret="s", kinds=["voting_code"])
    resident_login(world, phone="13800001111")
    door = reverse("qr-page", args=[qr_for(world.places["b1u1"]).token])
    page = checked_page.page

    # 提议: a resident, from the door's QR code
    checked_page.log_in("13800001111", password="test-pass-2026")
    checked_page.goto(door)
    page.get_by_role("link", name="提出议事议题").click()
    checked_page.check()
    page.get_by_label("地点").select_option(label="楼栋 · 1栋")
    page.get_by_label("标题").fill("1栋外墙翻新")
    page.get_by_label("需要商议决定什么，为什么").fill("外墙瓷砖脱落砸坏电动车，是否整体翻新？")
    page.get_by_role("button", name="提交议题").click()
    checked_page.check()
    consultation = Consultation.objects.get()

    # 审议, then to the owners: a renovation is theirs to decide (art. 278 item 7)
    page.context.clear_cookies()
    checked_page.log_in("13100000001")  # grid A's worker
    checked_page.goto(reverse("deliberation-consultation", kwargs={"pk": consultation.pk}))
    page.get_by_role("button", name="受理，进入合议").click()
    checked_page.check()
    page.get_by_label("民法典第二百七十八条事项").select_option("7")
    page.get_by_role("button", name="开始业主表决").click()
    checked_page.check()
    expect(page.locator("main")).to_contain_text("业主表决中")
    decision = Consultation.objects.get().owners_vote
    voters = list(decision.voters.order_by("id"))
    assert len(voters) == 6

    # five of six owners vote, from their own links, each confirming with the code by SMS
    page.context.clear_cookies()
    for voter, choice in zip(voters[:5], ("同意", "同意", "同意", "同意", "不同意"), strict=True):
        checked_page.goto(reverse("voting-ballot", args=[voter.token]))
        page.get_by_role("button", name="给我发验证码").click()
        checked_page.check()
        code = OutboxMessage.objects.filter(kind="voting_code").order_by("-id").first().payload["code"]
        page.get_by_label(choice, exact=True).check()
        page.get_by_label("手机收到的验证码").fill(code)
        page.get_by_role("button", name="投出我的一票").click()
        checked_page.check()
        expect(page.get_by_text("谢谢，您的选票已收到。")).to_be_visible()

    # staff close it once everyone has had their say (the sixth owner gives a paper ballot)
    checked_page.log_in("13100000001")
    checked_page.goto(reverse("voting-paper", args=[decision.pk]))
    page.get_by_label("业主").select_option(value=str(voters[5].pk))
    page.get_by_label("同意", exact=True).check()
    page.get_by_label("签名选票的扫描件或照片").set_input_files(
        [{"name": "ballot.png", "mimeType": "image/png", "buffer": b"\x89PNG\r\n\x1a\n" + b"\x00" * 64}])
    page.get_by_role("button", name="录入选票").click()
    checked_page.check()
    expect(page.get_by_text("纸质选票已录入")).to_be_visible()
    checked_page.goto(decision.get_absolute_url())
    page.get_by_role("button", name="结束表决并公布结果").click()
    checked_page.check()

    # The matter is decided by the vote …
    checked_page.goto(reverse("deliberation-consultation", kwargs={"pk": consultation.pk}))
    expect(page.locator("main")).to_contain_text("业主表决通过")

    # … and anyone at the door sees the result with its arithmetic on the notice board.
    page.context.clear_cookies()
    checked_page.goto(door)
    notice = page.locator("ul.notices li").filter(has_text="业主表决结果：1栋外墙翻新（通过）")
    expect(notice).to_contain_text("参与表决的专有部分面积 483.00㎡")
    expect(notice).to_contain_text("四分之三")
    notice.get_by_role("link", name="查看全文").click()
    expect(page).to_have_url(re.compile(reverse("voting-result", args=[decision.pk])))
    checked_page.check()
    expect(page.get_by_text("表决通过：每一项条件都已达到。")).to_be_visible()
