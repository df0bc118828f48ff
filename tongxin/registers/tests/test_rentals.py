import datetime

import pytest
from django.urls import reverse

from tongxin.core.models import Household
from tongxin.core.services.people import add_tag, create_household, create_person, join_household, leave_household
from tongxin.core.services.roles import assign_role, create_login
from tongxin.core.testing import OUTSIDE_MARKER, count_queries

pytestmark = pytest.mark.django_db


def rent_out(world, entrance_key, unit, *, tenants=1, tag=True):
    place = world.places[entrance_key]
    household = create_household(place=place, unit_number=unit, tenure="rented")
    landlord = create_person(name=f"房东{unit}", phone="13912345678")
    join_household(landlord, household, relation="owner", lives_here=False)
    made = []
    for n in range(tenants):
        tenant = create_person(name=f"租客{unit}-{n}")
        join_household(tenant, household, relation="tenant", on=datetime.date(2026, 3, 1))
        if tag:
            add_tag(tenant, "floating_population")
        made.append(tenant)
    return household, made


def test_the_police_liaison_of_a_building_sees_its_rentals(world, client):
    household, (tenant, former) = rent_out(world, "b1u1", "701", tenants=2)
    leave_household(former, household, on=datetime.date(2026, 9, 30))
    rent_out(world, "b2u1", "702")  # another building
    police = create_person(name="警务长")
    assign_role(police, "police_liaison", place=world.places["b1"])
    client.force_login(create_login(police, phone="13300000001", password="x"))
    page = client.get(reverse("rental-register", args=["t-b1"]))
    body = page.content.decode()
    assert [r.household.unit_number for r in page.context["rows"]] == ["701"]
    row = page.context["rows"][0]
    assert [m.person.name for m in row.landlords] == ["房东701"]
    assert [(m.person.name, floating) for m, floating in row.tenants] == [("租客701-0", True)]
    assert [m.person.name for m in row.former] == ["租客701-1"]
    assert "139****5678" in body and "13912345678" not in body and "2026-09-30" in body
    assert client.get(reverse("rental-register", args=["t-b2"])).status_code == 404


def test_the_register_pages_by_keyset_at_flat_cost(world, client):
    client.force_login(world.users["staff"])
    for n in range(3):
        rent_out(world, "b1u2", f"8{n:02d}")
    with count_queries() as few:
        client.get(reverse("rental-register", args=["t-community"]))
    for n in range(3, 60):
        rent_out(world, "b1u2", f"8{n:02d}", tag=False)
    with count_queries() as many:
        first = client.get(reverse("rental-register", args=["t-community"]))
    assert len(few) == len(many)
    assert len(first.context["rows"]) == 50 and first.context["next_after"]
    more = client.get(reverse("rental-register", args=["t-community"]), {"after": first.context["next_after"]})
    assert len(more.context["rows"]) == 10
    assert Household.objects.filter(tenure="rented").count() == 60
    assert OUTSIDE_MARKER not in first.content.decode()
