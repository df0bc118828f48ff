import pytest
from django.core.exceptions import PermissionDenied

from tongxin.core import access, privacy
from tongxin.core.models import Household, PersonalDataRead, Place
from tongxin.core.roles import MANAGE_REGISTER, VIEW_PERSONAL, VIEW_REGISTER, VIEW_TREE
from tongxin.core.services.roles import end_role

pytestmark = pytest.mark.django_db


def visible_households(user):
    return set(Household.objects.filter(access.path_filter(user, VIEW_REGISTER, "place_path")).values_list(
        "place__code", flat=True))


@pytest.mark.parametrize(
    ("who", "entrances"),
    [
        ("worker_a", {"t-b1-u1", "t-b1-u2"}),
        ("worker_b", {"t-b2-u1", "t-b2-u2"}),
        ("staff", {"t-b1-u1", "t-b1-u2", "t-b2-u1", "t-b2-u2"}),
        ("leader", {"t-b1-u1", "t-b1-u2", "t-b2-u1", "t-b2-u2"}),
        ("chief_b1", {"t-b1-u1", "t-b1-u2"}),
    ],
)
def test_each_role_sees_its_own_places_only(world, who, entrances):
    assert visible_households(world.users[who]) == entrances


@pytest.mark.parametrize(
    ("who", "permission", "expected"),
    [
        ("worker_a", VIEW_PERSONAL, True),
        ("worker_a", MANAGE_REGISTER, True),
        ("leader", VIEW_PERSONAL, False),
        ("leader", VIEW_TREE, True),
        ("chief_b1", VIEW_PERSONAL, False),
        ("chief_b1", MANAGE_REGISTER, False),
    ],
)
def test_role_permission_matrix(world, who, permission, expected):
    assert access.has_permission(world.users[who], permission) is expected


def test_nobody_without_a_role_sees_anything(world, django_user_model):
    stranger = django_user_model.objects.create_user(phone="13999999999", password="x")
    assert not access.has_permission(stranger, VIEW_TREE)
    assert not Place.objects.filter(access.path_filter(stranger, VIEW_TREE)).exists()


def test_an_ended_role_grants_nothing(world):
    person = world.people["worker_a"]
    end_role(person.roles.get())
    user = type(world.users["worker_a"]).objects.get(pk=world.users["worker_a"].pk)
    assert not access.has_permission(user, VIEW_TREE)


def test_a_grid_worker_starts_from_the_grid_and_what_it_covers(world):
    roots = set(access.root_places(world.users["worker_a"], VIEW_TREE).values_list("code", flat=True))
    assert roots == {"t-grid-a", "t-b1"}


def test_reveal_needs_the_role_and_is_logged(world):
    insider = Household.objects.filter(place__code="t-b1-u1").first().residents.first()
    outsider = Household.objects.filter(place__code="t-b2-u1").first().residents.first()
    worker = world.users["worker_a"]
    shown = privacy.reveal(worker, insider, context="test")
    assert shown["phone"] == insider.phone and len(shown["id_number"]) == 18
    assert PersonalDataRead.objects.filter(user=worker, person=insider).count() == 1
    with pytest.raises(PermissionDenied):
        privacy.reveal(worker, outsider, context="test")
    with pytest.raises(PermissionDenied):
        privacy.reveal(world.users["leader"], insider, context="test")
    assert PersonalDataRead.objects.count() == 1


@pytest.mark.parametrize(
    ("phone", "masked"),
    [("13812345678", "138****5678"), ("", ""), ("12345", "***45"), ("123", "***")],
)
def test_mask_phone(phone, masked):
    assert privacy.mask_phone(phone) == masked


@pytest.mark.parametrize(
    ("value", "masked"),
    [("42010019800101123X", "4****************X"), ("", ""), ("12", "**")],
)
def test_mask_id_number(value, masked):
    assert privacy.mask_id_number(value) == masked


def test_id_numbers_are_encrypted_at_rest(world):
    person = Household.objects.filter(place__code="t-b1-u1").first().residents.first()
    assert person.id_number_encrypted and "4201" not in person.id_number_encrypted
    assert privacy.id_number_of(person).startswith("4201")


def test_a_unit_branch_secretary_sees_the_branchs_members_wherever_they_live(world, client):
    import datetime

    from django.urls import reverse

    from tongxin.core.models import Organisation, OrganisationMember, Person
    from tongxin.core.services.people import create_person
    from tongxin.core.services.roles import assign_role, create_login

    unit_branch = Organisation.objects.create(
        code="tax-branch", name="区税务局机关党支部", kind="party_branch", started_on=datetime.date(2015, 3, 1)
    )
    member = Household.objects.filter(place__code="t-b2-u1").first().residents.first()  # lives in grid B
    OrganisationMember.objects.create(organisation=unit_branch, person=member, valid_from=datetime.date(2020, 1, 1))
    secretary = create_person(name="支部书记")
    assign_role(secretary, "branch_secretary", organisation=unit_branch)
    user = create_login(secretary, phone="13300000009", password="x")
    visible = Person.objects.filter(access.person_filter(user, VIEW_REGISTER))
    assert list(visible) == [member]
    client.force_login(user)
    page = client.get(reverse("person-detail", args=[member.pk])).content.decode()
    assert member.name in page and member.phone not in page  # seen, masked
    neighbour = Household.objects.filter(place__code="t-b2-u1").last().residents.first()
    assert client.get(reverse("person-detail", args=[neighbour.pk])).status_code == 404
    rows = client.get("/api/v1/residents/").json()["results"]
    assert [row["name"] for row in rows] == [member.name]
    OrganisationMember.objects.filter(person=member).update(valid_to=datetime.date(2021, 1, 1))
    fresh = type(user).objects.get(pk=user.pk)
    assert not Person.objects.filter(access.person_filter(fresh, VIEW_REGISTER)).exists()


#: A relationship as a mechanism keeps it (care pairs a helper with subjects): user id → person ids.
PAIRINGS: dict[int, list[int]] = {}


def paired_subjects(user, permission):
    """A ``person_grants`` hook: the people paired with the user, for reading the registers."""
    from tongxin.core.models import Person

    if permission != VIEW_REGISTER or user.pk not in PAIRINGS:
        return None
    return Person.objects.filter(pk__in=PAIRINGS[user.pk]).values("pk")


def test_a_mechanism_grants_people_by_relationship_through_its_manifest(world, client, monkeypatch):
    from django.apps import apps
    from django.urls import reverse

    from tongxin.core.models import Person

    helper = world.users["chief_b1"]  # a building chief of building 1 …
    subject = Household.objects.filter(place__code="t-b2-u2").first().residents.first()  # … paired in building 2
    monkeypatch.setitem(PAIRINGS, helper.pk, [subject.pk])
    visible = set(Person.objects.filter(access.person_filter(helper, VIEW_REGISTER)))
    assert subject not in visible  # no mechanism declares the relationship yet: default deny
    monkeypatch.setattr(
        apps.get_app_config("organisations"), "person_grants", "tongxin.core.tests.test_access.paired_subjects"
    )
    helper = type(helper).objects.get(pk=helper.pk)
    visible = set(Person.objects.filter(access.person_filter(helper, VIEW_REGISTER)))
    assert subject in visible and not any(p.home_path.startswith(world.places["b2"].path) for p in visible - {subject})
    assert access.can_see_person(helper, VIEW_REGISTER, subject)
    assert not access.can_see_person(helper, VIEW_PERSONAL, subject)  # granted for reading only, masked
    client.force_login(helper)
    page = client.get(reverse("person-detail", args=[subject.pk])).content.decode()
    assert subject.name in page and subject.phone not in page
    neighbour = Household.objects.filter(place__code="t-b2-u2").last().residents.first()
    assert client.get(reverse("person-detail", args=[neighbour.pk])).status_code == 404
