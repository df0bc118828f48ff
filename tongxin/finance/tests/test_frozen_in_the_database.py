"""The database refuses to change or delete a published statement (migration 0003's triggers),
whatever the path: a queryset ``.update()`` or ``.delete()`` that skips ``Statement.save()``,
or raw SQL. Runs on SQLite and PostgreSQL (the CI runs the suite on both)."""

import datetime

import pytest
from django.db import DatabaseError, connection, transaction

from tongxin.core.models import PlaceNotice
from tongxin.core.testing import login_for, two_grids
from tongxin.finance.models import Statement
from tongxin.finance.services import ledger, statements

pytestmark = pytest.mark.django_db
D = datetime.date


@pytest.fixture
def world():
    world = two_grids()
    login_for(world, "staff2", "community_staff", place=world.places["community"], phone="13100000009")
    return world


def draft(world, quarter=1, **extra):
    staff = world.users["staff"]
    account = ledger.open_account(staff, world.places["compound"], "committee", opening_yuan="1000")
    entry = ledger.enter(staff, account, date=D(2026, 3 * quarter - 2, 5), direction="income", category="停车费",
                         amount_yuan="500", description="停车费")
    ledger.approve(world.users["staff2"], entry)
    return statements.generate(staff, account, 2026, quarter, **extra)


def refused(action) -> str:
    with pytest.raises(DatabaseError) as error, transaction.atomic():
        action()
    assert "finance_statement_frozen" in str(error.value)
    return str(error.value)


def test_a_published_statement_cannot_be_updated_or_deleted_by_a_queryset(world):
    statement = statements.publish(world.users["staff"], draft(world))
    rows = Statement.objects.filter(pk=statement.pk)
    refused(lambda: rows.update(closing_fen=1))
    refused(lambda: rows.update(lines=[]))
    refused(lambda: rows.update(published_at=None))      # not even "unpublishing" it
    refused(lambda: rows.delete())
    refused(lambda: rows._raw_delete(rows.db))           # no collector, no signals: one DELETE
    with connection.cursor() as cursor:
        refused(lambda: cursor.execute("UPDATE finance_statement SET income_fen = 0 WHERE id = %s", [statement.pk]))
    statement.refresh_from_db()
    assert (statement.closing_fen, statement.income_fen, len(statement.lines)) == (150000, 50000, 1)


def test_a_draft_can_be_updated_and_deleted(world):
    first = draft(world)
    Statement.objects.filter(pk=first.pk).update(closing_fen=7)
    first.refresh_from_db()
    assert first.closing_fen == 7
    again = draft(world)                                  # regenerating deletes the draft
    assert not Statement.objects.filter(pk=first.pk).exists()
    assert Statement.objects.get().pk == again.pk


def test_publishing_correcting_and_removing_the_notice_still_work(world):
    staff = world.users["staff"]
    first = statements.publish(staff, draft(world))
    assert first.published_at is not None and first.notice_id is not None
    fixed = statements.publish(staff, draft(world, corrects=first, reason="漏记一笔"))
    assert fixed.corrects_id == first.pk and fixed.published_at is not None
    assert statements.generate(staff, first.account, 2026, 2).opening_fen == fixed.closing_fen
    # The notice on the board can still be deleted: the statement's notice_id becomes NULL, the
    # one change a published row allows.
    PlaceNotice.objects.filter(pk=first.notice_id).delete()
    first.refresh_from_db()
    assert first.notice_id is None and first.published_at is not None
    refused(lambda: Statement.objects.filter(pk=first.pk).update(notice_id=fixed.notice_id, year=2025))
