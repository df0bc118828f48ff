"""One owner votes from two devices at the same moment, over real HTTP: the database leaves one
ballot (the voter's row lock, then the unique constraint). Six owners do it at once, twelve
requests behind one barrier. PostgreSQL only (SQLite serialises every write)."""

import threading

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.urls import reverse

from tongxin.core.testing import two_grids
from tongxin.voting.models import Ballot, BallotEvent
from tongxin.voting.services import ballots
from tongxin.voting.testing import open_decision, seed_compound

CSRF = "a" * 32  # any well-formed secret: the cookie and the form field carry the same one


def _race(live_server, decision) -> list[tuple[int, str, int]]:
    jobs = []
    for voter in decision.voters.all():
        code = ballots.send_code(voter)
        url = live_server.url + reverse("voting-ballot", args=[voter.token])
        jobs += [(url, code, "agree", voter.pk), (url, code, "disagree", voter.pk)]  # two devices
    barrier = threading.Barrier(len(jobs))
    results: list = [None] * len(jobs)
    errors: list[BaseException] = []

    def post(n: int) -> None:
        url, code, choice, voter_pk = jobs[n]
        try:
            http = requests.Session()
            http.cookies.set(settings.CSRF_COOKIE_NAME, CSRF)
            http.headers["Accept-Language"] = "zh-hans"
            barrier.wait(timeout=30)
            response = http.post(url, data={"csrfmiddlewaretoken": CSRF, "action": "vote", "code": code,
                                            "choice": choice}, timeout=60)
            results[n] = (response.status_code, response.text, voter_pk)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=post, args=(n,)) for n in range(len(jobs))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_devices_at_once_leave_one_ballot(live_server):
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=3)
    seed_compound(world)
    decision = open_decision(world)
    assert decision.total_heads == 6
    results = _race(live_server, decision)
    assert Ballot.objects.filter(decision=decision).count() == 6
    for voter in decision.voters.all():
        mine = [(status, text) for status, text, pk in results if pk == voter.pk]
        assert sorted(status for status, _text in mine) == [200, 409]
        assert any("谢谢，您的选票已收到" in text for _status, text in mine)
        assert any("您已经投过票了" in text for _status, text in mine)
    assert BallotEvent.objects.filter(ballot__decision=decision, action="cast").count() == 6


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_devices_at_once_where_changes_are_allowed_leave_one_ballot_and_its_history(live_server):
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=3)
    seed_compound(world)
    decision = open_decision(world, allow_change=True)
    results = _race(live_server, decision)
    assert all(status == 200 for status, _text, _pk in results)
    assert Ballot.objects.filter(decision=decision).count() == 6
    for ballot in Ballot.objects.filter(decision=decision):
        actions = list(BallotEvent.objects.filter(ballot=ballot).values_list("action", flat=True))
        assert actions == ["cast", "changed"]  # the second device changed the first's ballot, in order
        last = BallotEvent.objects.filter(ballot=ballot).last()
        assert last.after["choice"] == ballot.choice and last.before["choice"] != ballot.choice
