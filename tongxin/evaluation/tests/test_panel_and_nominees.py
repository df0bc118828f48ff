"""Nominations name a register household, person or building under the round's place, chosen
from a scoped picker with masked names; a named award panel reviews, each member once, and
more than half approving approves."""

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse

from tongxin.core.errors import RefusedError
from tongxin.core.models import Household
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, count_queries, login_for, two_grids
from tongxin.evaluation.models import AwardPanelMember, Nomination, PanelReview
from tongxin.evaluation.services import awards as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return two_grids()


def home(world, entrance, index) -> Household:
    return Household.objects.filter(place=world.places[entrance]).order_by("pk")[index]


def test_the_nominee_must_lie_under_the_rounds_place(world):
    staff = world.users["staff"]
    award_round = services.create_round(staff, world.places["b1"], kind="family", year=2026, quarter=1)
    outside_home, outside_person = home(world, "b2u1", 0), home(world, "b2u1", 0).members.get().person
    for nominee in (f"household:{outside_home.pk}", f"person:{outside_person.pk}",
                    f"building:{world.places['b2'].pk}", f"building:{world.places['b1u1'].pk}"):  # an entrance
        with pytest.raises(RefusedError) as refused:
            services.nominate(staff, award_round, nominee=nominee, reason="x")
        assert refused.value.code == "nominee_outside", nominee
    for nominee in ("", "household:", "flat:1", "household:abc"):
        with pytest.raises(RefusedError) as refused:
            services.nominate(staff, award_round, nominee=nominee, reason="x")
        assert refused.value.code == "nominee_missing"
    assert not Nomination.objects.exists()


def test_a_resident_nominates_only_their_own_household_or_a_building(world):
    staff = world.users["staff"]
    award_round = services.create_round(staff, world.places["compound"], kind="hygiene", year=2026, quarter=1)
    own = home(world, "b1u1", 0)
    user = create_login(own.members.get().person, phone="15800000001", password=PASSWORD)
    for nominee in (f"household:{home(world, 'b1u1', 1).pk}", f"person:{own.members.get().person_id}"):
        with pytest.raises(RefusedError) as refused:
            services.nominate(user, award_round, nominee=nominee, reason="x")
        assert refused.value.code == "nominee_not_own"
    services.nominate(user, award_round, nominee=f"household:{own.pk}", reason="整洁")
    services.nominate(user, award_round, nominee=f"building:{world.places['b2'].pk}", reason="整洁")
    assert Nomination.objects.filter(household=own).exists()
    assert Nomination.objects.filter(building__isnull=False).exists()
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds kind and link together
        Nomination.objects.create(award_round=award_round, nominee_kind="person", household=own, nominee_name="x",
                                  reason="x", nominated_by=staff)


def test_staff_search_by_unit_number_or_name_with_names_masked_and_in_scope(world, client):
    staff = world.users["staff"]
    award_round = services.create_round(staff, world.places["b1"], kind="good_person", year=2026, quarter=2)
    client.force_login(staff)
    url = reverse("evaluation-award-round", args=[award_round.pk])
    page = client.get(url, {"q": "201"}).content.decode()
    assert "1栋1单元201室 居**" in page and "1栋2单元201室 居**" in page and "居民2 " not in page
    assert "2栋" not in page.split('id="n-q"')[1].split("</fieldset>")[0].replace("1栋", "")  # b2: outside b1
    page = client.get(url, {"q": "居民5"}).content.decode()
    person = home(world, "b1u2", 1).members.get().person
    assert f'value="person:{person.pk}"' in page and "居民5" not in page.replace('value="居民5"', "")
    with count_queries() as few:
        client.get(url, {"q": "01"})
    for n in range(5):
        services.nominate(staff, award_round, nominee=f"household:{home(world, 'b1u1', n % 3).pk}", reason="x")
    with count_queries() as many:
        client.get(url, {"q": "01"})
    assert len(few) == len(many)


def test_a_named_panel_reviews_each_once_and_more_than_half_approve(world, client):
    staff = world.users["staff"]
    award_round = services.create_round(staff, world.places["compound"], kind="family", year=2026, quarter=3)
    members = [world.users["leader"], world.users["chief_b1"],
               login_for(world, "rep", "resident_representative", place=world.places["b1"], phone="13100000009")]
    nomination = services.nominate(staff, award_round, nominee=f"household:{home(world, 'b1u1', 0).pk}", reason="x")
    other = services.nominate(staff, award_round, nominee=f"household:{home(world, 'b1u1', 1).pk}", reason="x")
    with pytest.raises(PermissionDenied):
        services.set_panel(world.users["worker_b"], award_round, ["13100000004"])
    with pytest.raises(RefusedError) as refused:
        services.set_panel(staff, award_round, ["19999999999"])
    assert refused.value.code == "panel_unknown"
    services.set_panel(staff, award_round, [u.phone for u in members])
    assert AwardPanelMember.objects.filter(award_round=award_round).count() == 3
    with pytest.raises(RefusedError) as refused:  # with a panel, staff do not review
        services.review(staff, nomination, approve=True)
    assert refused.value.code == "award_panel_reviews"
    with pytest.raises(PermissionDenied):
        services.panel_review(world.users["worker_a"], nomination, approve=True)
    assert services.panel_review(members[0], nomination, approve=True).status == "pending"  # 1 of 3
    with pytest.raises(RefusedError) as refused:
        services.panel_review(members[0], nomination, approve=False)
    assert refused.value.code == "panel_reviewed"
    with pytest.raises(RefusedError) as refused:  # the panel has started: it stays
        services.set_panel(staff, award_round, ["13100000004"])
    assert refused.value.code == "award_panel_started"
    assert services.panel_review(members[1], nomination, approve=True).status == "approved"  # 2 of 3
    services.panel_review(members[0], other, approve=False)
    assert services.panel_review(members[1], other, approve=False).status == "declined"  # 2 of 3 decline
    with pytest.raises(IntegrityError), transaction.atomic():  # the database holds once per member
        PanelReview.objects.create(nomination=nomination, member=AwardPanelMember.objects.get(user=members[0]),
                                   approve=True)
    # On the page: a member sees the pending nominations and reviews; staff name the panel.
    third = services.nominate(staff, award_round, nominee=f"building:{world.places['b1'].pk}", reason="整洁")
    client.force_login(members[2])
    url = reverse("evaluation-award-round", args=[award_round.pk])
    page = client.get(url).content.decode()
    assert 'value="panel_approve"' in page and "1栋" in page
    client.post(url, {"action": "panel_approve", "nomination": third.pk, "note": "好"})
    assert PanelReview.objects.filter(nomination=third, member__user=members[2], approve=True).exists()
    assert f'name="nomination" value="{third.pk}"' not in client.get(url).content.decode()  # once
    client.force_login(world.users["worker_b"])
    assert client.post(url, {"action": "panel_approve", "nomination": third.pk}).status_code == 404


def test_staff_name_the_panel_on_the_page(world, client):
    staff = world.users["staff"]
    award_round = services.create_round(staff, world.places["compound"], kind="family", year=2026, quarter=2)
    client.force_login(staff)
    url = reverse("evaluation-award-round", args=[award_round.pk])
    assert client.post(url, {"action": "panel", "panel": "13100000004\n13100000005\n"}).status_code == 302
    assert set(AwardPanelMember.objects.values_list("user__phone", flat=True)) == {"13100000004", "13100000005"}
    client.force_login(world.users["worker_a"])  # may see the round, may not manage it
    client.post(url, {"action": "panel", "panel": "13100000001"})
    assert AwardPanelMember.objects.count() == 2
