"""On PostgreSQL, the staff pages' double clicks: one entry form sent twice at the same moment
records one entry; two keepers approving one entry at once: one approval, the other told."""

import pytest
from django.db import connection
from django.test import Client

from tongxin.core.testing import at_once, login_for, two_grids
from tongxin.finance.models import Entry
from tongxin.finance.services import ledger

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_one_entry_form_sent_twice_at_once_records_one_entry():
    assert connection.vendor == "postgresql"
    world = two_grids()
    account = ledger.open_account(world.users["staff"], world.places["compound"], "committee")
    data = {"form_key": "same-key", "date": "2026-04-03", "direction": "income", "category": "停车费",
            "amount": "10", "description": "停车费"}
    statuses = []

    def send():
        client = Client()
        client.force_login(world.users["staff"])
        statuses.append(client.post(f"/finance/books/{account.pk}/new/", data).status_code)

    assert at_once([send, send]) == [None, None]
    assert sorted(statuses) == [302, 302]  # the second is told it was already sent
    assert Entry.objects.count() == 1


def test_two_keepers_approve_one_entry_at_once():
    world = two_grids()
    login_for(world, "staff2", "community_staff", place=world.places["community"], phone="13100000009")
    login_for(world, "staff3", "community_staff", place=world.places["community"], phone="13100000010")
    account = ledger.open_account(world.users["staff"], world.places["compound"], "committee")
    entry = ledger.enter(world.users["staff"], account, date="2026-04-03", direction="income", category="停车费",
                         amount_yuan="10", description="x")
    outcomes = at_once([lambda u=u: ledger.approve(world.users[u], entry) for u in ("staff2", "staff3")])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and refused[0].code == "already_approved", outcomes
    assert Entry.objects.get().approved_by in (world.users["staff2"], world.users["staff3"])
