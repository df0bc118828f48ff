"""Notices delivered per second by one and by two workers, and commit-to-delivery latency.

Real ``db_worker`` processes deliver webhook notices to a real HTTP receiver on
127.0.0.1 (signatures checked, repeats dropped). Throughput: 2,000 notices committed in
one transaction, timed from the commit until the last one arrives. Latency: 100 notices committed one
by one, 50 ms apart, to idle workers polling every 0.1 s, 0.5 s and 1 s; p50 and p95 of
(arrival − commit). Fresh SQLite, or PostgreSQL with DATABASE_URL. Run: ``make bench``.
"""

import os
import statistics
import time

from common import fresh_database

SECRET = "bench-secret"


def start_workers(count: int, interval: float) -> list:
    from tongxin.core.testing import start_worker

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tongxin.settings"}
    return [start_worker(env, interval=interval) for _ in range(count)]


def stop(workers) -> None:
    for worker in workers:
        worker.terminate()
    for worker in workers:
        worker.wait(timeout=30)


def main() -> None:
    with fresh_database("outbox") as connection:
        from django.db import transaction

        from tongxin.core import outbox
        from tongxin.core.models import OutboxMessage, WebhookSubscriber
        from tongxin.core.testing import WebhookReceiver, wait_for

        receiver = WebhookReceiver(SECRET)
        WebhookSubscriber.objects.create(name="bench", url=receiver.url, secret=SECRET)
        print(f"database: {connection.vendor}")
        for count in (1, 2):
            workers = start_workers(count, 0.1)
            time.sleep(3)  # let them start
            already = len(receiver.accepted)
            with transaction.atomic():
                for n in range(2000):
                    outbox.notify("place_notice", f"bench:{count}:{n}", subject=f"通知 {n}")
            started = time.time()  # committed: from here on it is the workers' work
            ok = wait_for(lambda already=already: len(receiver.accepted) - already >= 2000, 600, step=0.01)
            seconds = max(receiver.accepted.values()) - started
            stop(workers)
            print(f"{count} worker{'s' if count > 1 else ''}: 2,000 webhook notices in {seconds:.1f} s, "
                  f"{2000 / seconds:,.0f} notices/s" + ("" if ok else " (incomplete!)"), flush=True)
        for interval in (0.1, 0.5, 1.0):
            workers = start_workers(1, interval)
            time.sleep(3)
            committed = {}
            for n in range(100):
                with transaction.atomic():
                    outbox.notify("place_notice", f"latency:{interval}:{n}", subject="x")
                committed[str(OutboxMessage.objects.get(event=f"latency:{interval}:{n}").delivery_id)] = time.time()
                time.sleep(0.05)
            wait_for(lambda committed=committed: all(d in receiver.accepted for d in committed), 120, step=0.01)
            stop(workers)
            delays = sorted((receiver.accepted[d] - t) * 1000 for d, t in committed.items() if d in receiver.accepted)
            p50 = statistics.median(delays)
            p95 = delays[int(len(delays) * 0.95) - 1]
            print(f"polling every {interval} s: commit to delivery p50 {p50:.0f} ms, p95 {p95:.0f} ms "
                  f"({len(delays)}/100 delivered)", flush=True)
        assert receiver.bad_signatures == 0
        receiver.close()


if __name__ == "__main__":
    main()
