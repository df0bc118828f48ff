"""Shared set-up: the two-grid world with a people's mediation committee at the community
(one member with a login), and a case between two residents of building 1 with a typed-in
third party."""

import datetime

from tongxin.core.models import Organisation, OrganisationMember, Person
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD
from tongxin.mediation.services import cases as services

COMMITTEE_PHONE = "13600000088"


def committee(world):
    """The community's 人民调解委员会 with one member who can sign in."""
    body = Organisation.objects.create(code="t-rc-mediation", name="测试社区人民调解委员会", kind="sub_committee",
                                       subtype="人民调解委员会", place=world.places["community"],
                                       started_on=datetime.date(2021, 1, 1))
    member = Person.objects.create(name="调解员老周", phone=COMMITTEE_PHONE)
    OrganisationMember.objects.create(organisation=body, person=member, position="committee_member",
                                      valid_from=datetime.date(2021, 1, 1))
    world.users["mediator"] = create_login(member, phone=COMMITTEE_PHONE, password=PASSWORD)
    world.people["mediator"] = member
    return member


def residents_b1(world, n=2):
    b1 = world.places["b1"]
    return list(Person.objects.filter(home_path__gte=b1.path, home_path__lt=b1.path_end).order_by("pk")[:n])


def open_case(world, *, typed=True, title="楼上漏水纠纷", **kwargs):
    first, second = residents_b1(world)
    parties = [services.PartyInput(person=first), services.PartyInput(person=second)]
    if typed:
        parties.append(services.PartyInput(name="租客小王", phone="13955556666"))
    values = {"case_type": "neighbours", "channel": "in_person", "applicant": first.name,
              "facts": "楼上卫生间漏水，楼下天花板受损"} | kwargs
    return services.open_case(world.users["staff"], world.places["b1"], title=title, parties=parties, **values)
