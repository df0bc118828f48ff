import datetime

import pytest

from tongxin.core.models import Organisation, OrganisationPlace
from tongxin.core.testing import login_for
from tongxin.demands.testing import catalogues  # noqa: F401 - autouse: the data migrations' rows, back after a flush

SINCE = datetime.date(2020, 1, 1)


def company_managing(place, code="t-property-co", relation="manages"):
    company = Organisation.objects.create(code=code, name=f"{code}物业", kind="property_company", place=place,
                                          started_on=SINCE)
    OrganisationPlace.objects.create(organisation=company, place=place, relation=relation, valid_from=SINCE)
    return company


@pytest.fixture
def managed(world):
    """The test compound managed by a property company: its staff ``keeper``, and an owners'
    committee (linked to the compound) with a member ``committee``."""
    compound = world.places["compound"]
    company = company_managing(compound)
    login_for(world, "keeper", "property_staff", organisation=company, phone="13900000001")
    committee = Organisation.objects.create(code="t-owners", name="业主委员会", kind="owners_committee",
                                            place=compound, started_on=SINCE)
    OrganisationPlace.objects.create(organisation=committee, place=compound, relation="serves", valid_from=SINCE)
    login_for(world, "committee", "owners_committee_member", organisation=committee, phone="13900000002")
    return world
