"""Concurrent writers: the database decides, nobody sees "database is locked"."""

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.db import connection

from tongxin.core.models import Place
from tongxin.core.services.places import create_place

ROOT = Path(__file__).resolve().parents[3]

WRITER = """
import django, os, sys
django.setup()
from django.db import transaction
from tongxin.core.models import LoginFailure
for n in range(int(sys.argv[1])):
    with transaction.atomic():
        seen = LoginFailure.objects.filter(phone=sys.argv[2]).count()  # read, then write
        LoginFailure.objects.create(phone=sys.argv[2], ip=None)
print("ok")
"""


@pytest.mark.multiprocess
def test_sqlite_web_and_worker_processes_never_hit_database_is_locked(tmp_path):
    """WAL + IMMEDIATE transactions: four processes writing at once all succeed."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "tongxin.settings", "TONGXIN_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, "150", f"1300000000{n}"], cwd=ROOT, env=env,
                         stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for n in range(4)
    ]
    results = [writer.communicate(timeout=300) for writer in writers]
    for writer, (out, err) in zip(writers, results, strict=True):
        assert writer.returncode == 0 and out.strip() == "ok", err[-2000:]
        assert "database is locked" not in err
    assert _django(env, "from tongxin.core.models import LoginFailure as F; print(F.objects.count())") == "600"
    journal = "from django.db import connection as c; k = c.cursor(); k.execute('PRAGMA journal_mode')"
    journal += "; print(k.fetchone()[0])"
    assert _django(env, journal) == "wal"


def _django(env, code: str) -> str:
    done = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code.replace("; ", "\n")],
        cwd=ROOT, env=env, capture_output=True, text=True, check=True,
    )
    return done.stdout.strip()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_places_created_at_once_under_one_parent_all_get_their_own_path():
    assert connection.vendor == "postgresql"
    parent = create_place(parent=None, kind="community", code="race", name="并发社区")
    errors: list[BaseException] = []
    barrier = threading.Barrier(8)

    def add(n: int) -> None:
        try:
            barrier.wait()
            create_place(parent=parent, kind="building", code=f"race-{n}", name=f"{n}栋")
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors
    paths = list(Place.objects.filter(parent=parent).values_list("path", flat=True))
    assert len(paths) == len(set(paths)) == 8
