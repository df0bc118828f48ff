"""The care register: consent rules, masking and the read log, person grants, scope, pairing,
unpaired-first ordering, flat query counts, a helper's own subjects."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.care.models import CareSubject, Pairing
from tongxin.care.selectors import register as selectors
from tongxin.care.services import register as services
from tongxin.core import access
from tongxin.core.errors import RefusedError
from tongxin.core.models import Consent, Household, OutboxMessage, Person, PersonalDataRead, PersonTag
from tongxin.core.roles import VIEW_REGISTER
from tongxin.core.services.people import create_person, join_household
from tongxin.core.services.roles import create_login
from tongxin.core.testing import OUTSIDE_MARKER, PASSWORD, count_queries

pytestmark = pytest.mark.django_db


# --- pure rules, table-driven -----------------------------------------------------------
@pytest.mark.parametrize(("categories", "child", "given_by", "guardian", "already", "expected"), [
    ([], False, "", False, frozenset(), "category_missing"),
    (["party_member"], False, "", False, frozenset(), "category_unknown"),
    (["special_hardship"], False, "", False, frozenset(), None),  # statutory: no consent
    (["low_income", "five_guarantee"], True, "", False, frozenset(), None),
    (["elderly_alone"], False, "", False, frozenset(), "consent_required"),
    (["empty_nest"], False, "  ", False, frozenset(), "consent_required"),
    (["serious_illness"], False, "本人", False, frozenset(), None),
    (["left_behind_child"], True, "王芳", False, frozenset(), "guardian_consent_required"),
    (["left_behind_child"], True, "王芳", True, frozenset(), None),
    (["elderly_alone"], False, "", False, frozenset({"elderly_alone"}), None),  # consent on record
    (["elderly_alone", "disabled"], False, "", False, frozenset({"elderly_alone"}), "consent_required"),
])
def test_consent_problem(categories, child, given_by, guardian, already, expected):
    found = services.consent_problem(categories, child=child, given_by=given_by, by_guardian=guardian,
                                     already=already)
    assert (found[0] if found else None) == expected


@pytest.mark.parametrize(("contacts", "expected"), [
    ([], None),
    ([services.Contact("李明", "儿子", "13800001111")], None),
    ([services.Contact("李明", "", "0716-8123456")], None),
    ([services.Contact("", "儿子", "13800001111")], "contact_incomplete"),
    ([services.Contact("李明", "儿子", "")], "contact_incomplete"),
    ([services.Contact("李明", "儿子", "abc")], "contact_phone_bad"),
    ([services.Contact("李明", "", "13800001111")] * 6, "contacts_too_many"),
])
def test_contacts_problem(contacts, expected):
    found = services.contacts_problem(contacts)
    assert (found[0] if found else None) == expected


# --- helpers ----------------------------------------------------------------------------
def resident_of(world, entrance="b1u1", index=0) -> Person:
    return Person.objects.filter(household__place=world.places[entrance]).order_by("pk")[index]


def new_resident(world, name, *, entrance="b1u2", born=None, unit="909") -> Person:
    from tongxin.core.services.people import create_household

    household = Household.objects.filter(place=world.places[entrance], unit_number=unit).first() or \
        create_household(place=world.places[entrance], unit_number=unit)
    person = create_person(name=name, birth_date=born)
    join_household(person, household, relation="owner", is_head=not household.residents.exists())
    return Person.objects.get(pk=person.pk)


def helper_login(world, name="帮扶志愿者", phone="13600000099", entrance="b1u2"):
    person = new_resident(world, name, entrance=entrance, unit="808")
    user = create_login(person, phone=phone, password=PASSWORD)
    return person, user


def register(world, person=None, **kwargs):
    person = person or resident_of(world)
    kwargs.setdefault("categories", ["special_hardship"])
    return services.register(world.users["worker_a"], person, **kwargs)


# --- registering ------------------------------------------------------------------------
def test_consent_based_category_is_refused_without_consent(world):
    person = new_resident(world, "赵大爷")
    with pytest.raises(RefusedError) as refused:
        register(world, person, categories=["empty_nest"])
    assert refused.value.code == "consent_required"
    assert not CareSubject.objects.filter(person=person).exists()
    assert not PersonTag.objects.filter(person=person).exists()


def test_consent_is_recorded_with_the_category(world):
    person = new_resident(world, "赵大爷")
    subject = register(world, person, categories=["empty_nest", "serious_illness"], consent_by="赵大爷",
                       risk="high", needs="买药", health_notes="高血压",
                       contacts=[services.Contact("赵明", "儿子", "13800001111"),
                                 services.Contact("赵红", "女儿", "13800002222")])
    assert subject.home_path == person.home_path
    assert set(PersonTag.objects.filter(person=person).values_list("tag", flat=True)) == {"empty_nest",
                                                                                          "serious_illness"}
    assert Consent.objects.filter(person=person, given_by="赵大爷", by_guardian=False).count() == 2
    assert [c.name for c in subject.contacts.all()] == ["赵明", "赵红"]


def test_a_child_needs_a_guardians_consent(world):
    child = new_resident(world, "小强", born=datetime.date.today() - datetime.timedelta(days=365 * 9))
    with pytest.raises(RefusedError) as refused:
        register(world, child, categories=["left_behind_child"], consent_by="小强")
    assert refused.value.code == "guardian_consent_required"
    subject = register(world, child, categories=["left_behind_child"], consent_by="王芳（奶奶）", by_guardian=True)
    assert Consent.objects.get(person=child, tag="left_behind_child").by_guardian
    assert subject.pk


def test_statutory_categories_need_no_consent(world):
    person = new_resident(world, "钱奶奶")
    register(world, person, categories=["special_hardship", "low_income"])
    assert not Consent.objects.filter(person=person).exists()
    assert PersonTag.objects.filter(person=person).count() == 2


def test_registering_outside_ones_places_or_twice_is_refused(world):
    outsider = resident_of(world, "b2u1")
    with pytest.raises(RefusedError) as refused:
        register(world, outsider)
    assert refused.value.code == "not_allowed"
    register(world)
    with pytest.raises(RefusedError) as refused:
        register(world)
    assert refused.value.code == "already_registered"


def test_close_ends_live_pairings_and_the_subject_may_come_back(world):
    subject = register(world)
    helper, _user = helper_login(world)
    services.pair(world.users["worker_a"], subject, helper, "volunteer")
    with pytest.raises(RefusedError):
        services.close(world.users["worker_a"], subject, " ")
    services.close(world.users["worker_a"], subject, "搬去女儿家")
    assert not Pairing.objects.filter(subject=subject, valid_to__isnull=True).exists()
    again = register(world)
    assert again.pk == subject.pk and again.closed_on is None


# --- masking, read log, person grants ---------------------------------------------------
def detail(user, subject):
    client = Client()
    client.force_login(user)
    return client.get(reverse("care-subject", args=[subject.pk]))


def test_view_sees_masked_manage_sees_details_and_reads_are_logged(world):
    person = resident_of(world)
    subject = register(world, person, needs="每周买菜", health_notes="糖尿病")
    chief = world.users["chief_b1"]  # care.view, not care.manage
    page = detail(chief, subject).content.decode()
    assert person.name not in page and "糖尿病" not in page and "每周买菜" not in page
    assert "关爱对象" in page and "特困" not in page
    assert not PersonalDataRead.objects.filter(user=chief).exists()
    page = detail(world.users["worker_a"], subject).content.decode()
    assert person.name in page and "糖尿病" in page and "特困" in page
    read = PersonalDataRead.objects.get(user=world.users["worker_a"], person=person)
    assert "health_notes" in read.fields


def test_the_list_masks_for_viewers_and_logs_for_managers(world):
    person = resident_of(world)
    register(world, person, health_notes="糖尿病")
    client = Client()
    client.force_login(world.users["chief_b1"])
    page = client.get(reverse("care-subjects")).content.decode()
    assert person.name not in page and "关爱对象" in page
    client.force_login(world.users["worker_a"])
    page = client.get(reverse("care-subjects")).content.decode()
    assert person.name in page
    assert PersonalDataRead.objects.filter(user=world.users["worker_a"], person=person).count() == 1


def test_a_paired_helper_sees_details_and_through_person_grants_until_the_pairing_ends(world):
    person = resident_of(world, "b1u2")
    subject = register(world, person, health_notes="腿脚不便", contacts=[services.Contact("孙明", "儿子",
                                                                                         "13800003333")])
    helper, user = helper_login(world, entrance="b1u1")
    assert not access.can_see_person(user, VIEW_REGISTER, person)
    assert detail(user, subject).status_code == 404
    pairing = services.pair(world.users["worker_a"], subject, helper, "neighbour")
    user = type(user).objects.get(pk=user.pk)
    assert access.can_see_person(user, VIEW_REGISTER, person)
    page = detail(user, subject).content.decode()
    assert person.name in page and "腿脚不便" in page and "13800003333" in page
    assert PersonalDataRead.objects.filter(user=user, person=person).count() == 1
    client = Client()
    client.force_login(user)
    mine = client.get(reverse("care-my-subjects")).content.decode()
    assert person.name in mine and "13800003333" in mine
    assert PersonalDataRead.objects.filter(user=user, person=person).count() == 2
    assert OutboxMessage.objects.filter(kind="care_paired", user=user).exists()
    services.end_pairing(world.users["worker_a"], pairing)
    user = type(user).objects.get(pk=user.pk)
    assert not access.can_see_person(user, VIEW_REGISTER, person)
    assert detail(user, subject).status_code == 404
    assert person.name not in Client().get(reverse("care-my-subjects")).content.decode()


def test_helpers_are_chosen_from_people_in_scope(world):
    subject = register(world)
    outsider = resident_of(world, "b2u1")
    with pytest.raises(RefusedError) as refused:
        services.pair(world.users["worker_a"], subject, outsider, "neighbour")
    assert refused.value.code == "helper_not_allowed"
    chief = world.people["chief_b1"]  # the building chief, living nowhere registered
    services.pair(world.users["worker_a"], subject, chief, "building_chief")
    rows = selectors.candidate_rows(world.users["worker_a"], subject, "居民")
    assert rows and all(not row["person"].name.startswith(OUTSIDE_MARKER) for row in rows)


def test_a_volunteer_of_the_community_may_be_paired(world):
    from tongxin.volunteering.models import Enrolment, Status

    subject = register(world)
    helper, user = helper_login(world)
    community = world.places["community"]
    Enrolment.objects.create(person=helper, user=user, kind="volunteer", community=community,
                             community_path=community.path, status=Status.APPROVED)
    rows = selectors.candidate_rows(world.users["worker_a"], subject)
    assert {"person": helper, "role": "volunteer"} in rows


# --- scope ------------------------------------------------------------------------------
def test_grid_b_subjects_never_show_to_grid_a(world):
    theirs = services.register(world.users["worker_b"], resident_of(world, "b2u1"), categories=["low_income"])
    ours = register(world)
    for key in ("worker_a", "chief_b1"):
        user = world.users[key]
        assert detail(user, theirs).status_code == 404
        client = Client()
        client.force_login(user)
        page = client.get(reverse("care-subjects")).content.decode()
        assert OUTSIDE_MARKER not in page and f'data-subject="{ours.pk}"' in page
    page = detail(world.users["staff"], theirs).content.decode()
    assert OUTSIDE_MARKER in page  # the community's staff keep both grids


# --- ordering and query counts ----------------------------------------------------------
def test_unpaired_subjects_come_first_by_building(world):
    worker = world.users["staff"]
    people = [resident_of(world, e, i) for e in ("b2u1", "b1u1", "b1u2") for i in (0, 1)]
    subjects = [services.register(worker, person, categories=["special_hardship"]) for person in people]
    helper, _user = helper_login(world)
    services.pair(worker, subjects[1], helper, "neighbour")
    services.pair(worker, subjects[2], helper, "neighbour")
    unpaired, paired, _more = selectors.register_list(worker)
    assert {row.pk for row in paired} == {subjects[1].pk, subjects[2].pk}
    buildings = [row.building.pk for row in unpaired]
    assert buildings == sorted(buildings, key=lambda pk: [row.building.path for row in unpaired
                                                          if row.building.pk == pk][0])
    client = Client()
    client.force_login(worker)
    page = client.get(reverse("care-subjects")).content.decode()
    positions = [page.index(f'data-subject="{s.pk}"') for s in subjects]
    assert max(positions[i] for i in (0, 3, 4, 5)) < min(positions[1], positions[2])


def _requests(user, subject):
    client = Client()
    client.force_login(user)
    with count_queries() as statements:
        if user.person.care_pairings.exists():
            assert client.get(reverse("care-subjects")).status_code == 404
        else:
            assert client.get(reverse("care-subjects")).status_code == 200
        assert client.get(reverse("care-my-subjects")).status_code == 200
        assert client.get(reverse("care-subject", args=[subject.pk])).status_code == 200
    return len(statements)


def test_query_counts_stay_flat_as_the_register_grows(world):
    staff = world.users["staff"]
    helper, user = helper_login(world)
    first = services.register(staff, resident_of(world), categories=["special_hardship"],
                              contacts=[services.Contact("甲", "", "13800000001")])
    services.pair(staff, first, helper, "neighbour")
    few = _requests(staff, first), _requests(user, first)
    for entrance in ("b1u1", "b1u2", "b2u1", "b2u2"):
        for index in range(3):
            person = resident_of(world, entrance, index)
            if CareSubject.objects.filter(person=person).exists():
                continue
            subject = services.register(staff, person, categories=["low_income"],
                                        contacts=[services.Contact("乙", "", "13800000002")])
            if index % 2:
                services.pair(staff, subject, helper, "neighbour")
    many = _requests(staff, first), _requests(user, first)
    assert many == few


# --- the pages --------------------------------------------------------------------------
def test_the_register_form_refuses_without_consent_and_keeps_what_was_typed(world):
    person = new_resident(world, "周爷爷")
    client = Client()
    client.force_login(world.users["worker_a"])
    url = reverse("care-subject-new")
    assert person.name in client.get(url, {"q": "周爷"}).content.decode()
    data = {"person": person.pk, "categories": ["elderly_alone"], "risk": "high", "needs": "买菜",
            "contact_name": ["周明"], "contact_relation": ["儿子"], "contact_phone": ["13800007777"],
            "form_key": "k1"}
    response = client.post(url, data)
    page = response.content.decode()
    assert response.status_code == 400 and "单独同意" in page and "13800007777" in page and "买菜" in page
    response = client.post(url, {**data, "consent_by": "周爷爷", "form_key": "k2"})
    subject = CareSubject.objects.get(person=person)
    assert response.status_code == 302 and response["Location"] == reverse("care-subject", args=[subject.pk])
    assert client.post(url, {**data, "consent_by": "周爷爷", "form_key": "k2"}).status_code == 400  # resubmitted
    assert CareSubject.objects.count() == 1


def test_pairing_from_the_page_takes_the_registered_role_and_viewers_cannot_post(world):
    from tongxin.volunteering.models import Enrolment, Status

    subject = register(world)
    helper, user = helper_login(world)
    community = world.places["community"]
    Enrolment.objects.create(person=helper, user=user, kind="party_member", community=community,
                             community_path=community.path, status=Status.APPROVED)
    client = Client()
    client.force_login(world.users["chief_b1"])
    url = reverse("care-subject", args=[subject.pk])
    assert client.post(url, {"action": "pair", "helper": helper.pk}).status_code == 404
    client.force_login(world.users["worker_a"])
    assert client.post(url, {"action": "pair", "helper": helper.pk}).status_code == 302
    assert Pairing.objects.get(subject=subject, helper=helper).role == "party_member"
    response = client.post(url, {"action": "close", "reason": ""})
    assert response.status_code == 400 and "请填写移出原因" in response.content.decode()


def test_my_subjects_is_empty_for_someone_paired_with_nobody(world):
    _helper, user = helper_login(world)
    client = Client()
    client.force_login(user)
    assert "没有结对关爱的居民" in client.get(reverse("care-my-subjects")).content.decode()
    assert client.get(reverse("care-subject-new")).status_code == 404
