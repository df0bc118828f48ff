"""The scope walker: every role requests every route with another grid's records.

``walk(world)`` logs in as a holder of every role (except the administrator, who sees
everything by design), each scoped to grid A of ``core.testing.two_grids``; plants
``OUTSIDE_MARKER`` in the names of grid B's places, households, people and
organisations; and sends every probe that the mechanisms declare
(``MechanismConfig.scope_probes``). A problem is reported when a response shows the
marker (a ``public`` probe, a capability URL such as a QR page, may show its place's
name and the notices posted there), a request fails with a server error, grid B's records change, or a route has no
probe at all, so that a new route cannot skip the walk. The Django admin (``admin:``) is
left out: it is the superusers' back office, not scoped by role.
"""

from __future__ import annotations

import datetime

from django.db.models import Q
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tongxin.core.models import (
    GridCoverage,
    Household,
    HouseholdMember,
    HouseholdMove,
    Organisation,
    OrganisationMember,
    OrganisationPlace,
    Person,
    PersonalDataRead,
    PersonTag,
    Place,
    PlaceNotice,
)
from tongxin.core.registry import Probe, mechanisms
from tongxin.core.roles import ROLES
from tongxin.core.testing import OUTSIDE_MARKER, login_for

SKIPPED_NAMESPACES = ("admin",)
BUILDING_ROLES = {
    "building_chief", "building_party_member", "building_volunteer", "party_group_leader",
    "party_member_household", "resident_representative", "group_leader", "police_liaison", "family_doctor",
}


def route_names(urlconf=None) -> set[str]:
    def walk(patterns, namespace=None):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace])) or None
                if inner and inner.split(":")[0] in SKIPPED_NAMESPACES:
                    continue
                yield from walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                if "format" in str(pattern.pattern):
                    continue  # ".json" twins of API routes: same view, same scope
                name = pattern.name or f"<unnamed {pattern.pattern}>"
                yield f"{namespace}:{name}" if namespace else name

    return set(walk(get_resolver(urlconf).url_patterns))


def declared_probes(world) -> list[Probe]:
    found = []
    for config in mechanisms():
        provider = config.resolve("scope_probes")
        if provider:
            found.extend(provider(world))
    return found


def role_logins(world) -> dict[str, object]:
    """One login per role, each held inside grid A (organisation roles at bodies serving building 1)."""
    p = world.places
    since = datetime.date(2020, 1, 1)
    bodies = {}
    kinds = (
        ("property_staff", "property_company"), ("owners_committee_member", "owners_committee"),
        ("branch_secretary", "party_branch"),
    )
    for code, kind in kinds:
        body = Organisation.objects.create(
            code=f"walk-{kind}", name=f"走查{kind}", kind=kind, place=p["b1"], started_on=since
        )
        OrganisationPlace.objects.create(organisation=body, place=p["b1"], relation="manages", valid_from=since)
        # Its members live in grid A (a member grant must not reach grid B through them).
        resident_a = Person.objects.filter(home_path__startswith=p["b1"].path).first()
        OrganisationMember.objects.create(organisation=body, person=resident_a, valid_from=since)
        bodies[code] = body
    logins = {}
    for number, role in enumerate(ROLES, start=1):
        if role.scope == "global":
            continue
        where = {"organisation": bodies[role.code]} if role.scope == "organisation" else {
            "place": p["b1"] if role.code in BUILDING_ROLES else p["grid_a"]
        }
        logins[role.code] = login_for(world, f"walk-{role.code}", role.code, phone=f"1550000{number:04d}", **where)
    return logins


def plant_markers(world) -> None:
    b2 = world.places["b2"]
    for place in Place.objects.filter(path__gte=b2.path, path__lt=b2.path_end):
        Place.objects.filter(pk=place.pk).update(name=f"{OUTSIDE_MARKER}{place.name}")
    for household in Household.objects.filter(place_path__gte=b2.path, place_path__lt=b2.path_end):
        Household.objects.filter(pk=household.pk).update(unit_number=f"{OUTSIDE_MARKER}{household.unit_number}")


def fingerprint(world) -> tuple:
    """Everything about grid B that a request from outside it must not change."""
    b2, grid_b = world.places["b2"], world.places["grid_b"]
    in_b2 = Q(place_path__gte=b2.path, place_path__lt=b2.path_end)
    households = Household.objects.filter(in_b2)
    people = Person.objects.filter(home_path__gte=b2.path, home_path__lt=b2.path_end)
    return (
        sorted(households.values_list("id", "place_id", "unit_number", "tenure")),
        sorted(people.values_list("id", "household_id", "name", "phone")),
        HouseholdMember.objects.filter(household__in=households, valid_to__isnull=True).count(),
        sorted(PersonTag.objects.filter(person__in=people).values_list("person_id", "tag")),
        HouseholdMove.objects.filter(Q(household__in=households) | Q(to_place__path__startswith=b2.path)).count(),
        sorted(GridCoverage.objects.filter(grid=grid_b).values_list("place_id", "valid_to")),
        PersonalDataRead.objects.filter(person__in=people).count(),
    )


def walk(world, *, extra: list[Probe] = (), urlconf=None) -> list[str]:
    logins = role_logins(world)
    probes = [*declared_probes(world), *extra]
    plant_markers(world)
    # What a public page may show of grid B: its places' names and the notices posted there.
    public = [*Place.objects.filter(name__startswith=OUTSIDE_MARKER).values_list("name", flat=True)]
    for title, text in PlaceNotice.objects.values_list("title", "body"):
        public += [title, text]
    place_names = sorted(public, key=len, reverse=True)
    units = {id(probe): list(Household.objects.filter(pk__in=probe.households).values_list("unit_number", flat=True))
             for probe in probes if probe.households}
    problems = [f"no probe for route {name}" for name in sorted(route_names(urlconf) - {p.url_name for p in probes})]
    for role, user in logins.items():
        client = Client()
        client.force_login(user)
        before = fingerprint(world)
        answered = 0
        for probe in probes:
            url = reverse(probe.url_name, kwargs=probe.kwargs, urlconf=urlconf)
            url += f"?{probe.query}" if probe.query else ""
            response = getattr(client, probe.method)(url, probe.data or {})
            body = response.content.decode(errors="replace")
            if probe.public:  # it may name its place (and its household's unit); nothing else of grid B
                for name in [*units.get(id(probe), ()), *place_names]:
                    body = body.replace(name, "")
            if OUTSIDE_MARKER in body:
                problems.append(f"{role}: {probe.method.upper()} {url} shows grid B's records")
            if response.status_code >= 500:
                problems.append(f"{role}: {probe.method.upper()} {url} failed with {response.status_code}")
            answered += response.status_code == 200
            client.force_login(user)  # a probe may have logged out or switched language
        if answered < 5:  # a positive control: the role's own pages do open
            problems.append(f"{role}: only {answered} requests answered 200; is the login working?")
        if fingerprint(world) != before:
            problems.append(f"{role}: requests from grid A changed grid B's records")
    return problems
