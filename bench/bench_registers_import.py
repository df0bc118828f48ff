"""Import rate of register workbooks: 10,000 and 100,000 households, and a re-import of each.

One fresh SQLite (or PostgreSQL via DATABASE_URL) database; the workbook is the tests'
synthetic one (a building per 200 households, owners with ID numbers, spouses, one home
in ten rented with a tenant, party members, elderly living alone with consent). Prints
seconds, households/s and rows/s for the first import (everything new) and for the
re-import (everything matched, nothing changes). Run: ``make bench``.
"""

import time

from common import fresh_database


def main() -> None:
    with fresh_database("import") as connection:
        from tongxin.core import counts
        from tongxin.core.models import User
        from tongxin.core.testing import two_grids
        from tongxin.registers.importer import import_registers
        from tongxin.registers.tests.sheets import synthetic

        world = two_grids()
        admin = User.objects.create_superuser(phone="13000000000", password="bench-pass")
        for households, prefix in ((10_000, "ia"), (100_000, "ib")):
            content, _ = synthetic(world.places["compound"].code, households, prefix=prefix)
            for label in ("import", "re-import"):
                start = time.perf_counter()
                outcome = import_registers(admin, content)
                seconds = time.perf_counter() - start
                assert outcome.ok, outcome.problems[:3]
                print(f"{connection.vendor}: {label} of {households:,} households ({len(content) / 1e6:.1f} MB): "
                      f"{seconds:.1f} s, {households / seconds:,.0f} households/s"
                      + (f", {outcome.unchanged_rows:,} rows unchanged" if label == "re-import" else ""), flush=True)
        assert counts.differences() == []


if __name__ == "__main__":
    main()
