import datetime

import pytest
from django.db.models import Q

from tongxin.core import counts
from tongxin.core.models import Consent, Household, HouseholdMember, Person, PersonTag, Place
from tongxin.core.privacy import id_number_hash
from tongxin.core.validators import id_check_digit
from tongxin.registers.importer import import_registers
from tongxin.registers.tests.sheets import household, resident, workbook
from tongxin.registers.workbook import write_registers

pytestmark = pytest.mark.django_db


def an_id(birth: str, serial: int, odd: bool = False) -> str:
    """A valid resident ID: area 420106, birth date, a serial whose last digit sets the gender."""
    first17 = f"420106{birth}{serial:02d}{1 if odd else 2}"
    return first17 + id_check_digit(first17)


def snapshot() -> dict:
    """Everything an import could change, as comparable values."""
    return {
        "places": sorted(Place.objects.values_list("code", "parent_id", "kind", "name", "address")),
        "households": sorted(Household.objects.values_list("place_id", "unit_number", "floor_area", "tenure")),
        "people": sorted(Person.objects.values_list(
            "id", "name", "phone", "id_number_hash", "birth_date", "gender", "household_id", "home_path"
        )),
        "members": sorted(HouseholdMember.objects.values_list(
            "household_id", "person_id", "relation", "lives_here", "is_head", "valid_from", "valid_to"
        )),
        "tags": sorted(PersonTag.objects.values_list("person_id", "tag")),
        "consents": sorted(Consent.objects.values_list("person_id", "tag", "given_by", "withdrawn_on")),
    }


NEW_BUILDING = [
    {"地点编码": "t-b3", "上级编码": "t-compound", "类型": "楼栋", "名称": "3栋"},
    {"地点编码": "t-b3-u1", "上级编码": "t-b3", "类型": "单元", "名称": "1单元"},
]


def new_building_file(**changes) -> bytes:
    residents = [
        resident("t-b3-u1", "101", "王秀英", 户主="是", 手机号="13800001234", 身份证号=an_id("19500308", 12),
                 群体="党员、独居老人", 同意人="王秀英", 入住日期="2010-05-01"),
        resident("t-b3-u1", "102", "李强", 在此居住="否", 户主="否", 身份证号=an_id("19700101", 33, odd=True)),
        resident("t-b3-u1", "102", "赵小飞", "租户", 入住日期="2025-03-01", 群体="流动人口"),
        resident("t-b3-u1", "102", "钱大", "租户", 入住日期="2024-01-01", 迁出日期="2025-02-01"),
    ]
    households = [
        household("t-b3-u1", "101", 建筑面积="89.5"),
        household("t-b3-u1", "102", 居住状态="出租"),
    ]
    return workbook(places=changes.get("places", NEW_BUILDING), households=households,
                    residents=changes.get("residents", residents))


def test_a_new_building_with_owners_and_a_rental_imports_and_the_counters_follow(world):
    outcome = import_registers(world.users["staff"], new_building_file())
    assert outcome.ok, [str(p) for p in outcome.problems]
    assert outcome.created == {"places": 2, "households": 2, "people": 4, "moves_in": 3, "moves_out": 1,
                               "tags": 3, "consents": 1}
    wang = Person.objects.get(name="王秀英")
    assert wang.household.unit_number == "101" and wang.birth_date == datetime.date(1950, 3, 8)
    assert wang.gender == "female" and wang.id_number_hash == id_number_hash(an_id("19500308", 12))
    assert Consent.objects.get(person=wang, tag="elderly_alone").given_by == "王秀英"
    landlord = Person.objects.get(name="李强")
    assert landlord.household is None and landlord.gender == "male"  # an owner who lets the flat lives elsewhere
    former = HouseholdMember.objects.get(person__name="钱大")
    assert (former.valid_from, former.valid_to) == (datetime.date(2024, 1, 1), datetime.date(2025, 2, 1))
    assert Household.objects.get(unit_number="102", place__code="t-b3-u1").tenure == "rented"
    assert counts.differences() == []
    assert counts.subtree_metrics(world.places["compound"])["rented"] == 1


def test_importing_the_same_file_twice_changes_nothing_the_second_time(world):
    content = new_building_file()
    assert import_registers(world.users["staff"], content).ok
    before = snapshot()
    again = import_registers(world.users["staff"], content)
    assert again.ok and not again.created and not again.updated
    assert again.unchanged_rows == 2 + 2 + 4
    assert snapshot() == before and counts.differences() == []


def test_an_export_imports_back_as_no_change(world):
    content = write_registers(world.users["staff"], world.places["community"])[1]
    before = snapshot()
    outcome = import_registers(world.users["staff"], content)
    assert outcome.ok, [str(p) for p in outcome.problems[:5]]
    assert not outcome.created and not outcome.updated
    assert snapshot() == before


def test_a_masked_export_imports_back_without_blanking_numbers(world):
    content = write_registers(world.users["leader"], world.places["b1"])[1]  # phones and IDs masked
    before = snapshot()
    outcome = import_registers(world.users["staff"], content)
    assert outcome.ok, [str(p) for p in outcome.problems[:5]]
    assert snapshot() == before


def test_a_bad_file_reports_every_bad_row_and_imports_nothing(world):
    before = snapshot()
    residents = [
        resident("t-b3-u1", "101", "王秀英", 身份证号="420106195003081213"),  # check digit wrong
        resident("t-b3-u1", "101", "", 手机号="1380000"),  # no name, short phone
        resident("t-b3-u1", "101", "张三", "邻居"),  # no such relation
        resident("t-b3-u1", "999", "李四"),  # household not in the file or the registers
        resident("t-b3-u1", "101", "周五", 出生日期="2030-01-01"),  # in the future
        resident("t-b3-u1", "101", "吴六", 群体="独居老人"),  # consent missing
        resident("nowhere", "1", "郑七"),
        resident("t-b3-u1", "101", "孙八", 群体="留守儿童", 同意人="孙父", 出生日期="2018-06-01"),  # guardian?
        resident("t-b3-u1", "101", "冯九", 身份证号=420106195003081234),  # stored as a number
        resident("t-b3-u1", "101", "陈十", 入住日期="2020-13-45"),
    ]
    content = new_building_file(residents=[resident("t-b3-u1", "101", "好人"), *residents])
    outcome = import_registers(world.users["staff"], content)
    where = {(p.sheet, p.row, p.column) for p in outcome.problems}
    assert where == {
        ("居民", 3, "身份证号"), ("居民", 4, "姓名"), ("居民", 4, "手机号"), ("居民", 5, "关系"), ("居民", 6, "门牌号"),
        ("居民", 7, "出生日期"), ("居民", 8, "同意人"), ("居民", 9, "地点编码"), ("居民", 10, "监护人同意"),
        ("居民", 11, "身份证号"), ("居民", 12, "入住日期"),
    }
    by_row = {p.row: p for p in outcome.problems}
    assert "校验" in by_row[3].zh or "最后一位" in by_row[3].zh
    assert "文本" in by_row[11].zh and "text" in by_row[11].en
    assert "同意" in by_row[8].zh
    assert not outcome.applied and snapshot() == before


def test_rows_outside_the_importers_places_are_refused(world):
    before = snapshot()
    content = workbook(
        households=[household("t-b1-u1", "901"), household("t-b2-u1", "901")],
        residents=[resident("t-b2-u1", "101", "换人")],
    )
    outcome = import_registers(world.users["worker_a"], content)
    assert {(p.sheet, p.row) for p in outcome.problems} == {("住户", 3), ("居民", 2)}
    assert all("范围" in p.zh for p in outcome.problems)
    assert snapshot() == before
    assert import_registers(world.users["worker_a"], new_building_file()).problems  # not their compound


def test_a_person_matched_by_id_moves_in_and_leaves_their_old_home(world):
    mover = world.people["staff"]  # any registered person: give them an ID and a home first
    Person.objects.filter(pk=mover.pk).update(id_number_hash=id_number_hash(an_id("19800101", 44)))
    old = Household.objects.get(place=world.places["b1u1"], unit_number="101")
    from tongxin.core.services.people import join_household

    join_household(mover, old, relation="family", on=datetime.date(2020, 1, 1))
    content = new_building_file(residents=[
        resident("t-b3-u1", "101", mover.name, "家庭成员", 身份证号=an_id("19800101", 44), 入住日期="2026-11-01"),
    ])
    assert import_registers(world.users["staff"], content).ok
    mover.refresh_from_db()
    assert mover.household.place.code == "t-b3-u1"
    left = HouseholdMember.objects.get(person=mover, household=old)
    assert left.valid_to == datetime.date(2026, 11, 1)
    assert counts.differences() == []


def test_a_move_out_date_closes_the_membership_and_the_person_has_no_home(world):
    assert import_registers(world.users["staff"], new_building_file()).ok
    tenant = Person.objects.get(name="赵小飞")
    content = new_building_file(residents=[
        resident("t-b3-u1", "102", "赵小飞", "租户", 入住日期="2025-03-01", 迁出日期="2026-10-31"),
    ])
    outcome = import_registers(world.users["staff"], content)
    assert outcome.ok and outcome.updated["moves_out"] == 1
    tenant.refresh_from_db()
    assert tenant.household is None and tenant.home_path == ""
    assert HouseholdMember.objects.get(person=tenant).valid_to == datetime.date(2026, 10, 31)
    assert counts.differences() == []


def test_a_check_reports_what_would_change_and_writes_nothing(world):
    before = snapshot()
    outcome = import_registers(world.users["staff"], new_building_file(), dry_run=True)
    assert outcome.ok and outcome.created["households"] == 2 and not outcome.applied
    assert snapshot() == before
    assert "新增住户 2" in outcome.summary_zh()


def test_the_same_form_submitted_twice_imports_once(world):
    assert import_registers(world.users["staff"], new_building_file(), key="k1").applied
    twice = import_registers(world.users["staff"], new_building_file(), key="k1")
    assert not twice.ok and "已经提交" in twice.problems[0].zh


def test_files_that_are_not_xlsx_get_a_plain_answer(world):
    old_excel = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600
    assert ".xlsx" in import_registers(world.users["staff"], old_excel).problems[0].zh
    assert "不是 Excel" in import_registers(world.users["staff"], b"name,phone\n").problems[0].zh
    assert "损坏" in import_registers(world.users["staff"], b"PK\x03\x04broken").problems[0].zh
    assert "没有可导入" in import_registers(world.users["staff"], workbook()).problems[0].zh


def test_a_title_row_above_the_header_and_extra_columns_are_fine(world):
    rows = [{**household("t-b1-u1", "777"), "备注": "新登记"}]
    content = workbook(households=rows, title_rows=2)
    outcome = import_registers(world.users["staff"], content)
    assert outcome.ok and outcome.created["households"] == 1
    assert Household.objects.filter(Q(unit_number="777"), place=world.places["b1u1"]).exists()


def test_blank_cells_keep_what_is_registered(world):
    staff = world.users["staff"]
    assert import_registers(staff, workbook(households=[household("t-b1-u1", "101", 居住状态="出租")])).ok
    before = snapshot()
    head = HouseholdMember.objects.get(household__place=world.places["b1u1"], household__unit_number="101")
    assert head.is_head
    content = workbook(
        households=[household("t-b1-u1", "101")],
        residents=[resident("t-b1-u1", "101", head.person.name)],  # 户主, 在此居住, 手机号 … left blank
    )
    outcome = import_registers(staff, content)
    assert outcome.ok and not outcome.updated and snapshot() == before
