import pytest
from playwright.sync_api import expect

from tongxin.core.models import Person
from tongxin.core.testing import two_grids
from tongxin.core.validators import id_check_digit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_grid_worker_registers_a_household_and_a_resident(checked_page):
    two_grids()
    page = checked_page.page
    checked_page.log_in("13100000001")  # grid worker of grid A
    checked_page.goto("/places/t-b1-u1/")
    page.get_by_role("link", name="登记住户").click()
    checked_page.check()
    page.get_by_label("门牌号").fill("1202")
    page.get_by_label("建筑面积（平方米）").fill("76.4")
    page.get_by_label("居住状态").select_option("rented")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("1单元 1202")
    checked_page.check()
    page.get_by_role("link", name="添加人员").click()
    page.get_by_label("姓名").fill("新租户")
    page.get_by_label("关系").select_option("tenant")
    page.get_by_label("身份证号").fill("420102199001011234")
    page.get_by_role("checkbox", name="流动人口").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("alert").first).to_contain_text("身份证号")
    checked_page.errors.clear()  # the 400 answer is logged by the browser
    checked_page.check()
    assert page.get_by_label("姓名").input_value() == "新租户"  # nothing typed is lost
    body = "42010219900101123"
    page.get_by_label("身份证号").fill(body + id_check_digit(body))
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("link", name="新租户")).to_be_visible()
    checked_page.check()
    person = Person.objects.get(name="新租户")
    assert person.household.unit_number == "1202" and person.tags.filter(tag="floating_population").exists()


def test_community_staff_redraw_a_grid(checked_page):
    two_grids()
    page = checked_page.page
    checked_page.log_in("13100000003")
    checked_page.goto("/places/t-grid-b/")
    page.get_by_role("link", name="调整覆盖范围").click()
    checked_page.check()
    page.get_by_role("checkbox", name="1栋（楼栋）").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_role("status")).to_contain_text("覆盖范围已调整")
    checked_page.check()
    expect(page.get_by_role("link", name="1栋")).to_be_visible()


def test_the_rental_register_opens_from_the_place_page(checked_page):
    from tongxin.core.services.people import create_household

    world = two_grids()
    create_household(place=world.places["b1u1"], unit_number="808", tenure="rented")
    page = checked_page.page
    checked_page.log_in("13100000001")
    checked_page.goto("/places/t-b1/")
    page.get_by_role("link", name="出租房屋台账：1 户出租").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("出租房屋台账")
    checked_page.check()
