"""On PostgreSQL, two staff record the payment of one bill at the same moment: one payment
goes in, the other gets the clear refusal, and the bill is paid once."""

import datetime

import pytest
from django.db import connection

from tongxin.core.errors import RefusedError
from tongxin.core.services.people import create_person
from tongxin.core.services.roles import assign_role, create_login
from tongxin.core.testing import PASSWORD, at_once, two_grids
from tongxin.property.models import Bill, Payment
from tongxin.property.services import bills, standards
from tongxin.property.tests.conftest import company_managing

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def test_two_payments_of_one_bill_at_once_one_wins():
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=1)
    compound = world.places["compound"]
    company = company_managing(compound)
    keepers = []
    for n in (1, 2):
        person = create_person(name=f"物管{n}", phone=f"1390000010{n}")
        assign_role(person, "property_staff", organisation=company)
        keepers.append(create_login(person, phone=person.phone, password=PASSWORD))
    standards.create(keepers[0], compound, effective_from=datetime.date(2026, 1, 1), basis="合同",
                     items=[standards.Item("service", "物业服务费", "m2_month", "1.20")])
    bills.generate(keepers[0], compound, 2026)
    bill = Bill.objects.order_by("pk").first()

    outcomes = at_once([lambda user=user: bills.pay(user, Bill.objects.get(pk=bill.pk)) for user in keepers])
    refused = [o for o in outcomes if o is not None]
    assert len(refused) == 1 and isinstance(refused[0], RefusedError), outcomes
    assert refused[0].code == "bill_paid"
    bill.refresh_from_db()
    assert Payment.objects.filter(bill=bill).count() == 1 and bill.paid_fen == bill.due_fen


def test_two_generations_at_once_bill_each_household_once():
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=2)
    compound = world.places["compound"]
    company = company_managing(compound)
    person = create_person(name="物管", phone="13900000201")
    assign_role(person, "property_staff", organisation=company)
    keeper = create_login(person, phone=person.phone, password=PASSWORD)
    standards.create(keeper, compound, effective_from=datetime.date(2026, 1, 1), basis="合同",
                     items=[standards.Item("service", "物业服务费", "m2_month", "1.20")])
    outcomes = at_once([lambda: bills.generate(keeper, compound, 2026) for _ in range(2)])
    assert all(o is None or isinstance(o, RefusedError) for o in outcomes), outcomes
    assert Bill.objects.count() == 8
