"""Time to export the household and resident registers of 100,000 households to Excel.

A fresh SQLite (or PostgreSQL via DATABASE_URL); exports as a superuser (unmasked, every
read logged) and prints seconds and households/s. Run: ``make bench``.
"""

import time

from common import entrances_under, fresh_database


def main() -> None:
    with fresh_database("export") as connection:
        from tongxin.core.models import User
        from tongxin.core.testing import bulk_households, two_grids
        from tongxin.registers.workbook import write_registers

        world = two_grids()
        bulk_households(entrances_under(world.places["compound"], 50, "eb"), 1000)
        admin = User.objects.create_superuser(phone="13000000000", password="bench-pass")
        start = time.perf_counter()
        _name, content = write_registers(admin, world.places["district"])
        seconds = time.perf_counter() - start
        print(f"database: {connection.vendor}")
        print(f"export of 100,012 households and their residents: {seconds:.1f} s, "
              f"{100_012 / seconds:,.0f} households/s, {len(content) / 1e6:.1f} MB")


if __name__ == "__main__":
    main()
