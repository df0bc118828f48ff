"""What every benchmark needs: Django on a database of its own, and a tree to fill."""

import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


@contextmanager
def fresh_database(label: str):
    """Django set up on a new SQLite file, or a new PostgreSQL database when DATABASE_URL is set."""
    base = os.environ.get("DATABASE_URL")
    server = base.rsplit("/", 1)[0] if base else None
    name = f"tongxin_bench_{label}_{os.getpid()}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "tongxin.settings"
    os.environ["TONGXIN_VAR_DIR"] = tempfile.mkdtemp(prefix="tongxin-bench-")
    if server:
        import psycopg

        with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        os.environ["DATABASE_URL"] = f"{server}/{name}"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    try:
        yield connection
    finally:
        if server:
            connection.close()
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {name}")


def entrances_under(parent, buildings: int, prefix: str) -> list:
    """``buildings`` buildings of two entrances each under ``parent``."""
    from tongxin.core.services.places import create_place

    made = []
    for b in range(buildings):
        building = create_place(parent=parent, kind="building", code=f"{prefix}{b}", name=f"{prefix.upper()}{b}栋")
        for u in (1, 2):
            made.append(create_place(parent=building, kind="entrance", code=f"{prefix}{b}-u{u}", name=f"{u}单元"))
    return made
