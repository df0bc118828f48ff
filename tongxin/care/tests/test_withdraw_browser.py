"""Withdrawing a category's consent in a real browser (360 px, axe-checked): the confirmation
step, then the page saying no category is left and offering to leave the register."""

import pytest
from playwright.sync_api import expect

from tongxin.care.services import register as services
from tongxin.core.models import Person, PersonTag
from tongxin.core.testing import two_grids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_withdraw_with_confirmation_then_nothing_left(checked_page):
    world = two_grids(households_per_entrance=2)
    person = Person.objects.filter(household__place=world.places["b1u1"], tags__tag="elderly_alone").get()
    subject = services.register(world.users["worker_a"], person, categories=["elderly_alone"])
    page = checked_page.page
    checked_page.log_in("13100000001")
    checked_page.goto(f"/care/subjects/{subject.pk}/")
    page.get_by_role("link", name="撤回同意").click()
    confirm = page.locator("[data-withdraw-confirm]")
    expect(confirm).to_contain_text("独居老人")
    checked_page.check()
    confirm.get_by_label("原因（可不填）").fill("本人来电撤回")
    confirm.get_by_role("button", name="撤回同意").click()
    expect(page.locator("[data-no-categories]")).to_be_visible()
    expect(page.get_by_text("本人来电撤回")).to_be_visible()
    checked_page.check()
    assert not PersonTag.objects.filter(person=person, tag="elderly_alone").exists()
