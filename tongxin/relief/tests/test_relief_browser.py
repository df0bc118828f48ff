"""A hand-over in a real browser (360 px, axe-checked, strict CSP): a grid worker opens the
list, the recipient signs with a finger on the canvas, the signature is saved as a PNG; then
the published list shows the unit and a masked name only."""

import pytest
from playwright.sync_api import expect

from tongxin.core.testing import two_grids
from tongxin.relief import services
from tongxin.relief.models import HandOver

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_recipient_signs_on_the_phone_and_the_public_list_masks_the_name(checked_page):
    world = two_grids()
    staff = world.users["staff"]
    found = services.create(staff, world.places["community"], title="冬季御寒物资", rule_tags=["elderly_alone"])
    services.add_item(staff, found, name="棉被", unit="床", stock=10)
    services.open_distribution(staff, found)
    page = checked_page.page

    checked_page.log_in("13100000001")  # grid A's worker
    checked_page.goto(f"/relief/{found.pk}/list/")
    expect(page.get_by_text("2栋")).to_have_count(0)
    page.get_by_role("link", name="发放", exact=True).first.click()
    checked_page.check()
    pad = page.locator("canvas.signature-pad")
    pad.scroll_into_view_if_needed()  # below the fold on a 360 px phone
    box = pad.bounding_box()
    page.mouse.move(box["x"] + 20, box["y"] + 80)
    page.mouse.down()
    for step in range(1, 12):
        page.mouse.move(box["x"] + 20 + step * 20, box["y"] + 80 + (15 if step % 2 else -15))
    page.mouse.up()
    page.get_by_role("button", name="已签名，发放").click()
    checked_page.check()
    expect(page.get_by_role("status")).to_contain_text("已发放")
    done = HandOver.objects.get()
    assert done.method == "signature" and done.signature.startswith("data:image/png;base64,")
    assert len(done.signature) > 200  # something was drawn

    services.publish(staff, found)
    found.refresh_from_db()
    page.context.clear_cookies()
    checked_page.goto(f"/relief/public/{found.public_token}/")
    expect(page.locator("#served")).to_contain_text("1")
    expect(page.get_by_text("居民2")).to_have_count(0)
    expect(page.get_by_text("201 居*")).to_be_visible()
