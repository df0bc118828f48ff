"""Time to export the household and resident registers of 100,000 households to Excel.

Same set-up as ``bench_tree_page.py`` (a fresh SQLite, or PostgreSQL via DATABASE_URL);
exports as a superuser (unmasked, every read logged) and prints seconds and rows/s.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_tree_page import setup_django  # noqa: E402


def main() -> None:
    base = os.environ.get("DATABASE_URL")
    database_url = None
    if base:
        import psycopg

        name = f"tongxin_bench_export_{os.getpid()}"
        with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f"CREATE DATABASE {name}")
        database_url = base.rsplit("/", 1)[0] + "/" + name
    setup_django(database_url)

    from django.core.management import call_command
    from django.db import connection

    from tongxin.core.models import User
    from tongxin.core.services.places import create_place
    from tongxin.core.testing import bulk_households, two_grids
    from tongxin.registers.workbook import write_registers

    call_command("migrate", verbosity=0)
    world = two_grids()
    entrances = []
    for b in range(50):
        building = create_place(parent=world.places["compound"], kind="building", code=f"eb{b}", name=f"E{b}栋")
        for u in (1, 2):
            entrances.append(create_place(parent=building, kind="entrance", code=f"eb{b}-u{u}", name=f"{u}单元"))
    bulk_households(entrances, 1000)
    admin = User.objects.create_superuser(phone="13000000000", password="bench-pass")
    start = time.perf_counter()
    _name, content = write_registers(admin, world.places["district"])
    seconds = time.perf_counter() - start
    print(f"database: {connection.vendor}")
    print(f"export of 100,012 households and their residents: {seconds:.1f} s, "
          f"{100_012 / seconds:,.0f} households/s, {len(content) / 1e6:.1f} MB")
    if database_url:
        connection.close()
        with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database_url.rsplit('/', 1)[1]}")


if __name__ == "__main__":
    main()
