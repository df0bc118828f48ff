"""The back office (Django admin) and the API docs work under the strict CSP."""

import pytest
from playwright.sync_api import expect

from tongxin.core.testing import PASSWORD, two_grids

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def admin_user(django_user_model):
    two_grids()
    return django_user_model.objects.create_superuser(phone="13000000009", password=PASSWORD, name="管理员")


def admin_log_in(checked_page):
    checked_page.goto("/admin/login/")
    page = checked_page.page
    page.locator("#id_username").fill("13000000009")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("input[type=submit]").click()
    expect(page.locator("#site-name")).to_be_visible()
    checked_page.check()
    return page


def test_admin_logs_in_and_lists_places(checked_page, admin_user):
    page = admin_log_in(checked_page)
    checked_page.goto("/admin/core/place/")
    expect(page.get_by_role("link", name="测试社区")).to_be_visible()
    checked_page.goto("/admin/core/person/")
    assert "1370000" not in page.content()  # phones are masked in the list


def test_api_docs_render_without_a_cdn(checked_page, admin_user):
    checked_page.log_in("13000000009")
    page = checked_page.page
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    checked_page.goto("/api/docs/", axe=False)  # Swagger UI's own markup fails nested-interactive
    expect(page.get_by_text("/api/v1/places/").first).to_be_visible()
    assert all(url.startswith(checked_page.base_url) for url in requests), requests
    assert not checked_page.errors


def test_admin_adds_a_building_numbered_by_the_tree(checked_page, admin_user):
    from tongxin.core.models import Place

    page = admin_log_in(checked_page)
    compound = Place.objects.get(code="t-compound")
    checked_page.goto("/admin/core/place/add/")
    page.locator("#id_parent").fill(str(compound.pk))
    page.locator("#id_kind").select_option("building")
    page.locator("#id_code").fill("t-b3")
    page.locator("#id_name").fill("3栋")
    page.locator("input[name=_save]").click()
    expect(page.locator(".messagelist")).to_be_visible()
    building = Place.objects.get(code="t-b3")
    assert building.parent == compound and building.path.startswith(compound.path) and building.depth == 5
