"""Emergency calls with real processes on PostgreSQL: gunicorn and a db_worker, each SIGKILLed
mid-run and restarted, while device threads keep pressing. Nothing a device was told was
stored is lost; every stored alarm's notices reach every recipient; nobody is told twice."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

import pytest

from tongxin.alarms.models import Alarm, AlarmStep, StepKind
from tongxin.alarms.services import alarms as services
from tongxin.alarms.testing import care_setup
from tongxin.core.models import OutboxMessage, OutboxStatus, Person
from tongxin.core.testing import WebhookReceiver, run_cli, start_worker, two_grids, wait_for, worker_env

pytestmark = [pytest.mark.postgres, pytest.mark.multiprocess, pytest.mark.django_db(transaction=True)]

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_web(env, port, log):
    """gunicorn in a session of its own: SIGKILL to the group kills master and workers at once."""
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "tongxin.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "30"],
        cwd=ROOT, env=env, stdout=log, stderr=log, start_new_session=True)
    assert wait_for(lambda: _up(port), 30), "gunicorn did not start"
    return server


def _up(port) -> bool:
    try:
        conn = HTTPConnection("127.0.0.1", port, timeout=1)
        conn.request("GET", "/login/")
        conn.getresponse().read()
        return True
    except OSError:
        return False


def _press(port, device, secret) -> tuple[int, dict]:
    import json

    conn = HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("POST", "/api/v1/alarms/", body=json.dumps({"device": device, "secret": secret}),
                 headers={"Content-Type": "application/json"})
    answer = conn.getresponse()
    return answer.status, json.loads(answer.read() or b"{}")


def test_killed_web_and_worker_processes_lose_no_alarm_and_repeat_no_notice(tmp_path):
    receiver = WebhookReceiver("gw-secret", hold_at=25, hold_seconds=4)
    world = two_grids(households_per_entrance=8)
    setups = []
    people = list(Person.objects.filter(household__isnull=False).order_by("pk"))[:32]
    for n, person in enumerate(people):
        setups.append(care_setup(world, gateway_url=receiver.url if n == 0 else "", person=person,
                                 helper_phone=f"1380000{n:04d}"))
    env = worker_env(TONGXIN_OUTBOX_LEASE_SECONDS="3", TONGXIN_OUTBOX_SWEEP_SECONDS="1",
                     TONGXIN_OUTBOX_RETRY_SECONDS="1", TONGXIN_ALARMS_SWEEP_SECONDS="1",
                     TONGXIN_ALARMS_ACK_SECONDS="3600")
    port = _free_port()
    run_cli(env, "schedule")
    web = start_web(env, port, (tmp_path / "web-1.log").open("w"))
    workers = [start_worker(env, interval=0.1, log=(tmp_path / "worker-1.log").open("w"))]
    answers: list[tuple[int, int]] = []  # (status, alarm id) the devices were given
    refused = []
    lock = threading.Lock()

    def device_thread(group):
        for s in group:
            for _again in range(2):  # the second press joins the first (200)
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    try:
                        status, body = _press(port, s.device.pk, s.secret)
                    except OSError:
                        time.sleep(0.2)  # the server is down: a device tries again
                        continue
                    with lock:
                        if status in (200, 201):
                            answers.append((status, body["alarm"]))
                        else:
                            refused.append((status, body))
                    break
                time.sleep(0.05)

    threads = [threading.Thread(target=device_thread, args=(setups[n::4],)) for n in range(4)]
    try:
        for thread in threads:
            thread.start()
        assert wait_for(lambda: len(answers) >= 16, 60)
        os.killpg(web.pid, signal.SIGKILL)  # mid-run: requests in flight die with it
        web.wait()
        time.sleep(0.5)
        web = start_web(env, port, (tmp_path / "web-2.log").open("w"))
        assert receiver.holding.wait(60)  # a gateway notice arrived; its sender waits for the answer …
        workers[0].send_signal(signal.SIGKILL)  # … and dies before recording it
        workers[0].wait()
        workers.append(start_worker(env, interval=0.1, log=(tmp_path / "worker-2.log").open("w")))
        for thread in threads:
            thread.join(120)
        assert not refused, refused

        created = {alarm for status, alarm in answers if status == 201}
        stored = set(Alarm.objects.values_list("pk", flat=True))
        assert created <= stored  # every 201 is stored
        assert len(stored) == len(setups)  # one alarm per device: the retries and second presses joined
        assert wait_for(lambda: not Alarm.objects.filter(notified_level__lt=0).exists(), 30)
        for alarm in Alarm.objects.all():  # every recipient of the subject's circle was told
            told = set(alarm.steps.filter(kind=StepKind.NOTICE).values_list("recipient", flat=True))
            assert told == {r.key for r in services.recipients(alarm, 0)}
        assert wait_for(lambda: not OutboxMessage.objects.exclude(status=OutboxStatus.DELIVERED).exists(), 90)
        webhook_ids = {str(d) for d in OutboxMessage.objects.filter(channel="webhook")
                       .values_list("delivery_id", flat=True)}
        assert len(webhook_ids) == len(setups)  # one family contact each
        assert wait_for(lambda: set(receiver.accepted) == webhook_ids, 30)
        events = [body["event"] for body in receiver.bodies]
        assert len(events) == len(set(events)) == len(setups)  # no contact got the same alarm step twice
        assert receiver.repeats >= 1 and receiver.bad_signatures == 0  # the repeat after the kill was dropped
        steps = list(AlarmStep.objects.filter(kind=StepKind.NOTICE).values_list("alarm", "level", "recipient"))
        assert len(steps) == len(set(steps))
        from tongxin.core.models import InboxItem

        inbox = list(InboxItem.objects.values_list("user", "delivery_id"))
        assert len(inbox) == OutboxMessage.objects.filter(channel="inbox").count() == len(set(inbox))
    finally:
        for thread in threads:
            thread.join(5)
        try:
            os.killpg(web.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        web.wait()
        for worker in workers:
            worker.kill()
            worker.wait()
        receiver.close()
