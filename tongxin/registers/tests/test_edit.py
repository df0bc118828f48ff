import datetime

import pytest
from django.urls import reverse

from tongxin.core.models import Household, HouseholdMember, HouseholdMove, Person, SubmittedForm
from tongxin.core.selectors import counts_for
from tongxin.core.validators import id_check_digit

pytestmark = pytest.mark.django_db


def valid_id(body17: str = "42010219800615123") -> str:
    return body17 + id_check_digit(body17)


@pytest.fixture
def worker(client, world):
    client.force_login(world.users["worker_a"])
    return client


def test_a_grid_worker_registers_a_household_once_even_when_double_clicked(worker, world):
    url = reverse("household-new", args=["t-b1-u1"])
    form = worker.get(url).context["form"]
    data = {"form_key": form.initial["form_key"], "unit_number": "902", "floor_area": "88.5", "tenure": "rented"}
    first = worker.post(url, data)
    household = Household.objects.get(place__code="t-b1-u1", unit_number="902")
    assert first.status_code == 302 and first["Location"] == reverse("household-detail", args=[household.pk])
    second = worker.post(url, data, follow=True)
    assert "已经提交过了" in second.content.decode()
    assert Household.objects.filter(unit_number="902").count() == 1
    assert SubmittedForm.objects.count() == 1
    counts = counts_for([world.places["b1u1"]])[world.places["b1u1"].pk]
    assert (counts.households, counts.rented) == (4, 1)


def test_a_taken_unit_number_is_explained_and_nothing_is_lost(worker):
    url = reverse("household-new", args=["t-b1-u1"])
    response = worker.post(url, {"form_key": "k1", "unit_number": "101", "tenure": "owner_occupied"})
    assert response.status_code == 400 and "已登记" in response.content.decode()
    assert response.context["form"]["unit_number"].value() == "101"  # what was typed is kept
    assert not SubmittedForm.objects.exists()  # the refused attempt did not use up the key


def test_nobody_changes_registers_outside_their_scope(client, world):
    client.force_login(world.users["worker_a"])
    assert client.get(reverse("household-new", args=["t-b2-u1"])).status_code == 404
    client.force_login(world.users["chief_b1"])  # sees building 1 but may not change it
    assert client.get(reverse("household-new", args=["t-b1-u1"])).status_code == 404
    household = Household.objects.filter(place__code="t-b1-u1").first()
    assert client.post(reverse("member-new", args=[household.pk]), {"form_key": "x", "name": "甲"}).status_code == 404


@pytest.mark.parametrize(
    ("id_number", "message"),
    [
        ("12345", "18位"),
        ("420102198013451234", "不是真实的日期"),
        ("42010219800615123" + ("0" if id_check_digit("42010219800615123") != "0" else "1"), "最后一位"),
    ],
)
def test_a_wrong_id_number_is_explained(worker, id_number, message):
    household = Household.objects.filter(place__code="t-b1-u1").first()
    response = worker.post(
        reverse("member-new", args=[household.pk]),
        {"form_key": "k", "name": "新人", "relation": "family", "lives_here": "on", "id_number": id_number},
    )
    assert response.status_code == 400 and message in response.content.decode()
    assert not Person.objects.filter(name="新人").exists()


def test_a_person_is_added_with_birth_date_from_the_id_and_groups(worker, world):
    household = Household.objects.filter(place__code="t-b1-u1").first()
    response = worker.post(
        reverse("member-new", args=[household.pk]),
        {
            "form_key": "k2", "name": "新人", "relation": "family", "lives_here": "on", "phone": "138 1234 5678",
            "id_number": valid_id().lower().replace("x", "X"), "tags": ["veteran", "elderly_alone"],
            "consent_given_by": "新人",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(name="新人")
    assert person.birth_date == datetime.date(1980, 6, 15) and person.phone == "13812345678"
    assert person.household == household and person.home_path == household.place_path
    assert counts_for([world.places["b1u1"]])[world.places["b1u1"].pk].tags["veteran"] == 1


def test_moving_a_household_within_scope_keeps_history(worker, world):
    household = Household.objects.filter(place__code="t-b1-u1").first()
    url = reverse("household-move", args=[household.pk])
    outside = worker.post(url, {"form_key": "m1", "to_place": "t-b2-u1"})
    assert outside.status_code == 400 and "不在您负责的范围内" in outside.content.decode()
    taken = worker.post(url, {"form_key": "m2", "to_place": "t-b1-u2"})
    assert taken.status_code == 400 and "已有门牌" in taken.content.decode()
    household.unit_number = "999"
    household.save(update_fields=["unit_number"])
    moved = worker.post(url, {"form_key": "m3", "to_place": "t-b1-u2", "reason": "换房"})
    assert moved.status_code == 302
    assert HouseholdMove.objects.get(household=household).reason == "换房"
    assert counts_for([world.places["b1u2"]])[world.places["b1u2"].pk].households == 4


def test_groups_are_changed_and_a_member_moves_out(worker, world):
    household = Household.objects.filter(place__code="t-b1-u1").first()
    person = household.residents.first()
    response = worker.post(reverse("person-groups", args=[person.pk]), {"form_key": "g1", "tags": ["veteran"]})
    assert response.status_code == 302
    assert set(person.tags.values_list("tag", flat=True)) == {"veteran"}
    member = HouseholdMember.objects.get(person=person, household=household)
    worker.post(reverse("member-end", args=[household.pk, member.pk]))
    person.refresh_from_db()
    assert person.household is None and HouseholdMember.objects.get(pk=member.pk).valid_to is not None
    assert counts_for([world.places["b1u1"]])[world.places["b1u1"].pk].residents == 2


def test_community_staff_redraw_a_grid_and_the_history_shows(client, world):
    from tongxin.core.models import GridCoverage

    client.force_login(world.users["staff"])
    url = reverse("area-coverage", args=["t-grid-a"])
    page = client.get(url)
    assert page.status_code == 200
    candidates = {p.code for p in page.context["form"].fields["places"].queryset}
    assert candidates == {"t-compound", "t-b1", "t-b2"}
    yesterday = datetime.date.today() - datetime.timedelta(days=1)
    GridCoverage.objects.filter(grid=world.places["grid_a"]).update(valid_from=yesterday - datetime.timedelta(days=9))
    response = client.post(url, {"form_key": "r1", "places": [world.places["b2"].pk], "on": yesterday.isoformat()})
    assert response.status_code == 302
    assert counts_for([world.places["grid_a"]])[world.places["grid_a"].pk].households == 6
    detail = client.get(reverse("place-detail", args=["t-grid-a"]))
    assert [p.code for p, _c, _v in detail.context["covered"]] == ["t-b2"]
    assert [row.place.code for row in detail.context["coverage_history"]] == ["t-b1"]
    assert "早先的覆盖" in detail.content.decode() or "Earlier coverage" in detail.content.decode()


def test_grid_workers_cannot_redraw_and_foreign_places_are_refused(client, world):
    from tongxin.core.services.places import create_place

    client.force_login(world.users["worker_a"])
    assert client.get(reverse("area-coverage", args=["t-grid-a"])).status_code == 404
    elsewhere = create_place(parent=world.places["street"], kind="community", code="t-c2", name="别的社区")
    far = create_place(parent=elsewhere, kind="compound", code="t-far", name="远处小区")
    client.force_login(world.users["staff"])
    response = client.post(
        reverse("area-coverage", args=["t-grid-a"]), {"form_key": "r2", "places": [far.pk], "on": "2026-11-01"}
    )
    assert response.status_code == 400
    assert world.places["grid_a"].coverage.filter(place=far).count() == 0


def test_sensitive_groups_need_separate_consent_and_a_guardian_for_children(worker, world):
    from tongxin.core.models import Consent

    household = Household.objects.filter(place__code="t-b1-u1").first()
    url = reverse("member-new", args=[household.pk])
    base = {"relation": "family", "lives_here": "on", "tags": ["left_behind_child"]}
    refused = worker.post(url, {**base, "form_key": "c1", "name": "小明"})
    assert refused.status_code == 400 and "单独同意" in refused.content.decode()
    child = {**base, "name": "小明", "birth_date": "2019-05-01", "consent_given_by": "小明"}
    refused = worker.post(url, {**child, "form_key": "c2"})
    assert refused.status_code == 400 and "需由监护人同意" in refused.content.decode()
    assert not Person.objects.filter(name="小明").exists()  # nothing half-saved
    done = worker.post(url, {**child, "form_key": "c3", "consent_given_by": "王芳", "consent_by_guardian": "on"})
    assert done.status_code == 302
    consent = Consent.objects.get(person__name="小明")
    assert (consent.tag, consent.given_by, consent.by_guardian) == ("left_behind_child", "王芳", True)


def test_dropping_a_consent_based_group_records_the_withdrawal(worker, world):
    from tongxin.core.models import Consent

    household = Household.objects.filter(place__code="t-b1-u1").first()
    elderly = household.place.households.all()[1].residents.first()  # tagged elderly_alone with consent
    response = worker.post(reverse("person-groups", args=[elderly.pk]), {"form_key": "w1", "tags": []})
    assert response.status_code == 302
    consent = Consent.objects.get(person=elderly, tag="elderly_alone")
    assert consent.withdrawn_on is not None and not elderly.tags.exists()
