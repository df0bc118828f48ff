"""Emergency calls (issue 10): intake rate, and press → first notice delivered under load.

1. **Intake rate**: presses per second through the real HTTP stack (gunicorn, 2 sync
   workers, ``POST /api/v1/alarms/``), each a new alarm: stored, then its notices queued
   (the grid worker, the building chief, a family contact by webhook) and its escalation
   task. 8 keep-alive clients, unpaced, for ``BENCH_ALARMS_BURST`` seconds (10).
2. **Latency at a steady rate**: ``BENCH_ALARMS_RATE`` alarms per second (100) for
   ``BENCH_ALARMS_SECONDS`` (20), paced, with ``BENCH_ALARMS_WEB`` gunicorn workers (2) and
   ``BENCH_ALARMS_WORKERS`` db_worker processes (2) polling every ``BENCH_ALARMS_INTERVAL``
   seconds (0.1). Every time is counted from the press's scheduled moment, so a client held
   up behind a slow answer counts its wait: the answer, the first notice delivered (the
   helpers' inbox, written with the alarm) and the first notice the SMS/voice gateway got
   (a webhook, sent by a worker), p50 / p95. Target: p95 under 1 s.

On SQLite by default; DATABASE_URL=postgres://… runs it on a fresh PostgreSQL database.
Run: ``make bench`` or ``.venv/bin/python bench/bench_alarms.py``.
"""

import json
import os
import subprocess
import sys
import threading
import time
from http.client import HTTPConnection
from pathlib import Path

from common import fresh_database

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PORT = 8767
CLIENTS = 8
BURST = float(os.environ.get("BENCH_ALARMS_BURST", "10"))
RATE = int(os.environ.get("BENCH_ALARMS_RATE", "100"))
SECONDS = float(os.environ.get("BENCH_ALARMS_SECONDS", "20"))
WORKERS = int(os.environ.get("BENCH_ALARMS_WORKERS", "2"))
INTERVAL = os.environ.get("BENCH_ALARMS_INTERVAL", "0.1")
WEB = int(os.environ.get("BENCH_ALARMS_WEB", "2"))
SECRET = "bench-device-secret"


def make_devices(count: int) -> list[int]:
    from tongxin.alarms.models import Device
    from tongxin.alarms.services.alarms import hash_secret
    from tongxin.care.models import CareSubject, EmergencyContact
    from tongxin.core.models import Person
    from tongxin.core.testing import bulk_households, two_grids

    world = two_grids(households_per_entrance=1)
    entrances = [world.places["b1u1"], world.places["b1u2"]]
    bulk_households(entrances, count // 2 + 1, start=10000)
    people = list(Person.objects.filter(name__startswith="批量").values_list("pk", "home_path")[:count])
    CareSubject.objects.bulk_create([CareSubject(person_id=pk, home_path=path) for pk, path in people],
                                    batch_size=2000)
    subjects = list(CareSubject.objects.filter(person_id__in=[pk for pk, _ in people]).values_list("pk", "home_path"))
    EmergencyContact.objects.bulk_create([EmergencyContact(subject_id=pk, name="家属", phone="13900000000")
                                          for pk, _ in subjects], batch_size=2000)
    digest = hash_secret(SECRET)
    Device.objects.bulk_create([Device(subject_id=pk, label="呼叫器", home_path=path, secret_hash=digest)
                                for pk, path in subjects], batch_size=2000)
    return list(Device.objects.order_by("pk").values_list("pk", flat=True))


def start_gunicorn(env) -> subprocess.Popen:
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "tongxin.wsgi:application", "--bind", f"127.0.0.1:{PORT}",
         "--workers", str(WEB), "--timeout", "60", "--log-level", "warning"], cwd=ROOT, env=env)
    for _ in range(150):
        try:
            conn = HTTPConnection("127.0.0.1", PORT, timeout=1)
            conn.request("GET", "/login/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.2)
    raise SystemExit("gunicorn did not start")


def press(conn, device: int) -> tuple[int, int]:
    """The answer's status and the alarm's id."""
    conn.request("POST", "/api/v1/alarms/", body=json.dumps({"device": device, "secret": SECRET}),
                 headers={"Content-Type": "application/json"})
    answer = conn.getresponse()
    body = answer.read()
    return answer.status, json.loads(body)["alarm"] if answer.status in (200, 201) else 0


def burst(devices: list[int], seconds: float) -> tuple[float, int]:
    """Unpaced: presses per second, each device once."""
    lock, queue, done = threading.Lock(), list(reversed(devices)), [0]
    stop = time.monotonic() + seconds

    def client():
        conn = HTTPConnection("127.0.0.1", PORT, timeout=30)
        while time.monotonic() < stop:
            with lock:
                if not queue:
                    return
                device = queue.pop()
            assert press(conn, device)[0] == 201
            with lock:
                done[0] += 1

    threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
    start = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return done[0] / (time.monotonic() - start), done[0]


def paced(devices: list[int], rate: int, seconds: float):
    """``rate`` presses a second for ``seconds``: client n sends press k at its scheduled time.
    Returns how many were due, how many answered, how long it took, each alarm's scheduled
    press time (wall clock) and the answer times (from the scheduled press: a client held
    up by the one before counts its wait)."""
    total = int(rate * seconds)
    start = time.monotonic() + 0.5
    offset = time.time() - time.monotonic()
    pressed_at: dict[int, float] = {}
    answered: list[float] = []
    lock = threading.Lock()
    clients = max(CLIENTS, rate // 10)

    def client(n):
        conn = HTTPConnection("127.0.0.1", PORT, timeout=30)
        for k in range(n, total, clients):
            due = start + k / rate
            wait = due - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            status, alarm = press(conn, devices[k])
            assert status == 201, status
            with lock:
                pressed_at[alarm] = due + offset
                answered.append(time.monotonic() - due)

    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return total, len(answered), time.monotonic() - start, pressed_at, sorted(answered)


def first_notice_latencies(pressed_at: dict[int, float], channel: str | None = None) -> list[float]:
    """Per alarm, from the press (the client's scheduled time) to its first notice delivered
    (on ``channel``, or any)."""
    from django.db.models import Min

    from tongxin.core.models import OutboxMessage

    firsts: dict[int, float] = {}
    rows = OutboxMessage.objects.filter(event__startswith="alarm:", delivered_at__isnull=False)
    if channel:
        rows = rows.filter(channel=channel)
    for event, first in rows.values_list("event").annotate(first=Min("delivered_at")):
        pk = int(event.split(":")[1])
        if pk in pressed_at and (pk not in firsts or first.timestamp() < firsts[pk]):
            firsts[pk] = first.timestamp()
    return sorted(firsts[pk] - pressed_at[pk] for pk in firsts)


def pct(values, p) -> float:
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    needed = int(RATE * SECONDS + 500 * BURST) + 100  # the burst takes one device per press
    with fresh_database("alarms") as connection:
        from tongxin.alarms.models import Alarm
        from tongxin.core.models import OutboxMessage, OutboxStatus, WebhookSubscriber
        from tongxin.core.testing import WebhookReceiver, wait_for

        receiver = WebhookReceiver("bench-gw")
        WebhookSubscriber.objects.create(name="网关", url=receiver.url, secret="bench-gw", kinds=["alarm_raised"])
        devices = make_devices(needed)
        settings = connection.settings_dict
        if connection.vendor == "postgresql":
            host, port = settings["HOST"] or "127.0.0.1", settings["PORT"] or 5432
            database_url = f"postgres://{settings['USER']}@{host}:{port}/{settings['NAME']}"
        else:
            database_url = f"sqlite:///{settings['NAME']}"
        env = {**os.environ, "DATABASE_URL": database_url, "TONGXIN_CONN_MAX_AGE": "600",
               "DJANGO_SETTINGS_MODULE": "tongxin.settings"}
        server = start_gunicorn(env)
        workers = []
        try:
            rate, burst_count = burst(devices, BURST)
            workers = [subprocess.Popen([sys.executable, "manage.py", "db_worker", "--interval", INTERVAL,
                                         "--no-startup-delay"], cwd=ROOT, env=env,
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                       for _ in range(WORKERS)]
            wait_for(lambda: not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists(), 120, step=0.5)
            total, sent, took, pressed_at, answered = paced(devices[burst_count:], RATE, SECONDS)
            wait_for(lambda: not OutboxMessage.objects.filter(status=OutboxStatus.PENDING).exists(), 120, step=0.5)
            stored = Alarm.objects.filter(pk__in=list(pressed_at)).count()
            any_first = first_notice_latencies(pressed_at)
            gateway_first = first_notice_latencies(pressed_at, "webhook")
        finally:
            for worker in workers:
                worker.terminate()
                worker.wait()
            server.terminate()
            server.wait()
            receiver.close()
        print(f"database: {connection.vendor}; gunicorn {WEB} sync workers; "
              f"{WORKERS} db_worker(s) polling {INTERVAL} s")
        print(f"intake, {CLIENTS} clients unpaced for {BURST:.0f} s: {rate:.0f} alarms/s ({burst_count} alarms)")
        print(f"paced {RATE}/s for {SECONDS:.0f} s: {sent}/{total} answered in {took:.1f} s "
              f"({sent / took:.0f}/s), {stored} stored")
        print(f"press → answer (from the scheduled press): p50 {pct(answered, 50) * 1000:.0f} ms, "
              f"p95 {pct(answered, 95) * 1000:.0f} ms, max {answered[-1] * 1000:.0f} ms")
        for label, values in (("first notice (the helpers' inbox)", any_first),
                              ("first notice by the gateway (webhook)", gateway_first)):
            if values:
                print(f"press → {label}: p50 {pct(values, 50) * 1000:.0f} ms, p95 {pct(values, 95) * 1000:.0f} ms, "
                      f"max {values[-1] * 1000:.0f} ms ({len(values)} alarms; target p95 < 1000 ms)")
        print(f"webhook notices received by the gateway: {len(receiver.accepted)}")


if __name__ == "__main__":
    main()
