"""The tree page's time and query count at 1,000 and at 100,000 households.

Builds a fresh database (SQLite in a temporary folder, or the PostgreSQL server named by
``DATABASE_URL`` in a database of its own), fills it in two steps, and times the place
page for a district, a community, a grid and an entrance through Django's test client
(the whole request: middleware, access, selectors, template). Prints the median of
``--runs`` requests per page. Run: ``make bench`` or ``.venv/bin/python bench/bench_tree_page.py``.
"""

import argparse
import statistics
import time

from common import entrances_under, fresh_database


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with fresh_database("tree") as connection:
        measure_all(connection, args.runs)


def measure_all(connection, runs: int) -> None:
    from django.test import Client

    from tongxin.core.models import User
    from tongxin.core.services.places import cover
    from tongxin.core.testing import bulk_households, count_queries, two_grids

    world = two_grids()
    entrances = entrances_under(world.places["compound"], 50, "bb")
    for building in {entrance.parent for entrance in entrances}:
        cover(world.places["grid_a"], [building])
    admin = User.objects.create_superuser(phone="13000000000", password="bench-pass")
    client = Client()
    client.force_login(admin)
    pages = {"district": "t-district", "community": "t-community", "grid": "t-grid-a", "entrance": "bb0-u1"}

    def measure(label: str) -> None:
        for name, code in pages.items():
            with count_queries() as captured:
                assert client.get(f"/places/{code}/").status_code == 200
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                client.get(f"/places/{code}/")
                times.append((time.perf_counter() - start) * 1000)
            print(f"{label:>18}  {name:<10} {statistics.median(times):8.1f} ms median  "
                  f"{min(times):8.1f} ms min  {len(captured):3d} queries")

    print(f"database: {connection.vendor}; {runs} requests per page")
    bulk_households(entrances, 10, start=0)  # 1,000 households
    measure("1,000 households")
    bulk_households(entrances, 990, start=10)  # 100,000 households
    measure("100,000 households")


if __name__ == "__main__":
    main()
