"""Withdrawing the consent for a care category: the rule (table), the service (the core closes
the consent and removes the category; who, when and why kept here), the page's confirmation
step, scope, and the subject with no category left."""

import pytest
from django.test import Client
from django.urls import reverse

from tongxin.care.models import CategoryWithdrawal, Pairing
from tongxin.care.services import register as services
from tongxin.core.errors import RefusedError
from tongxin.core.models import Consent, Person, PersonTag

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("code", "held", "expected"), [
    ("elderly_alone", {"elderly_alone"}, None),
    ("left_behind_child", {"left_behind_child", "party_member"}, None),
    ("special_hardship", {"special_hardship"}, "statutory_no_consent"),
    ("low_income", {"low_income"}, "statutory_no_consent"),
    ("elderly_alone", set(), "category_not_held"),
    ("party_member", {"party_member"}, "category_unknown"),  # not a care category
    ("nonsense", set(), "category_unknown"),
])
def test_withdraw_problem(code, held, expected):
    found = services.withdraw_problem(code, held)
    assert (found[0] if found else None) == expected


def _elderly(world, entrance="b1u1") -> Person:
    return Person.objects.filter(household__place=world.places[entrance], tags__tag="elderly_alone").get()


def _subject(world, person, categories=("elderly_alone",)):
    return services.register(world.users["worker_a"], person, categories=list(categories))


def test_withdrawing_closes_the_consent_removes_the_category_and_records_who(world):
    person = _elderly(world)
    subject = _subject(world, person, ("elderly_alone", "special_hardship"))
    worker = world.users["worker_a"]
    assert services.withdraw_category(worker, subject, "elderly_alone", reason=" 本人电话撤回 ")
    consent = Consent.objects.get(person=person, tag="elderly_alone")
    assert consent.withdrawn_on is not None
    assert not PersonTag.objects.filter(person=person, tag="elderly_alone").exists()
    record = CategoryWithdrawal.objects.get(subject=subject)
    assert (record.tag, record.reason, record.withdrawn_by) == ("elderly_alone", "本人电话撤回", worker)
    assert services.withdraw_category(worker, subject, "elderly_alone") is False  # a double submit
    assert CategoryWithdrawal.objects.count() == 1
    assert services.care_categories_left(subject) == ["special_hardship"]


def test_statutory_categories_and_other_places_are_refused(world):
    subject = _subject(world, _elderly(world), ("elderly_alone", "special_hardship"))
    with pytest.raises(RefusedError) as refused:
        services.withdraw_category(world.users["worker_a"], subject, "special_hardship")
    assert refused.value.code == "statutory_no_consent"
    with pytest.raises(RefusedError) as refused:
        services.withdraw_category(world.users["worker_b"], subject, "elderly_alone")
    assert refused.value.code == "not_allowed"
    assert PersonTag.objects.filter(person=subject.person, tag__in=["elderly_alone", "special_hardship"]).count() == 2


def _client(user):
    client = Client()
    client.force_login(user)
    return client


def test_the_page_confirms_then_withdraws_and_offers_to_leave_the_register(world):
    person = _elderly(world)
    subject = _subject(world, person, ("elderly_alone", "special_hardship"))
    url = reverse("care-subject", args=[subject.pk])
    client = _client(world.users["worker_a"])
    page = client.get(url).content.decode()
    assert "href=\"?withdraw=elderly_alone" in page and "?withdraw=special_hardship" not in page
    assert "data-withdraw-confirm" not in page
    assert "data-withdraw-confirm" in client.get(url + "?withdraw=elderly_alone").content.decode()
    assert "data-withdraw-confirm" not in client.get(url + "?withdraw=special_hardship").content.decode()
    refused = client.post(url, {"action": "withdraw", "category": "special_hardship"})
    assert refused.status_code == 400 and "法定" in refused.content.decode()

    done = client.post(url, {"action": "withdraw", "category": "elderly_alone", "reason": "不愿登记"})
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert "href=\"?withdraw=elderly_alone" not in page and "不愿登记" in page and "data-no-categories" not in page

    from tongxin.core.services.people import remove_tag
    remove_tag(person, "special_hardship")  # the registers drop the statutory one
    page = client.get(url).content.decode()
    assert "data-no-categories" in page and 'id="leave-register"' in page


def test_only_managers_of_the_place_may_withdraw(world):
    person = _elderly(world)
    subject = _subject(world, person)
    url = reverse("care-subject", args=[subject.pk])
    viewer = _client(world.users["chief_b1"])  # care.view: sees the page, may not withdraw
    page = viewer.get(url + "?withdraw=elderly_alone").content.decode()
    assert "data-withdraw-confirm" not in page and "href=\"?withdraw=" not in page
    assert viewer.post(url, {"action": "withdraw", "category": "elderly_alone"}).status_code == 404
    assert _client(world.users["worker_b"]).post(url, {"action": "withdraw", "category": "elderly_alone"}
                                                 ).status_code == 404
    assert PersonTag.objects.filter(person=person, tag="elderly_alone").exists()


def test_leaving_the_register_after_the_last_category_ends_pairings(world):
    person = _elderly(world)
    subject = _subject(world, person)
    helper = Person.objects.filter(household__place=world.places["b1u2"]).first()
    services.pair(world.users["worker_a"], subject, helper, "neighbour")
    client = _client(world.users["worker_a"])
    url = reverse("care-subject", args=[subject.pk])
    client.post(url, {"action": "withdraw", "category": "elderly_alone"})
    assert "data-no-categories" in client.get(url).content.decode()
    client.post(url, {"action": "close", "reason": "已撤回同意"})
    assert not Pairing.objects.filter(subject=subject, valid_to__isnull=True).exists()
