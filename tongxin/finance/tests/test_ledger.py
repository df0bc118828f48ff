"""The ledger and its quarterly statements against the database: scope, approvals by a second
person, the maintenance fund's citation, and published statements frozen."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction

from tongxin.core.errors import RefusedError
from tongxin.core.testing import login_for, two_grids
from tongxin.finance.models import Entry, Statement
from tongxin.finance.services import ledger, statements
from tongxin.voting.models import Decision
from tongxin.voting.services import decisions

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world():
    world = two_grids()
    login_for(world, "staff2", "community_staff", place=world.places["community"], phone="13100000009")
    return world


def accounts(world):
    staff, compound = world.users["staff"], world.places["compound"]
    return (ledger.open_account(staff, compound, "committee", opening_yuan="1000"),
            ledger.open_account(staff, compound, "maintenance_fund", opening_yuan="50000"))


def decision(world, *, item=5, place="compound", state="closed", passed=True):
    found = decisions.create_decision(world.users["staff"], world.places[place], title="更换电梯", item=item)
    # The vote itself is voting's (tested there); here only its outcome matters.
    Decision.objects.filter(pk=found.pk).update(state=state, passed=passed)
    return Decision.objects.select_related("place").get(pk=found.pk)


def entered(world, account, day, direction, category, yuan, **extra):
    return ledger.enter(world.users["staff"], account, date=day, direction=direction, category=category,
                        amount_yuan=yuan, description=f"{category} {yuan}", **extra)


def test_only_keepers_of_the_compound_may_write(world):
    committee, _fund = accounts(world)
    for key in ("worker_a", "leader", "chief_b1"):
        with pytest.raises(PermissionDenied):
            ledger.enter(world.users[key], committee, date=D(2026, 1, 5), direction="income", category="停车费",
                         amount_yuan="10", description="x")
    with pytest.raises(PermissionDenied):
        ledger.open_account(world.users["leader"], world.places["compound"], "committee")
    with pytest.raises(RefusedError) as refused:
        ledger.open_account(world.users["staff"], world.places["b1"], "committee")
    assert refused.value.code == "not_compound"


@pytest.mark.parametrize(("yuan", "code"), [("0", "amount_zero"), ("-1", "amount_invalid"),
                                            ("1.234", "amount_precision"), ("abc", "amount_invalid")])
def test_bad_amounts_are_refused(world, yuan, code):
    committee, _fund = accounts(world)
    with pytest.raises(RefusedError) as refused:
        entered(world, committee, D(2026, 1, 5), "income", "停车费", yuan)
    assert refused.value.code == code
    assert not Entry.objects.exists()


def test_a_second_person_approves(world):
    committee, _fund = accounts(world)
    entry = entered(world, committee, D(2026, 1, 5), "income", "停车费", "120.50")
    assert entry.amount_fen == 12050
    with pytest.raises(RefusedError) as refused:
        ledger.approve(world.users["staff"], entry)
    assert refused.value.code == "self_approval"
    with pytest.raises(PermissionDenied):
        ledger.approve(world.users["worker_a"], entry)
    ledger.approve(world.users["staff2"], entry)
    with pytest.raises(RefusedError) as refused:
        ledger.approve(world.users["staff2"], entry)
    assert refused.value.code == "already_approved"
    ledger.review(world.users["staff2"], entry, "凭证齐全")
    entry.refresh_from_db()
    assert (entry.approved_by, entry.review_note) == (world.users["staff2"], "凭证齐全")


def test_the_database_refuses_self_approval_too(world):
    committee, _fund = accounts(world)
    entry = entered(world, committee, D(2026, 1, 5), "income", "停车费", "1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Entry.objects.filter(pk=entry.pk).update(approved_by=world.users["staff"])


@pytest.mark.parametrize(("options", "code"), [
    (None, "fund_needs_decision"),
    ({"item": 4}, "fund_wrong_item"),
    ({"passed": False}, "fund_not_passed"),
    ({"state": "open", "passed": None}, "fund_not_passed"),
    ({"place": "b1"}, "fund_wrong_place"),      # a building's decision cannot spend the compound's fund
    ({}, None),
    ({"place": "community"}, None),             # a place containing the compound
])
def test_a_fund_spending_cites_a_passed_item_5_decision(world, options, code):
    _committee, fund = accounts(world)
    cited = decision(world, **options) if options is not None else None
    if code is None:
        entry = entered(world, fund, D(2026, 2, 1), "spending", "电梯维修", "30000", decision=cited)
        assert entry.decision == cited
        return
    with pytest.raises(RefusedError) as refused:
        entered(world, fund, D(2026, 2, 1), "spending", "电梯维修", "30000", decision=cited)
    assert refused.value.code == code
    assert not Entry.objects.exists()


def quarter(world):
    """Q1 2026 of the committee's account: two approved entries, one not approved, one in Q4 2025."""
    committee, _fund = accounts(world)
    for day, direction, category, yuan, approve in [
        (D(2025, 12, 20), "income", "广告", "200", True),
        (D(2026, 1, 5), "income", "停车费", "500", True),
        (D(2026, 2, 10), "spending", "办公", "120.30", True),
        (D(2026, 3, 1), "spending", "办公", "99", False),
    ]:
        entry = entered(world, committee, day, direction, category, yuan)
        if approve:
            ledger.approve(world.users["staff2"], entry)
    return committee


def test_a_statement_counts_the_approved_entries_of_its_quarter(world):
    committee = quarter(world)
    statement = statements.generate(world.users["staff"], committee, 2026, 1)
    assert (statement.opening_fen, statement.income_fen, statement.spending_fen, statement.closing_fen) == (
        120000, 50000, 12030, 157970)
    assert [line["category"] for line in statement.lines] == ["停车费", "办公"]
    # A draft is regenerated freely.
    again = statements.generate(world.users["staff"], committee, 2026, 1)
    assert list(Statement.objects.values_list("pk", flat=True)) == [again.pk]
    with pytest.raises(PermissionDenied):
        statements.generate(world.users["leader"], committee, 2026, 1)


def test_a_published_statement_is_frozen(world):
    committee = quarter(world)
    statement = statements.publish(world.users["staff"], statements.generate(world.users["staff"], committee, 2026, 1))
    # The service refuses…
    with pytest.raises(RefusedError) as refused:
        statements.publish(world.users["staff"], statement)
    assert refused.value.code == "statement_frozen"
    with pytest.raises(RefusedError) as refused:
        statements.generate(world.users["staff"], committee, 2026, 1)
    assert refused.value.code == "quarter_published"
    # …and so does the model's save().
    statement.closing_fen = 1
    with pytest.raises(RefusedError) as refused:
        statement.save()
    assert refused.value.code == "statement_frozen"
    statement.refresh_from_db()
    assert statement.closing_fen == 157970


def test_a_correction_links_to_the_statement_it_corrects(world):
    committee = quarter(world)
    staff = world.users["staff"]
    first = statements.publish(staff, statements.generate(staff, committee, 2026, 1))
    late = entered(world, committee, D(2026, 3, 1), "spending", "办公", "1")
    ledger.approve(world.users["staff2"], late)
    with pytest.raises(RefusedError) as refused:
        statements.generate(staff, committee, 2026, 1, corrects=first)
    assert refused.value.code == "correction_reason"
    fixed = statements.publish(staff, statements.generate(staff, committee, 2026, 1, corrects=first,
                                                          reason="漏记一笔办公支出"))
    assert (fixed.corrects, fixed.closing_fen, fixed.correction_reason) == (first, 157870, "漏记一笔办公支出")
    # Only the latest published statement of the quarter can be corrected.
    with pytest.raises(RefusedError) as refused:
        statements.generate(staff, committee, 2026, 1, corrects=first, reason="再改")
    assert refused.value.code == "correct_latest"
    # The next quarter opens with the corrected closing balance.
    assert statements.generate(staff, committee, 2026, 2).opening_fen == 157870


def test_publishing_posts_on_the_notice_board_and_the_public_page_shows_the_lines(world, client):
    from tongxin.core.models import PlaceNotice
    from tongxin.core.testing import count_queries

    committee = quarter(world)
    staff = world.users["staff"]
    draft = statements.generate(staff, committee, 2026, 1)
    assert client.get(f"/finance/statements/{draft.pk}/").status_code == 404   # a draft is not public
    statement = statements.publish(staff, draft)
    notice = PlaceNotice.objects.get(pk=statement.notice_id)
    assert notice.place == world.places["compound"]
    assert notice.link == f"/finance/statements/{statement.pk}/"
    assert "第1季度" in notice.title
    page = client.get(notice.link)   # no login
    text = page.content.decode()
    assert page.status_code == 200
    for shown in ("1579.70", "500.00", "120.30", "停车费 500", "办公 120.30"):
        assert shown in text
    assert "99.00" not in text       # not approved: not in the statement
    # The correction is linked both ways; the page's queries do not grow with its lines.
    with count_queries() as before:
        client.get(notice.link)
    for n in range(20):
        ledger.approve(world.users["staff2"], entered(world, committee, D(2026, 3, 2), "income", "捐赠", str(n + 1)))
    fixed = statements.publish(staff, statements.generate(staff, committee, 2026, 1, corrects=statement,
                                                          reason="补记捐赠"))
    with count_queries() as after:
        page = client.get(f"/finance/statements/{fixed.pk}/")
    assert len(after) == len(before)
    assert "补记捐赠" in page.content.decode()
    assert f"/finance/statements/{fixed.pk}/" in client.get(notice.link).content.decode()


def test_an_owners_committee_member_keeps_the_books_of_the_compound_it_serves(world):
    from tongxin.core.models import Organisation, OrganisationPlace

    since = D(2020, 1, 1)
    committee_body = Organisation.objects.create(code="t-oc", name="测试业委会", kind="owners_committee",
                                                 place=world.places["compound"], started_on=since)
    OrganisationPlace.objects.create(organisation=committee_body, place=world.places["compound"],
                                     relation="manages", valid_from=since)
    member = login_for(world, "oc", "owners_committee_member", organisation=committee_body, phone="13100000010")
    committee, _fund = accounts(world)
    entry = ledger.enter(member, committee, date=D(2026, 1, 5), direction="income", category="停车费",
                         amount_yuan="1", description="x")
    ledger.approve(world.users["staff"], entry)
    # a member keeps the books but may not post notices: the statement is on the wall all the same
    statement = statements.publish(member, statements.generate(member, committee, 2026, 1))
    assert statement.notice is not None and statement.notice.created_by is None
    assert statement.notice.link == f"/finance/statements/{statement.pk}/"
