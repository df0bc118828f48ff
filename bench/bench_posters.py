"""Door posters: time, size and query count of the PDF for a compound of 30 and of 150 entrances.

Each entrance has a party-member household, each building a chief, the compound a party
group leader and a managing property company with staff. Times the whole request
(``/demands/posters/<code>/``) through Django's test client: gathering, template,
WeasyPrint. Run: ``make bench`` or ``.venv/bin/python bench/bench_posters.py``.
"""

import datetime
import time

from common import entrances_under, fresh_database


def main() -> None:
    with fresh_database("posters") as connection:
        measure_all(connection)


def measure_all(connection) -> None:
    from django.test import Client

    from tongxin.core.models import Organisation, OrganisationPlace, User
    from tongxin.core.services.people import create_person
    from tongxin.core.services.places import create_place
    from tongxin.core.services.roles import assign_role
    from tongxin.core.testing import count_queries, two_grids

    world = two_grids()
    admin = User.objects.create_superuser(phone="13000000000", password="bench-pass")
    client = Client()
    client.force_login(admin)
    print(f"database: {connection.vendor}")
    for buildings in (15, 75):
        code = f"pc{buildings}"
        compound = create_place(parent=world.places["community"], kind="compound", code=code, name=f"{code}小区")
        entrances = entrances_under(compound, buildings, f"{code}-")
        assign_role(create_person(name="王党组", phone="13912345678"), "party_group_leader", place=compound)
        company = Organisation.objects.create(code=f"{code}-wy", name="物业", kind="property_company",
                                              started_on=datetime.date(2024, 1, 1))
        OrganisationPlace.objects.create(organisation=company, place=compound, relation="manages",
                                         valid_from=datetime.date(2024, 1, 1))
        assign_role(create_person(name="孙物管", phone="13612345678"), "property_staff", organisation=company)
        for n, entrance in enumerate(entrances):
            assign_role(create_person(name=f"户{n}", phone="13800000000"), "party_member_household", place=entrance)
            if n % 2 == 0:
                assign_role(create_person(name=f"楼长{n}", phone="13700000000"), "building_chief",
                            place=entrance.parent)
        for run in ("first (QR codes made)", "again"):
            with count_queries() as captured:
                start = time.perf_counter()
                response = client.get(f"/demands/posters/{code}/")
                took = time.perf_counter() - start
            assert response.status_code == 200
            print(f"{len(entrances):4d} entrances + gate  {run:<22} {took:6.2f} s  "
                  f"{len(response.content) // 1024:6d} KiB  {len(captured):3d} queries")


if __name__ == "__main__":
    main()
