"""Awards: a round, nominations by a resident and by staff, panel review, a public vote one per
household, winners published on the notice board with names as consented; pages scoped."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tongxin.core.errors import RefusedError
from tongxin.core.models import Household, PlaceNotice
from tongxin.core.services.roles import create_login
from tongxin.core.testing import PASSWORD, count_queries, two_grids
from tongxin.evaluation.models import AwardVote, Nomination
from tongxin.evaluation.services import awards as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    return two_grids()


def home(world, entrance, index) -> Household:
    return Household.objects.filter(place=world.places[entrance]).order_by("pk")[index]


def resident(world, entrance, index, phone):
    return create_login(home(world, entrance, index).members.get().person, phone=phone, password=PASSWORD)


def listed(response) -> str:
    """The nominations' list of a round's page."""
    page = response.content.decode()
    return page[page.index('id="nominations"'):page.index("</ul>", page.index('id="nominations"'))]


def head(world, entrance, index):
    return home(world, entrance, index).members.get().person


def test_nominate_review_vote_and_publish_with_names_as_consented(world, client):
    staff = world.users["staff"]
    award_round = services.create_round(staff, world.places["compound"], kind="family", year=2026, quarter=4,
                                        public_vote=True)
    with pytest.raises(RefusedError) as refused:
        services.create_round(staff, world.places["compound"], kind="family", year=2026, quarter=4)
    assert refused.value.code == "award_round_exists"
    voter = resident(world, "b1u1", 0, "15800000001")
    named = services.nominate(voter, award_round, nominee=f"household:{home(world, 'b1u1', 0).pk}",
                              reason="孝老爱亲", consent=True)
    assert named.nominee_name == "1栋1单元101室 居**"  # derived from the register, the head masked
    li = head(world, "b1u2", 2)
    li.name = "李秀英"
    li.save(update_fields=["name"])
    masked = services.nominate(staff, award_round, nominee=f"person:{li.pk}", reason="热心助人")
    declined = services.nominate(staff, award_round, nominee=f"building:{world.places['b2'].pk}", reason="整洁")
    assert (masked.nominee_name, declined.nominee_name) == ("李秀英", "2栋")
    with pytest.raises(RefusedError) as refused:
        services.vote(voter, named)
    assert refused.value.code == "nomination_not_approved"
    with pytest.raises(PermissionDenied):
        services.review(world.users["worker_b"], named, approve=True)  # grid B's worker: not this compound
    for nomination in (named, masked):
        services.review(staff, nomination, approve=True, note="事迹属实")
    services.review(staff, declined, approve=False, note="材料不全")
    services.vote(voter, named)
    with pytest.raises(RefusedError) as refused:
        services.vote(voter, masked)
    assert refused.value.code == "household_voted"
    services.vote(resident(world, "b1u2", 0, "15800000002"), masked)
    services.vote(resident(world, "b1u2", 1, "15800000003"), masked)
    assert AwardVote.objects.filter(award_round=award_round).count() == 3
    winners = services.publish(staff, award_round, winners=1)
    assert [w.pk for w in winners] == [masked.pk]
    notice = PlaceNotice.objects.get(place=world.places["compound"])
    assert "李**" in notice.body and "李秀英" not in notice.body and notice.link.endswith(f"/{award_round.token}/")
    page = client.get(notice.link).content.decode()  # public: no login
    assert "李**" in page and "李秀英" not in page and "热心助人" in page
    with pytest.raises(RefusedError):
        services.nominate(voter, award_round, nominee=f"building:{world.places['b1'].pk}", reason="x")


def test_without_a_vote_every_approved_nominee_wins_named_in_full_with_consent(world, client):
    staff = world.users["staff"]
    award_round = services.create_round(staff, world.places["b1"], kind="good_person", year=2026, quarter=1)
    zhao = head(world, "b1u1", 1)
    zhao.name = "赵大海"
    zhao.save(update_fields=["name"])
    one = services.nominate(staff, award_round, nominee=f"person:{zhao.pk}", reason="义务巡逻", consent=True)
    services.review(staff, one, approve=True)
    with pytest.raises(RefusedError) as refused:
        services.vote(resident(world, "b1u1", 0, "15800000001"), one)
    assert refused.value.code == "no_public_vote"
    client.force_login(staff)
    response = client.post(reverse("evaluation-award-round", args=[award_round.pk]), {"action": "publish"})
    assert response.status_code == 302 and Nomination.objects.get(pk=one.pk).winner
    assert "赵大海" in client.get(reverse("evaluation-award-winners", args=[award_round.token])).content.decode()


def test_pages_a_resident_nominates_and_votes_and_the_scope_holds(world, client):
    staff = world.users["staff"]
    award_round = services.create_round(staff, world.places["b1"], kind="hygiene", year=2026, quarter=2,
                                        public_vote=True)
    user = resident(world, "b1u1", 0, "15800000001")
    client.force_login(user)
    url = reverse("evaluation-award-round", args=[award_round.pk])
    page = client.get(url).content.decode()
    own = home(world, "b1u1", 0)
    assert f'value="household:{own.pk}"' in page and f'value="building:{world.places["b1"].pk}"' in page
    assert f'value="household:{home(world, "b1u1", 1).pk}"' not in page  # not another household
    client.post(url, {"action": "nominate", "nominee": f"household:{own.pk}", "reason": "整洁"})
    nomination = Nomination.objects.get(household=own)
    assert nomination.nominee_name == "1栋1单元101室 居**"
    assert "1栋1单元101室" not in listed(client.get(url))  # pending: residents see approved ones only
    services.review(staff, nomination, approve=True)
    assert "1栋1单元101室 居**" in listed(client.get(url))
    client.post(url, {"action": "vote", "nomination": nomination.pk})
    assert AwardVote.objects.filter(nomination=nomination).count() == 1
    client.force_login(resident(world, "b2u1", 0, "15800000009"))  # building 2: not under building 1
    assert client.get(url).status_code == 404
    client.force_login(world.users["worker_b"])
    assert client.get(url).status_code == 404
    assert client.get(reverse("evaluation-award-winners", args=["nope"])).status_code == 404
    client.force_login(staff)
    with count_queries() as few:
        assert client.get(url).status_code == 200
    with count_queries() as few_rounds:
        assert client.get(reverse("evaluation-awards")).status_code == 200
    for n in range(5):
        services.nominate(staff, award_round, nominee=f"household:{home(world, 'b1u2', n % 3).pk}", reason="x")
        services.create_round(staff, world.places["b1"], kind="family", year=2020 + n, quarter=1)
    with count_queries() as many:
        assert client.get(url).status_code == 200
    with count_queries() as many_rounds:
        assert client.get(reverse("evaluation-awards")).status_code == 200
    assert len(many) == len(few) and len(many_rounds) == len(few_rounds)
