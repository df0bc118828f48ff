"""The finance demo: loads on the registers' demo, twice without duplicates; the committee's
last full quarter is approved and published (on the notice board), one entry awaits approval,
and the demo's community staff see the books."""

import pytest
from django.test import Client
from django.utils import timezone

from tongxin.core.models import PlaceNotice, User
from tongxin.core.testing import demo_loaded_twice
from tongxin.finance import demo as finance_demo
from tongxin.finance.models import Account, Entry, Statement

pytestmark = pytest.mark.django_db
TABLES = (Account, Entry, Statement, PlaceNotice)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    from tongxin.registers.demo import load as load_registers

    with demo_loaded_twice(django_db_blocker, [load_registers], finance_demo.load, TABLES) as loaded:
        yield loaded


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert demo["out"].count("  finance:") == 2


def test_the_demo_has_what_the_brief_lists(demo):
    year, quarter = finance_demo.last_quarter(timezone.localdate())
    committee = Account.objects.get(place__code="jz-dongyuan-ssh", kind="committee")
    fund = Account.objects.get(place__code="jz-dongyuan-ssh", kind="maintenance_fund")
    approved = Entry.objects.filter(approved_by__isnull=False)
    assert approved.count() == 12 and not approved.filter(approved_by=Entry.objects.first().entered_by).exists()
    assert {"停车费", "广告收入", "场地租金", "维修", "保洁", "绿化", "办公"} <= set(
        approved.values_list("category", flat=True))
    assert Entry.objects.filter(approved_by__isnull=True).count() == 1
    statement = Statement.objects.get(account=committee, published_at__isnull=False)
    assert (statement.year, statement.quarter, len(statement.lines)) == (year, quarter, 10)
    assert statement.closing_fen == statement.opening_fen + statement.income_fen - statement.spending_fen
    assert PlaceNotice.objects.filter(link=f"/finance/statements/{statement.pk}/").count() == 1
    assert fund.entries.count() == 2


def test_the_demo_staff_see_the_books(demo):
    staff = User.objects.get(phone="13900000003")
    client = Client()
    client.force_login(staff)
    page = client.get("/finance/books/").content.decode()
    assert "沙市花园" in page and "维修资金" in page
    committee = Account.objects.get(place__code="jz-dongyuan-ssh", kind="committee")
    assert "电梯轿厢广告" in client.get(f"/finance/books/{committee.pk}/").content.decode()
    assert client.get(f"/finance/statements/{Statement.objects.get().pk}/").status_code == 200
