"""The demo: volunteering loads on the registers' tree and the demands' reports, twice without
duplicating anything, and the coverage page's figures on it match a direct count."""


import pytest
from django.conf import settings
from django.test import Client

from tongxin.core.models import Household, OrganisationRelation, Place, RoleAssignment, User
from tongxin.core.testing import demo_loaded_twice
from tongxin.volunteering import demo as volunteering_demo
from tongxin.volunteering.models import (
    Activity,
    Attendance,
    Claim,
    Enrolment,
    HouseholdLink,
    JointProject,
    ServicePost,
    ServiceRecord,
    Session,
    Status,
    Task,
    UnitRegistration,
)
from tongxin.volunteering.selectors import links as selectors

pytestmark = pytest.mark.django_db
TABLES = (UnitRegistration, JointProject, Enrolment, ServicePost, HouseholdLink, Task, Claim, Activity, Session,
          Attendance, ServiceRecord, OrganisationRelation, User, RoleAssignment)


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker):
    """The registers', demands' and volunteering demos, loaded once for this module (the last
    twice) and rolled back afterwards."""
    from tongxin.demands.demo import load as load_demands
    from tongxin.registers.demo import load as load_registers

    with demo_loaded_twice(django_db_blocker, [load_registers, load_demands], volunteering_demo.load, TABLES) as loaded:
        yield loaded


LIVE = HouseholdLink.objects.filter(valid_to__isnull=True)


def test_loading_twice_adds_nothing(demo):
    assert demo["first"] == demo["again"]
    assert demo["out"].count("volunteering:") == 2


def test_the_demo_has_what_the_brief_lists(demo):
    community = Place.objects.get(code=volunteering_demo.COMMUNITY)
    registrations = UnitRegistration.objects.filter(community=community, status=Status.APPROVED)
    assert registrations.count() == 2
    assert JointProject.objects.filter(registration__in=registrations, reviewed_at__isnull=False).count() == 1
    enrolments = Enrolment.objects.filter(community=community)
    assert 18 <= enrolments.filter(status=Status.APPROVED).count() <= 22
    assert enrolments.filter(status=Status.PENDING).count() == 2
    assert enrolments.filter(leads__isnull=False).count() == 1
    assert enrolments.filter(kind="party_member", unit__isnull=False).count() >= 10
    assert ServicePost.objects.filter(community=community).values("kind").distinct().count() == 5
    assert Task.objects.filter(state="open").count() == 3
    assert Task.objects.filter(state="open", demand__isnull=False).count() == 1
    assert ServiceRecord.objects.filter(source="task").count() == 1
    assert ServiceRecord.objects.filter(source="activity").count() == Attendance.objects.count() > 0
    assert set(Activity.objects.values_list("recurrence", flat=True)) == {"weekly", "monthly"}
    assert OrganisationRelation.objects.filter(kind="paired", object__place=community).count() == 2


def test_the_demo_logins_work(demo):
    member = User.objects.get(phone=volunteering_demo.MEMBER_PHONE)
    assert Enrolment.objects.filter(person=member.person, status=Status.APPROVED, unit__isnull=False).exists()
    secretary = User.objects.get(phone=volunteering_demo.SECRETARY_PHONE)
    assert RoleAssignment.objects.filter(person=secretary.person, role="branch_secretary").exists()
    assert member.check_password(settings.TONGXIN_DEMO_PASSWORD)


def test_about_two_thirds_linked_with_some_buildings_poorly_covered(demo):
    compound = Place.objects.get(code=volunteering_demo.COMPOUND)
    staff = RoleAssignment.objects.filter(role="community_staff", place__code=volunteering_demo.COMMUNITY,
                                          person__user__isnull=False).first().person.user
    result = selectors.coverage(staff, compound)
    assert 0.6 <= result.linked / result.households <= 0.72
    assert result.blocks[0].share < 20 and result.blocks[-1].share >= 80


def test_the_coverage_page_matches_a_direct_count(demo):
    community = Place.objects.get(code=volunteering_demo.COMMUNITY)
    staff = RoleAssignment.objects.filter(role="community_staff", place=community,
                                          person__user__isnull=False).first().person.user
    client = Client()
    client.force_login(staff)
    response = client.get("/volunteering/coverage/", {"place": community.code})
    assert response.status_code == 200
    result = response.context["coverage"]
    for row in result.blocks:
        households = Household.objects.filter(place_path__gte=row.place.path, place_path__lt=row.place.path_end,
                                              closed_on__isnull=True)
        linked = households.filter(pk__in=LIVE.values("household_id"))
        live = HouseholdLink.objects.filter(valid_to__isnull=True, household__in=households)
        assert (row.households, row.linked, row.links) == (households.count(), linked.count(), live.count())
        assert {h["id"] for h in row.unlinked} == set(households.exclude(pk__in=linked).values_list("id", flat=True))
    in_community = Household.objects.filter(place_path__gte=community.path, place_path__lt=community.path_end,
                                            closed_on__isnull=True)
    assert result.households == in_community.count()
    assert result.linked == in_community.filter(pk__in=LIVE.values("household_id")).count()
    nobody = [row.nobody for row in result.blocks]
    assert nobody == sorted(nobody, reverse=True)
    body = response.content.decode()
    assert "沙市花园" in body and "荆州市政务服务和大数据管理局机关党支部" in body
