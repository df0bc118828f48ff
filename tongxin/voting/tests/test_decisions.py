"""The register, opening (a frozen electorate), ballots by link and paper, closing and publishing."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from tongxin.core.errors import RefusedError
from tongxin.core.models import OutboxMessage, PlaceNotice, WebhookSubscriber
from tongxin.core.testing import count_queries, two_grids
from tongxin.voting.models import Ballot, BallotEvent, Decision, ExclusiveUnit, UnitOwner, Voter, VotingCode
from tongxin.voting.selectors import decisions as selectors
from tongxin.voting.services import ballots, decisions, register
from tongxin.voting.testing import make_unsold, open_decision, seed_compound

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    world = two_grids()
    seed_compound(world)
    return world


def test_seeding_from_the_residents_register_is_idempotent(world):
    assert ExclusiveUnit.objects.count() == 12
    assert UnitOwner.objects.filter(is_voter=True).count() == 12
    assert register.seed_from_households(world.places["compound"]) == 0
    assert ExclusiveUnit.objects.count() == 12
    unit = ExclusiveUnit.objects.first()
    assert unit.contract_area == Decimal("80.50") and unit.area == Decimal("80.50") and unit.area_source


def test_co_owners_name_one_voter_and_the_database_holds_it(world):
    unit = ExclusiveUnit.objects.filter(place_path__startswith=world.places["b1"].path).first()
    spouse = world.people["chief_b1"]
    owner = register.add_owner(world.users["worker_a"], unit, spouse)
    assert not owner.is_voter
    with pytest.raises(IntegrityError), transaction.atomic():
        UnitOwner.objects.filter(pk=owner.pk).update(is_voter=True)
    register.name_voter(world.users["worker_a"], owner)
    assert list(UnitOwner.objects.filter(unit=unit, is_voter=True).values_list("person", flat=True)) == [spouse.pk]


def test_staff_of_another_grid_may_not_edit_a_unit(world):
    unit = ExclusiveUnit.objects.filter(place_path__startswith=world.places["b1"].path).first()
    with pytest.raises(PermissionDenied):
        register.update_unit(world.users["worker_b"], unit, register_area="90")
    register.update_unit(world.users["worker_a"], unit, register_area="90.12", contract_area="80.50")
    unit.refresh_from_db()
    assert unit.area == Decimal("90.12")
    with pytest.raises(RefusedError):
        register.update_unit(world.users["worker_a"], unit, register_area="abc")


def test_opening_freezes_the_electorate_with_the_developer_counted_once(world):
    units = list(ExclusiveUnit.objects.filter(place_path__startswith=world.places["b1"].path).order_by("id"))
    make_unsold(units[:2])
    # one owner buys a second unit: counts once, areas add
    first_owner = UnitOwner.objects.get(unit=units[2], is_voter=True).person
    UnitOwner.objects.filter(unit=units[3]).update(person=first_owner)
    decision = open_decision(world)
    assert decision.total_heads == 4  # developer (2 units), the buyer (2), two more
    assert decision.total_area == Decimal("483.00") and decision.total_households == 6
    developer = Voter.objects.get(decision=decision, is_developer=True)
    assert developer.area == Decimal("161.00") and developer.households == 2 and developer.organisation_id
    buyer = Voter.objects.get(decision=decision, person=first_owner)
    assert buyer.area == Decimal("161.00") and len(buyer.units) == 2
    # the register changing afterwards changes nothing in the frozen electorate
    register.seed_from_households(world.places["compound"])
    ExclusiveUnit.objects.filter(pk=units[5].pk).update(register_area=Decimal("200"))
    assert Voter.objects.filter(decision=decision).count() == 4
    with pytest.raises(RefusedError):
        decisions.open_decision(world.users["worker_a"], decision)


def test_another_grid_may_not_create_or_open_here(world):
    with pytest.raises(PermissionDenied):
        decisions.create_decision(world.users["worker_b"], world.places["b1"], title="x", item=4)


def _vote(voter, choice, **extra):
    code = ballots.send_code(voter)
    return ballots.cast_by_link(voter, code, choice=choice, **extra)


def test_a_ballot_by_link_needs_the_code_and_only_its_hash_is_kept(world):
    WebhookSubscriber.objects.create(name="sms", url="https://sms.invalid/hook", secret="s", kinds=["voting_code"])
    decision = open_decision(world)
    voter = decision.voters.first()
    code = ballots.send_code(voter)
    row = VotingCode.objects.get(voter=voter)
    assert code not in row.code_hash and len(row.code_hash) == 64
    message = OutboxMessage.objects.get(kind="voting_code")
    assert message.payload["phone"] == voter.person.phone and message.payload["code"] == code
    wrong = "000000" if code != "000000" else "111111"
    for left in (4, 3, 2, 1, 0):
        with pytest.raises(RefusedError) as refused:
            ballots.cast_by_link(voter, wrong, choice="agree")
        assert refused.value.code == "wrong_code" and f"{left}" in refused.value.message_en
    with pytest.raises(RefusedError) as refused:
        ballots.cast_by_link(voter, code, choice="agree")  # locked after five wrong tries
    assert refused.value.code == "code_locked"
    assert not Ballot.objects.exists()
    ballot, changed = _vote(voter, "agree")
    assert not changed and ballot.origin == "web" and len(ballot.receipt) == 10


def test_one_ballot_per_voter_enforced_by_the_database(world):
    decision = open_decision(world)
    voter = decision.voters.first()
    Ballot.objects.create(decision=decision, voter=voter, choice="agree")
    with pytest.raises(IntegrityError), transaction.atomic():
        Ballot.objects.create(decision=decision, voter=voter, choice="disagree")
    with pytest.raises(RefusedError) as refused:
        _vote(voter, "disagree")
    assert refused.value.code == "already_voted"  # not even a code is sent
    assert not VotingCode.objects.filter(voter=voter).exists()


def test_a_change_where_allowed_keeps_the_history(world):
    decision = open_decision(world, allow_change=True)
    voter = decision.voters.first()
    first, _ = _vote(voter, "agree")
    second, changed = _vote(voter, "disagree")
    assert changed and first.pk == second.pk and first.receipt == second.receipt
    assert Ballot.objects.get(pk=first.pk).choice == "disagree"
    events = list(BallotEvent.objects.filter(ballot=first).values_list("action", "before", "after"))
    assert [e[0] for e in events] == ["cast", "changed"]
    assert events[1][1]["choice"] == "agree" and events[1][2]["choice"] == "disagree"


def test_staff_enter_a_paper_ballot_with_its_scan_and_an_audit_record(world, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    decision = open_decision(world)
    voter = decision.voters.last()
    scan = SimpleUploadedFile("ballot.jpg", b"\xff\xd8\xff fake", content_type="image/jpeg")
    ballot, _ = ballots.enter_paper(world.users["worker_a"], voter, scan=scan, choice="abstain")
    assert ballot.origin == "paper" and ballot.entered_by == world.users["worker_a"] and ballot.scan
    event = BallotEvent.objects.get(ballot=ballot)
    assert event.by == world.users["worker_a"] and event.origin == "paper"
    with pytest.raises(PermissionDenied):
        ballots.enter_paper(world.users["worker_b"], decision.voters.first(), choice="agree")


def test_turnout_is_one_query_whatever_the_size(world):
    decision = open_decision(world)
    for voter in decision.voters.all()[:4]:
        _vote(voter, "agree")
    with count_queries() as statements:
        figures = selectors.turnout(decision)
    assert len(statements) == 1
    assert figures["heads"] == 4 and figures["area"] == Decimal("322.00") and figures["heads_percent"] == "66.6%"


def test_closing_tallies_stores_and_publishes_on_the_notice_board(world, client):
    decision = open_decision(world)
    voters = list(decision.voters.all())
    for voter in voters[:3]:
        _vote(voter, "agree")
    _vote(voters[3], "abstain")  # 4 of 6 take part: exactly 2/3
    with pytest.raises(RefusedError):
        decisions.close_now(world.users["worker_a"], decision)  # too early, some have not voted
    assert decisions.close_due() == 0
    Decision.objects.filter(pk=decision.pk).update(closes_at=timezone.now() - datetime.timedelta(seconds=5))
    assert decisions.close_due() == 1
    decision.refresh_from_db()
    assert decision.state == "closed" and decision.passed is True
    assert [c["passed"] for c in decision.result["checks"]] == [True, True, True, True]
    notice = PlaceNotice.objects.get(pk=decision.notice_id)
    assert notice.place == world.places["b1"] and notice.link == f"/voting/results/{decision.pk}/"
    assert "达到三分之二以上" in notice.body
    assert selectors.matches_published(decision)
    # a second close does nothing
    assert decisions.close_decision(decision).notice_id == notice.pk
    page = client.get(decision.public_url())
    assert page.status_code == 200 and "参与表决的专有部分面积 322.00㎡" in page.content.decode()
    listing = client.get(f"/voting/results/{decision.pk}/ballots/").content.decode()
    ballot = Ballot.objects.filter(decision=decision).first()
    lines = listing.split('id="ballot-lines"')[1]
    assert ballot.receipt in lines and "80.50" not in lines and voters[0].person.name not in listing
    assert lines.count("<tr>") == 1 + 4  # the header and one line per ballot
    check = client.get(f"/voting/results/{decision.pk}/receipt/", {"code": ballot.receipt.lower()}).content.decode()
    assert "同意" in check or "弃权" in check


def test_results_are_not_public_before_the_close(world, client):
    decision = open_decision(world)
    assert client.get(decision.public_url()).status_code == 404
    assert client.get(f"/voting/results/{decision.pk}/ballots/").status_code == 404


def test_the_closing_task_is_queued_at_opening(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        decision = open_decision(world)
    assert decisions.close_if_due(decision.pk) is False  # not yet due
    assert decisions.close_if_due(decision.pk, now=decision.closes_at) is True


def test_an_election(world):
    decision = open_decision(world, item=3, kind="election", seats=2, candidates=["张三", "李四", "王五"])
    ids = list(decision.candidates.values_list("pk", flat=True))
    voters = list(decision.voters.all())
    for voter in voters[:4]:
        _vote(voter, "", picks=[ids[0], ids[1]])
    _vote(voters[4], "", picks=[ids[2]])
    with pytest.raises(RefusedError) as refused:
        _vote(voters[5], "", picks=ids)
    assert refused.value.code == "too_many_picks"
    decisions.close_decision(decision)
    decision.refresh_from_db()
    assert decision.result["elected"] == [ids[0], ids[1]]
    assert selectors.matches_published(decision)


def test_a_two_step_renovation(world):
    decision = open_decision(world, item=7, kind="two_step")
    for voter in decision.voters.all():
        _vote(voter, "agree", how="agree")
    decisions.close_decision(decision)
    decision.refresh_from_db()
    codes = {c["code"]: c["passed"] for c in decision.result["checks"]}
    assert codes["local_whether"] and codes["local_how"] and decision.passed
    assert selectors.matches_published(decision)


def test_the_result_is_announced_even_when_whoever_opened_the_vote_may_no_longer_publish(world):
    """A result is always published: by the rule itself when the opener's role has ended."""
    import datetime

    from tongxin.core.models import PlaceNotice, RoleAssignment
    from tongxin.voting.services import decisions as voting
    from tongxin.voting.testing import open_decision, seed_compound

    seed_compound(world)
    decision = open_decision(world)  # opened by grid A's worker
    from django.db.models import F

    RoleAssignment.objects.filter(person=world.users["worker_a"].person).update(valid_to=F("valid_from"))
    voting.close_decision(decision, now=decision.closes_at + datetime.timedelta(minutes=1))
    notice = PlaceNotice.objects.get(place=world.places["b1"])
    assert notice.created_by is None and notice.published_at is not None and "业主表决结果" in notice.title
