"""Door posters (seed 004: 把党小组长、楼栋长、物管员、党员中心户的情况在各个楼栋门口公布).

One A4 page per QR place (an entrance, a compound's gate, a villager group, a courtyard,
a facility): the place's name, its QR code (``/q/<token>/``), a short instruction, and the
people residents can turn to there, by name with the phone **masked** (the poster hangs
on a public door). Queries do not grow with the pages: one for the places' ancestors, one
for the QR tokens (two more the first time codes are made), one for the people at places,
two for the property staff.

Who is shown for each role is the nearest holder: at the door itself, else at its
building, else at the compound (a party group leader often serves a whole compound).
Property staff are those of the organisations that currently manage the place or a
place above it, the nearest such organisation first.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import segno
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import OrganisationPlace, Place, PlaceKind, PlaceRelation
from tongxin.core.privacy import mask_phone
from tongxin.core.tree import ancestor_paths
from tongxin.demands.apps import DISPATCH
from tongxin.demands.services import QR_KINDS, ensure_qr_codes

#: Over this many pages the web page refuses and points to ``tongxin posters``.
MAX_WEB_PAGES = 500
#: Names shown per role at most (a building may have several party-member households).
MAX_PER_ROLE = 4
#: (role code, Chinese label, English label), in the order of seed 004.
POSTER_ROLES = (
    ("party_group_leader", "党小组长", "Party group leader"),
    ("building_chief", "楼栋长", "Building chief"),
    ("property_staff", "物管员", "Property staff"),
    ("party_member_household", "党员中心户", "Party-member household"),
)
PLACE_ROLES = tuple(code for code, _zh, _en in POSTER_ROLES if code != "property_staff")
#: How far up a door looks for its people: the door, its building or courtyard, its compound.
LOCAL_KINDS = frozenset({
    PlaceKind.ENTRANCE, PlaceKind.BUILDING, PlaceKind.COURTYARD, PlaceKind.VILLAGER_GROUP, PlaceKind.COMPOUND,
    PlaceKind.FACILITY,
})
#: Where the big title starts: the compound or villager group (above it, the small line).
TITLE_FROM = frozenset({PlaceKind.COMPOUND, PlaceKind.VILLAGER_GROUP, PlaceKind.VILLAGE})


@dataclass
class Contact:
    name: str
    phone: str  # masked


@dataclass
class PosterRole:
    label: str
    label_en: str
    people: list[Contact] = field(default_factory=list)


@dataclass
class Poster:
    place: Place
    above: str  # "测试区 测试街道 测试社区"
    title: str  # "测试小区 1栋 1单元"
    url: str
    qr: str  # an SVG data URI
    roles: list[PosterRole]


def poster_places(place: Place, user=None):
    """The doors a poster run for ``place`` prints: the place alone if it is a door with none
    under it, else every current QR place in its subtree (a compound: its gate, every
    entrance, its facilities), or for a grid in the places it covers, by path. With ``user``,
    only those in their dispatch scope."""
    inside = access.ranges_q(access.place_ranges(place))  # a grid's doors: in the places it covers
    doors = Place.objects.filter(inside, kind__in=QR_KINDS, retired_on__isnull=True).order_by("path")
    if user is not None:
        doors = doors.filter(access.path_filter(user, DISPATCH))
    return doors


def _chains(places: list[Place], kinds: dict[str, str]) -> dict[int, list[str]]:
    """Each place's own path and its ancestors' up to the compound: nearest first."""
    chains = {}
    for place in places:
        chain = [place.path]
        for path in reversed(ancestor_paths(place.path)):
            if kinds.get(path) not in LOCAL_KINDS:
                break
            chain.append(path)
        chains[place.pk] = chain
    return chains


def _holders_at_places(paths: set[str], on: datetime.date) -> dict[tuple[str, str], list[Contact]]:
    """(place path, role) → the people holding it there: one statement."""
    rows = (
        access.current_assignments(on)
        .filter(role__in=PLACE_ROLES, place__path__in=paths)
        .order_by("person__name", "id")
        .values_list("place__path", "role", "person__name", "person__phone")
    )
    found: dict[tuple[str, str], list[Contact]] = {}
    for path, role, name, phone in rows:
        found.setdefault((path, role), []).append(Contact(name, mask_phone(phone)))
    return found


def _property_staff(paths: set[str], on: datetime.date) -> dict[str, list[Contact]]:
    """place path → the property staff of the organisations managing it: two statements."""
    links = (
        OrganisationPlace.objects.filter(
            place__path__in=paths, relation=PlaceRelation.MANAGES, valid_from__lte=on,
        )
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gt=on))
        .filter(Q(organisation__ended_on__isnull=True) | Q(organisation__ended_on__gt=on))
        .values_list("place__path", "organisation_id")
    )
    orgs_at: dict[str, list[int]] = {}
    for path, org in links:
        orgs_at.setdefault(path, []).append(org)
    if not orgs_at:
        return {}
    staff: dict[int, list[Contact]] = {}
    rows = (
        access.current_assignments(on)
        .filter(role="property_staff", organisation_id__in={o for orgs in orgs_at.values() for o in orgs})
        .order_by("person__name", "id")
        .values_list("organisation_id", "person__name", "person__phone")
    )
    for org, name, phone in rows:
        staff.setdefault(org, []).append(Contact(name, mask_phone(phone)))
    return {path: [c for org in sorted(orgs) for c in staff.get(org, [])] for path, orgs in orgs_at.items()}


def posters_for(places: list[Place], base_url: str) -> list[Poster]:
    """What each page shows, for all the pages in a fixed number of statements."""
    on = timezone.localdate()
    wanted = {path for place in places for path in ancestor_paths(place.path)}
    above = {path: (name, kind) for path, name, kind in Place.objects.filter(path__in=wanted)
             .values_list("path", "name", "kind")}
    kinds = {path: kind for path, (_name, kind) in above.items()}
    for place in places:
        kinds[place.path] = place.kind
    chains = _chains(places, kinds)
    every_path = {path for chain in chains.values() for path in chain}
    held = _holders_at_places(every_path, on)
    chain_above = {path for place in places for path in [place.path, *ancestor_paths(place.path)]}
    property_staff = _property_staff(chain_above, on)
    tokens = ensure_qr_codes(places)
    base = base_url.rstrip("/")
    posters = []
    for place in places:
        names = [above[p] for p in ancestor_paths(place.path) if p in above] + [(place.name, place.kind)]
        start = min((i for i, (_n, kind) in enumerate(names) if kind in TITLE_FROM), default=len(names) - 1)
        roles = []
        for code, zh, en in POSTER_ROLES:
            if code == "property_staff":
                up = [place.path, *reversed(ancestor_paths(place.path))]
                people = next((property_staff[p] for p in up if property_staff.get(p)), [])
            else:
                people = next((held[(p, code)] for p in chains[place.pk] if (p, code) in held), [])
            roles.append(PosterRole(zh, en, people[:MAX_PER_ROLE]))
        url = f"{base}/q/{tokens[place.pk]}/"
        posters.append(Poster(
            place=place, above=" ".join(n for n, _k in names[:start]), title=" ".join(n for n, _k in names[start:]),
            url=url, qr=segno.make(url, error="h", micro=False).svg_data_uri(border=0, omitsize=True), roles=roles,
        ))
    return posters


def render_pdf(html: str) -> bytes:
    """HTML → PDF with nothing fetched from outside: only ``data:`` URIs are read."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    fetcher = URLFetcher(allowed_protocols={"data"}, timeout=1, allow_redirects=False)
    return HTML(string=html, base_url="data:,", url_fetcher=fetcher).write_pdf()


def poster_html(places: list[Place], base_url: str) -> str:
    return render_to_string("demands/posters.html", {
        "posters": posters_for(places, base_url), "printed_on": timezone.localdate(),
    })


def poster_pdf(places: list[Place], base_url: str) -> bytes:
    """One A4 page per place, in the order given."""
    return render_pdf(poster_html(places, base_url))
