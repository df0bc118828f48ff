"""Scope-walker probes for the registers: every route, aimed at grid B's records."""

from tongxin.core.models import Household
from tongxin.core.registry import Probe


def probes(world) -> list[Probe]:
    p = world.places
    household = Household.objects.filter(place=p["b2u1"]).first()
    person = household.residents.first()
    member = household.members.first()
    return [
        Probe("place-index"),
        Probe("place-index", query="q=栋"),
        *(Probe("place-detail", {"code": p[key].code}) for key in ("b2", "b2u1", "grid_b", "community")),
        Probe("place-households", {"code": p["b2u1"].code}),
        Probe("named-people", {"code": p["b2"].code}),
        Probe("rental-register", {"code": p["b2"].code}),
        Probe("rental-register", {"code": p["community"].code}),
        Probe("named-people", {"code": p["grid_b"].code}),
        Probe("household-detail", {"pk": household.pk}),
        Probe("person-detail", {"pk": person.pk}),
        Probe("person-reveal", {"pk": person.pk}, method="post"),
        Probe("household-new", {"code": p["b2u1"].code}),
        Probe(
            "household-new", {"code": p["b2u1"].code}, method="post",
            data={"form_key": "walk-1", "unit_number": "7777", "tenure": "rented"},
        ),
        Probe("area-coverage", {"code": p["grid_b"].code}),
        Probe(
            "area-coverage", {"code": p["grid_b"].code}, method="post",
            data={"form_key": "walk-2", "places": [p["b1"].pk], "on": "2026-01-01"},
        ),
        Probe("member-new", {"pk": household.pk}),
        Probe(
            "member-new", {"pk": household.pk}, method="post",
            data={"form_key": "walk-3", "name": "闯入者", "relation": "family", "lives_here": "on"},
        ),
        Probe("member-end", {"pk": household.pk, "member_pk": member.pk}, method="post"),
        Probe("household-move", {"pk": household.pk}),
        Probe(
            "household-move", {"pk": household.pk}, method="post", data={"form_key": "walk-4", "to_place": "t-b1-u1"}
        ),
        Probe("person-groups", {"pk": person.pk}),
        Probe("person-groups", {"pk": person.pk}, method="post", data={"form_key": "walk-5", "tags": ["veteran"]}),
        Probe("register-import"),
        Probe("register-import-template"),
        Probe("register-import", method="post", data={"form_key": "walk-6", "check_only": "on"}),
        Probe("api:place-list"),
        Probe("api:place-list", query="parent=t-compound"),
        Probe("api:place-detail", {"code": p["b2"].code}),
        Probe("api:household-list"),
        Probe("api:household-detail", {"pk": household.pk}),
        Probe("api:resident-list"),
        Probe("api:resident-detail", {"pk": person.pk}),
    ]
