"""The staff pages of the books through real HTTP: scope (finance.view at the compound, 404
elsewhere), the entry form's checks (amount, voucher bytes, the fund's decision), approval by
a second person, review, statements generated, published and corrected, the voucher served
only to those who may see it, flat queries, and the dashboard's figure."""

import datetime
import io

import pytest
from django.test import Client

from tongxin.core.models import PlaceNotice
from tongxin.core.services.places import create_place
from tongxin.core.testing import count_queries, login_for, two_grids
from tongxin.finance.models import Entry, Statement
from tongxin.finance.services import ledger
from tongxin.finance.stats import dashboard_stats
from tongxin.voting.models import Decision
from tongxin.voting.services import decisions

pytestmark = pytest.mark.django_db
D = datetime.date
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n" + b"0" * 64


@pytest.fixture
def world():
    world = two_grids()
    p = world.places
    login_for(world, "staff2", "community_staff", place=p["community"], phone="13100000009")
    p["other"] = create_place(parent=p["community"], kind="compound", code="t-other", name="别的小区")
    login_for(world, "other_keeper", "community_staff", place=p["other"], phone="13100000010")
    return world


def client_for(world, key=None):
    client = Client()
    if key:
        client.force_login(world.users[key])
    return client


@pytest.fixture
def books(world):
    staff, compound = world.users["staff"], world.places["compound"]
    return (ledger.open_account(staff, compound, "committee", opening_yuan="1000"),
            ledger.open_account(staff, compound, "maintenance_fund", opening_yuan="50000"))


def enter(world, account, day, direction="income", category="停车费", yuan="10", key="staff", **extra):
    return ledger.enter(world.users[key], account, date=day, direction=direction, category=category,
                        amount_yuan=yuan, description=f"{category}{yuan}", **extra)


def upload(name, content, content_type):
    handle = io.BytesIO(content)
    handle.name = name
    handle.content_type = content_type
    return handle


def form_data(**extra):
    data = {"form_key": extra.pop("form_key", "k-1"), "date": "2026-04-03", "direction": "income",
            "category": "停车费", "amount": "1280.50", "description": "4月停车费"}
    data.update(extra)
    return data


# --- books home --------------------------------------------------------------------------

def test_books_show_balances_of_approved_entries_at_ones_compounds_only(world, books):
    committee, _fund = books
    ledger.approve(world.users["staff2"], enter(world, committee, D(2026, 1, 5), yuan="250.50"))
    enter(world, committee, D(2026, 1, 6), yuan="999")  # not approved: not in the balance
    page = client_for(world, "staff").get("/finance/books/").content.decode()
    assert "1250.50" in page and "50000.00" in page
    assert "开设账户" in page  # a keeper may open an account
    leader = client_for(world, "leader").get("/finance/books/").content.decode()
    assert "1250.50" in leader and "开设账户" not in leader  # finance.view only
    other = client_for(world, "other_keeper").get("/finance/books/").content.decode()
    assert "测试小区" not in other and "1250.50" not in other
    assert client_for(world, "worker_a").get("/finance/books/").status_code == 403
    assert client_for(world).get("/finance/books/").status_code == 302  # to the login


def test_a_keeper_opens_an_account_only_at_their_compounds(world):
    response = client_for(world, "staff").post("/finance/books/", {"place": "t-compound", "kind": "committee",
                                                                   "opening": "320.00"})
    account = world.places["compound"]
    assert response.status_code == 302
    assert Entry.objects.count() == 0
    from tongxin.finance.models import Account
    assert Account.objects.get(place=account).opening_fen == 32000
    client_for(world, "other_keeper").post("/finance/books/", {"place": "t-compound", "kind": "maintenance_fund"})
    assert not Account.objects.filter(kind="maintenance_fund").exists()
    assert client_for(world, "leader").post("/finance/books/", {"place": "t-compound",
                                                                "kind": "maintenance_fund"}).status_code == 403


# --- the ledger --------------------------------------------------------------------------

def test_ledger_newest_first_by_quarter_with_what_each_row_shows(world, books):
    committee, _fund = books
    old = enter(world, committee, D(2026, 1, 5), category="广告收入")
    new = enter(world, committee, D(2026, 4, 7), direction="spending", category="保洁", yuan="80.5")
    ledger.approve(world.users["staff2"], old)
    ledger.review(world.users["staff2"], old, "凭证齐全")
    page = client_for(world, "leader").get(f"/finance/books/{committee.pk}/").content.decode()
    assert page.index(f'id="entry-{new.pk}"') < page.index(f'id="entry-{old.pk}"')
    assert "80.50" in page and "保洁" in page and "支出" in page and "凭证齐全" in page
    assert "待审批" in page and "已审批" in page
    assert "/approve/" not in page and "/review/" not in page  # the leader only sees; no buttons
    q1 = client_for(world, "staff").get(f"/finance/books/{committee.pk}/?quarter=2026-1").content.decode()
    assert f'id="entry-{old.pk}"' in q1 and f'id="entry-{new.pk}"' not in q1


def test_ledger_pages_by_keyset_and_its_queries_do_not_grow(world, books, django_assert_max_num_queries):
    committee, _fund = books
    client = client_for(world, "staff")
    url = f"/finance/books/{committee.pk}/"

    def fill(count):
        Entry.objects.filter(account=committee).delete()
        for number in range(count):
            entry = enter(world, committee, D(2026, 1, 1) + datetime.timedelta(days=number % 80),
                          yuan=str(number + 1))
            ledger.approve(world.users["staff2"], entry)
            ledger.review(world.users["staff2"], entry, "ok")
        client.get(url)  # warm the session and caches alike
        with count_queries() as statements:
            assert client.get(url).status_code == 200
        return len(statements)

    assert fill(5) == fill(60)
    first = client.get(url).content.decode()
    assert "更早的账目" in first
    cursor = first.split("after=")[1].split('"')[0]
    second = client.get(f"{url}?after={cursor}").content.decode()
    shown = lambda html: {int(part.split('"')[0]) for part in html.split('id="entry-')[1:]}  # noqa: E731
    assert len(shown(first)) == 30 and len(shown(second)) == 30 and not shown(first) & shown(second)


def test_ledger_is_404_outside_ones_compounds(world, books):
    committee, _fund = books
    for key in ("other_keeper", "worker_a", "chief_b1"):
        assert client_for(world, key).get(f"/finance/books/{committee.pk}/").status_code == 404
        assert client_for(world, key).get(f"/finance/books/{committee.pk}/statements/").status_code == 404


# --- the entry form ----------------------------------------------------------------------

def test_entry_form_offers_common_categories_and_records_an_entry_once(world, books):
    committee, _fund = books
    client = client_for(world, "staff")
    url = f"/finance/books/{committee.pk}/new/"
    page = client.get(url).content.decode()
    assert '<datalist id="categories">' in page and "广告收入" in page and "绿化" in page
    assert 'name="decision"' not in page  # the committee's account cites no decision
    response = client.post(url, form_data(voucher=upload("scan.jpg", JPEG, "image/jpeg")))
    assert response.status_code == 302
    entry = Entry.objects.get()
    assert (entry.amount_fen, entry.entered_by, entry.approved_by) == (128050, world.users["staff"], None)
    assert entry.voucher.name.endswith(".jpg") and "scan" not in entry.voucher.name
    again = client.post(url, form_data(), follow=True)  # the same form sent twice
    assert Entry.objects.count() == 1
    assert "已经提交过了" in again.content.decode()


@pytest.mark.parametrize(("amount", "message"), [("1.234", "金额最多精确到分"), ("abc", "金额格式不对"),
                                                 ("0", "金额须大于零"), ("-5", "金额不能为负数")])
def test_a_bad_amount_is_refused_next_to_the_field_and_nothing_typed_is_lost(world, books, amount, message):
    committee, _fund = books
    response = client_for(world, "staff").post(f"/finance/books/{committee.pk}/new/",
                                               form_data(amount=amount, description="七月停车费<b>"))
    page = response.content.decode()
    assert response.status_code == 400 and Entry.objects.count() == 0
    assert f'id="id_amount_error">{message}' in page
    assert f'value="{amount}"' in page and 'value="七月停车费&lt;b&gt;"' in page and 'value="2026-04-03"' in page


def test_a_bad_amount_is_refused_in_english_too(world, books):
    committee, _fund = books
    client = client_for(world, "staff")
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.post(f"/finance/books/{committee.pk}/new/", form_data(amount="1.234")).content.decode()
    assert "Amounts go to the fen at most" in page


@pytest.mark.parametrize(("name", "content", "content_type", "message"), [
    ("invoice.jpg", b"<html><script>alert(1)</script></html>", "image/jpeg", "凭证只能是照片"),
    ("run.pdf", b"MZ\x90\x00 an executable", "application/pdf", "凭证只能是照片"),
    ("huge.pdf", b"%PDF-1.4" + b"0" * (10 * 1024 * 1024), "application/pdf", "不能超过 10 MB"),
])
def test_a_voucher_is_judged_by_its_bytes_and_size(world, books, name, content, content_type, message):
    committee, _fund = books
    response = client_for(world, "staff").post(f"/finance/books/{committee.pk}/new/",
                                               form_data(voucher=upload(name, content, content_type)))
    page = response.content.decode()
    assert response.status_code == 400 and Entry.objects.count() == 0
    assert 'id="id_voucher_error">' in page and message in page
    assert "请重新选择凭证" in page  # the browser cannot keep the file; the rest is kept
    assert 'value="4月停车费"' in page


def test_a_fund_spending_cites_a_passed_decision_from_the_select(world, books):
    _committee, fund = books
    staff = world.users["staff"]
    passed = decisions.create_decision(staff, world.places["compound"], title="更换消防水泵", item=5)
    Decision.objects.filter(pk=passed.pk).update(state="closed", passed=True)
    failed = decisions.create_decision(staff, world.places["compound"], title="外墙翻新", item=5)
    Decision.objects.filter(pk=failed.pk).update(state="closed", passed=False)
    building = decisions.create_decision(staff, world.places["b1"], title="1栋换电梯", item=5)
    Decision.objects.filter(pk=building.pk).update(state="closed", passed=True)
    client = client_for(world, "staff")
    url = f"/finance/books/{fund.pk}/new/"
    page = client.get(url).content.decode()
    assert "更换消防水泵" in page and "外墙翻新" not in page and "1栋换电梯" not in page
    refused = client.post(url, form_data(direction="spending", category="维修"))
    assert refused.status_code == 400
    assert 'id="id_decision_error">动用维修资金须注明业主共同决定' in refused.content.decode()
    refused = client.post(url, form_data(direction="spending", category="维修", decision=failed.pk))
    assert refused.status_code == 400 and Entry.objects.count() == 0  # not offered: not a valid choice
    assert client.post(url, form_data(direction="spending", category="维修", form_key="k-2",
                                      decision=passed.pk)).status_code == 302
    assert Entry.objects.get().decision_id == passed.pk


def test_only_keepers_of_the_compound_reach_the_entry_form(world, books):
    committee, _fund = books
    for key in ("leader", "other_keeper", "worker_a"):
        assert client_for(world, key).get(f"/finance/books/{committee.pk}/new/").status_code == 404
        assert client_for(world, key).post(f"/finance/books/{committee.pk}/new/", form_data()).status_code == 404
    assert Entry.objects.count() == 0


# --- approval and review ----------------------------------------------------------------

def test_approval_by_a_second_person_self_approval_shown_nicely_and_double_click_safe(world, books):
    committee, _fund = books
    entry = enter(world, committee, D(2026, 4, 3))
    url = f"/finance/entries/{entry.pk}/approve/"
    own = client_for(world, "staff").post(url, follow=True)
    assert own.status_code == 200 and "记账人不能审批自己录入的账目" in own.content.decode()
    entry.refresh_from_db()
    assert entry.approved_by is None
    second = client_for(world, "staff2")
    assert "已审批通过" in second.post(url, follow=True).content.decode()
    again = second.post(url, follow=True)  # a double click
    assert again.status_code == 200 and "这笔账已经审批过了" in again.content.decode()
    entry.refresh_from_db()
    assert entry.approved_by == world.users["staff2"]
    assert client_for(world, "other_keeper").post(url).status_code == 404
    assert client_for(world, "leader").post(url).status_code == 404
    assert client_for(world, "staff2").get(url).status_code == 405


def test_supervisory_review_with_a_note_and_back_to_the_same_quarter(world, books):
    committee, _fund = books
    entry = enter(world, committee, D(2026, 4, 3))
    back = f"/finance/books/{committee.pk}/?quarter=2026-2"
    response = client_for(world, "staff2").post(f"/finance/entries/{entry.pk}/review/",
                                                {"note": "与发票核对无误", "back": back})
    assert response.status_code == 302 and response["Location"] == back
    entry.refresh_from_db()
    assert (entry.reviewed_by, entry.review_note) == (world.users["staff2"], "与发票核对无误")
    evil = client_for(world, "staff2").post(f"/finance/entries/{entry.pk}/review/", {"back": "https://evil.example/"})
    assert evil["Location"] == f"/finance/books/{committee.pk}/"


# --- the voucher ------------------------------------------------------------------------

@pytest.mark.parametrize(("content", "content_type"), [(JPEG, "image/jpeg"), (PNG, "image/png"),
                                                       (PDF, "application/pdf")])
def test_the_voucher_is_served_to_viewers_of_the_compound_only(world, books, content, content_type):
    committee, _fund = books
    client_for(world, "staff").post(f"/finance/books/{committee.pk}/new/",
                                    form_data(voucher=upload("scan.bin", content, "text/html")))
    entry = Entry.objects.get()
    url = f"/finance/entries/{entry.pk}/voucher/"
    for key in ("staff", "leader"):
        response = client_for(world, key).get(url)
        assert response.status_code == 200
        assert response["Content-Type"] == content_type
        assert response["Content-Disposition"].startswith("inline")
        assert response["X-Content-Type-Options"] == "nosniff"
        assert b"".join(response.streaming_content) == content
    for key in ("other_keeper", "worker_a", "chief_b1", None):
        assert client_for(world, key).get(url).status_code == 404
    no_voucher = enter(world, committee, D(2026, 4, 4))
    assert client_for(world, "staff").get(f"/finance/entries/{no_voucher.pk}/voucher/").status_code == 404
    assert "/media-not-served" not in client_for(world, "staff").get(f"/finance/books/{committee.pk}/").content.decode()


# --- statements -------------------------------------------------------------------------

def test_generate_preview_publish_and_correct_through_the_pages(world, books):
    committee, _fund = books
    for day, direction, category, yuan in ((D(2026, 1, 5), "income", "停车费", "300"),
                                           (D(2026, 2, 9), "spending", "绿化", "120.40")):
        ledger.approve(world.users["staff2"], enter(world, committee, day, direction, category, yuan))
    client = client_for(world, "staff")
    listing = f"/finance/books/{committee.pk}/statements/"
    response = client.post(listing, {"year": "2026", "quarter": "1"})
    draft = Statement.objects.get()
    assert response["Location"] == f"/finance/books/statements/{draft.pk}/"
    preview = client.get(response["Location"]).content.decode()
    assert "草稿" in preview and "1179.60" in preview and "绿化" in preview and "120.40" in preview
    unconfirmed = client.post(response["Location"], {"action": "publish"})
    assert unconfirmed.status_code == 400 and "请勾选确认" in unconfirmed.content.decode()
    draft.refresh_from_db()
    assert draft.published_at is None
    client.post(response["Location"], {"action": "publish", "confirm": "1"})
    draft.refresh_from_db()
    assert draft.published_at is not None
    notices = PlaceNotice.objects.filter(place=world.places["compound"], link=f"/finance/statements/{draft.pk}/")
    assert notices.count() == 1
    again = client.post(response["Location"], {"action": "publish", "confirm": "1"}, follow=True)  # double click
    assert again.status_code == 200 and PlaceNotice.objects.count() == 1
    listed = client.get(listing).content.decode()
    assert f'href="/finance/statements/{draft.pk}/"' in listed  # the public page, once published
    refused = client.post(listing, {"year": "2026", "quarter": "1"}, follow=True)
    assert "本季度账目已公开" in refused.content.decode()
    no_reason = client.post(response["Location"], {"action": "correct", "reason": " "})
    assert no_reason.status_code == 400 and Statement.objects.count() == 1
    fixed = client.post(response["Location"], {"action": "correct", "reason": "绿化费少记一笔"})
    correction = Statement.objects.exclude(pk=draft.pk).get()
    assert fixed["Location"] == f"/finance/books/statements/{correction.pk}/"
    assert (correction.corrects_id, correction.correction_reason, correction.published_at) == (
        draft.pk, "绿化费少记一笔", None)


def test_statement_pages_are_read_only_for_viewers_and_404_elsewhere(world, books):
    committee, _fund = books
    client = client_for(world, "staff")
    client.post(f"/finance/books/{committee.pk}/statements/", {"year": "2026", "quarter": "1"})
    draft = Statement.objects.get()
    url = f"/finance/books/statements/{draft.pk}/"
    leader = client_for(world, "leader")
    page = leader.get(url).content.decode()
    assert leader.get(url).status_code == 200 and "在公告栏公开" not in page
    assert leader.post(url, {"action": "publish", "confirm": "1"}).status_code == 404
    generate = leader.post(f"/finance/books/{committee.pk}/statements/", {"year": "2026", "quarter": "2"})
    assert generate.status_code == 404
    for key in ("other_keeper", "worker_a"):
        assert client_for(world, key).get(url).status_code == 404
    draft.refresh_from_db()
    assert draft.published_at is None and Statement.objects.count() == 1


# --- dashboard --------------------------------------------------------------------------

def test_dashboard_counts_entries_awaiting_approval_at_ones_compounds(world, books):
    committee, _fund = books
    enter(world, committee, D(2026, 4, 3))
    ledger.approve(world.users["staff2"], enter(world, committee, D(2026, 4, 4)))
    figures = {str(stat.label): stat.value for stat in dashboard_stats(world.users["staff"])}
    assert figures == {"待审批的账目": 1}
    assert [s.value for s in dashboard_stats(world.users["other_keeper"])] == [0]
    assert dashboard_stats(world.users["leader"]) == []
    assert "待审批的账目" in client_for(world, "staff").get("/").content.decode()
