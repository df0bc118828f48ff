"""The tree page's time and query count at 1,000 and at 100,000 households.

Builds a fresh database (SQLite in a temporary folder, or the PostgreSQL server named by
``DATABASE_URL`` in a database of its own), fills it in two steps, and times the place
page for a district, a community, a grid and an entrance through Django's test client
(the whole request: middleware, access, selectors, template). Prints the median of
``--runs`` requests per page. Run: ``make bench`` or ``.venv/bin/python bench/bench_tree_page.py``.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def setup_django(database_url: str | None) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "tongxin.settings"
    os.environ["TONGXIN_VAR_DIR"] = tempfile.mkdtemp(prefix="tongxin-bench-")
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    base = os.environ.get("DATABASE_URL")
    database_url = None
    if base:
        import psycopg

        name = f"tongxin_bench_{os.getpid()}"
        with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {name}")
            conn.execute(f"CREATE DATABASE {name}")
        database_url = base.rsplit("/", 1)[0] + "/" + name
    setup_django(database_url)

    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from tongxin.core.models import User
    from tongxin.core.services.places import cover, create_place
    from tongxin.core.testing import bulk_households, count_queries, two_grids

    call_command("migrate", verbosity=0)
    world = two_grids()
    entrances = []
    for b in range(50):
        building = create_place(parent=world.places["compound"], kind="building", code=f"bb{b}", name=f"B{b}栋")
        cover(world.places["grid_a"], [building])
        for u in (1, 2):
            entrances.append(create_place(parent=building, kind="entrance", code=f"bb{b}-u{u}", name=f"{u}单元"))
    admin = User.objects.create_superuser(phone="13000000000", password="bench-pass")
    client = Client()
    client.force_login(admin)
    pages = {"district": "t-district", "community": "t-community", "grid": "t-grid-a", "entrance": "bb0-u1"}

    def measure(label: str) -> None:
        for name, code in pages.items():
            with count_queries() as captured:
                assert client.get(f"/places/{code}/").status_code == 200
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                client.get(f"/places/{code}/")
                times.append((time.perf_counter() - start) * 1000)
            print(f"{label:>18}  {name:<10} {statistics.median(times):8.1f} ms median  "
                  f"{min(times):8.1f} ms min  {len(captured):3d} queries")

    print(f"database: {connection.vendor}; {args.runs} requests per page")
    bulk_households(entrances, 10, start=0)  # 1,000 households
    measure("1,000 households")
    bulk_households(entrances, 990, start=10)  # 100,000 households
    measure("100,000 households")
    if database_url:
        connection.close()
        with psycopg.connect(base.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {database_url.rsplit('/', 1)[1]}")


if __name__ == "__main__":
    main()
