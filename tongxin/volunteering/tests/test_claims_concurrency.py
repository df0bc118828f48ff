"""Twenty members claim one task at the same moment over real HTTP: the database lets exactly
one in (``claim_one_live``), the others read a clear message. PostgreSQL only (SQLite
serialises every write, so nothing would race)."""

import threading

import pytest
import requests
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from tongxin.core.testing import two_grids
from tongxin.demands.testing import catalogues  # noqa: F401 - the fixture puts the catalogue back
from tongxin.volunteering.models import Claim, ClaimState, Task, TaskState
from tongxin.volunteering.services import claims as services
from tongxin.volunteering.tests.claims_support import enrol

CLAIMANTS = 20
CSRF = "a" * 32  # any well-formed secret: the cookie and the form field carry the same one


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_claims_over_http_exactly_one_wins(live_server):
    assert connection.vendor == "postgresql"
    world = two_grids(households_per_entrance=1)
    users = [enrol(world, f"m{n}", home="b1u1" if n % 2 else "b1u2", phone=f"1380000{n:04d}")
             for n in range(CLAIMANTS)]
    task = services.publish_wish(world.users["worker_a"], place=world.places["b1u1"], title="帮忙取药",
                                 contact_name="王奶奶", contact_phone="13912345678")
    sessions = []
    for user in users:
        client = Client()
        client.force_login(user)
        sessions.append(client.cookies[settings.SESSION_COOKIE_NAME].value)
    url = live_server.url + reverse("volunteering-task-claim", args=[task.pk])
    barrier = threading.Barrier(CLAIMANTS)
    results: list[tuple[int, str]] = [None] * CLAIMANTS
    errors: list[BaseException] = []

    def claim(n: int) -> None:
        try:
            http = requests.Session()
            http.cookies.set(settings.SESSION_COOKIE_NAME, sessions[n])
            http.cookies.set(settings.CSRF_COOKIE_NAME, CSRF)
            http.headers["Accept-Language"] = "zh-hans"
            barrier.wait(timeout=30)
            response = http.post(url, data={"csrfmiddlewaretoken": CSRF}, timeout=60)
            results[n] = (response.status_code, response.text)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    threads = [threading.Thread(target=claim, args=(n,)) for n in range(CLAIMANTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    won = [text for status, text in results if 200 <= status < 300]
    lost = [(status, text) for status, text in results if not 200 <= status < 300]
    assert len(won) == 1, [status for status, _text in results]
    assert "认领成功" in won[0] and "13912345678" in won[0]  # the winner sees the contact in full
    assert len(lost) == CLAIMANTS - 1
    assert all(status == 409 and "这个任务已经被别人认领了" in text for status, text in lost)
    assert all("13912345678" not in text for _status, text in lost)
    assert Claim.objects.filter(task=task, state__in=(ClaimState.ACTIVE, ClaimState.DONE)).count() == 1
    assert Claim.objects.filter(task=task).count() == 1
    assert Task.objects.get(pk=task.pk).state == TaskState.CLAIMED
