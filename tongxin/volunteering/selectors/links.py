"""The three links (三联系, seed 003): what the coverage page reads.

Every household of a place should have a linked member or helper (a live
:class:`HouseholdLink`). The page counts, **by building**, the households, those linked and
those with nobody, and suggests nearby approved members. Its queries do not grow with the
households or the members: the buildings come with their counts in one query (subqueries
over ``place_path`` ranges, the live links through the ``householdlink_current_path``
index), the households with nobody in one, the links in one, the members in one.

The pure rules (range intersection, how near a member lives, the suggestions' order) come
first and have table-driven tests; the reads below them go through ``core.access``.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from django.db.models import Count, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tongxin.core import access
from tongxin.core.models import Household, Organisation, OrganisationRelation, Place, PlaceKind
from tongxin.core.privacy import mask_name
from tongxin.core.tree import SEGMENT_WIDTH, intersect_ranges, lineage, merge_ranges
from tongxin.volunteering.apps import MANAGE, VIEW_LEDGER
from tongxin.volunteering.models import Enrolment, HouseholdLink, Status

#: What the coverage page counts households by: a building (its entrances' households
#: included), or a village's courtyard.
BLOCK_KINDS = (PlaceKind.BUILDING, PlaceKind.COURTYARD)
#: What a viewer may choose to look at, besides the highest places of their scope.
CHOOSABLE_KINDS = (PlaceKind.COMMUNITY, PlaceKind.VILLAGE, PlaceKind.AREA, PlaceKind.GRID, PlaceKind.COMPOUND,
                   PlaceKind.VILLAGER_GROUP)
COMMUNITY_KINDS = (PlaceKind.COMMUNITY, PlaceKind.VILLAGE)
PARTY_KINDS = ("party_committee", "party_branch", "party_group")
#: Suggestions shown per building.
SUGGESTIONS_PER_BLOCK = 5
#: At most this many places in the chooser.
MAX_CHOICES = 300

# How near a member lives to a building: the suggestions' first key.
SAME_BUILDING, SAME_COMPOUND, SAME_COMMUNITY = 0, 1, 2
NEARNESS_LABELS = {SAME_BUILDING: _("same building"), SAME_COMPOUND: _("same compound"),
                   SAME_COMMUNITY: _("same community")}


# --- pure rules ----------------------------------------------------------------------------
def intersect(first, second) -> list[tuple[str, str]]:
    """The half-open path ranges in both lists (``access.ALL`` stands for everything)."""
    if first == access.ALL:
        return merge_ranges(list(second)) if second != access.ALL else access.ALL
    if second == access.ALL:
        return merge_ranges(list(first))
    return intersect_ranges(first, second)


def within(path: str, start: str, end: str) -> bool:
    return bool(path) and start <= path < end


def nearness(home_path: str, block_path: str, block_end: str, community_path: str) -> int | None:
    """How near a member living at ``home_path`` (enrolled in the community at
    ``community_path``) is to a building: the same building, the same compound (the
    building's parent), the same community; None when the member is not of its community."""
    if not (block_path.startswith(community_path) and community_path):
        return None
    if within(home_path, block_path, block_end):
        return SAME_BUILDING
    parent = block_path[:-SEGMENT_WIDTH]
    if len(parent) > len(community_path) and home_path.startswith(parent):
        return SAME_COMPOUND
    return SAME_COMMUNITY


def suggestion_order(nearness_rank: int, current_links: int, name: str, enrolment_id: int) -> tuple:
    """Nearest first, then those with the fewest current links, then by name (stable)."""
    return (nearness_rank, current_links, name, enrolment_id)


# --- scope -----------------------------------------------------------------------------------
def viewer_ranges(user):
    """Where the viewer may see coverage: ``volunteering.manage`` or ``view_ledger`` places."""
    granted = [access.ranges(user, permission) for permission in (MANAGE, VIEW_LEDGER)]
    if access.ALL in granted:
        return access.ALL
    return merge_ranges([r for found in granted for r in found])


def can_view(user) -> bool:
    return bool(viewer_ranges(user))


def can_manage_path(user, path: str) -> bool:
    return access.can_see_path(user, MANAGE, path)


def _ranges_q(found, field_name: str) -> Q:
    return Q() if found == access.ALL else access.ranges_q(found, field_name)


def choices(user) -> list[Place]:
    """The places the viewer may choose: the highest of their scope, and the communities,
    areas, grids and compounds within it, in tree order."""
    found = viewer_ranges(user)
    if not found:
        return []
    roots = Q(parent__isnull=True) if found == access.ALL else Q(path__in=[start for start, _end in found])
    kinds = Q(kind__in=CHOOSABLE_KINDS) & _ranges_q(found, "path")
    return list(Place.objects.filter(roots | kinds, retired_on__isnull=True).order_by("path")[:MAX_CHOICES])


def chosen_place(user, code: str | None, options: list[Place]) -> Place | None:
    """The place asked for (in scope, else 404), or the first community among the options."""
    found = viewer_ranges(user)
    if code:
        place = Place.objects.filter(code=code).first()
        if place is None or not found:
            raise Http404
        if found != access.ALL and not any(within(place.path, s, e) for s, e in found):
            raise Http404
        return place
    preference = [*COMMUNITY_KINDS, PlaceKind.AREA, PlaceKind.GRID, PlaceKind.COMPOUND]
    rank = {kind: index for index, kind in enumerate(preference)}
    return min(options, key=lambda p: (rank.get(p.kind, len(preference)), p.path), default=None)


def scope_of(user, place: Place):
    """The path ranges the page covers: the place's own (a grid's: what it covers) that the
    viewer may see."""
    return intersect(access.place_ranges(place), viewer_ranges(user))


# --- the page --------------------------------------------------------------------------------
@dataclass
class Suggestion:
    enrolment_id: int
    name: str
    nearness: int
    links: int

    @property
    def nearness_label(self):
        return NEARNESS_LABELS[self.nearness]


@dataclass
class BlockRow:
    place: Place
    households: int
    linked: int
    links: int
    unlinked: list = field(default_factory=list)  # {"id", "unit_number", "entrance"}
    link_rows: list = field(default_factory=list)  # {"link_id", "unit_number", "entrance", "member", "since"}
    suggestions: list[Suggestion] = field(default_factory=list)  # every candidate, best first

    @property
    def top(self) -> list[Suggestion]:
        return self.suggestions[:SUGGESTIONS_PER_BLOCK]

    @property
    def nobody(self) -> int:
        return self.households - self.linked

    @property
    def share(self) -> int:
        """Percent of households linked."""
        return round(100 * self.linked / self.households) if self.households else 100


@dataclass
class MemberRow:
    enrolment_id: int
    name: str
    kind: str
    home: str
    links: int  # current links, anywhere
    households: list = field(default_factory=list)  # {"link_id", "unit_number", "block", "since"}


@dataclass
class Coverage:
    place: Place
    blocks: list[BlockRow]
    members: list[MemberRow]
    pairings: list[dict]
    households: int = 0
    linked: int = 0
    links: int = 0

    @property
    def nobody(self) -> int:
        return self.households - self.linked

    @property
    def share(self) -> int:
        return round(100 * self.linked / self.households) if self.households else 100


def _count(queryset) -> Subquery:
    """A correlated ``COUNT(*)`` of ``queryset`` (one value per outer row)."""
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


def live_links():
    return HouseholdLink.objects.filter(valid_to__isnull=True)


def blocks_with_counts(found):
    """The buildings in ``found`` with their households, households linked and live links:
    one query, however many households and links there are."""
    in_block = {"place_path__gte": OuterRef("path"), "place_path__lt": OuterRef("path_end")}
    open_households = Household.objects.filter(closed_on__isnull=True, **in_block)
    linked = Exists(live_links().filter(household_id=OuterRef("pk")))
    return (
        Place.objects.filter(_ranges_q(found, "path"), kind__in=BLOCK_KINDS, retired_on__isnull=True)
        .select_related("parent")
        .annotate(
            n_households=_count(open_households),
            n_linked=_count(open_households.filter(linked)),
            n_links=_count(live_links().filter(**in_block)),
        )
        .order_by("path")
    )


def _members(user, found, block_paths: list[str]):
    """Approved members the viewer may see who could serve these buildings: enrolled in a
    community above them (or inside the scope), and living inside the viewer's places, or
    enrolled in a community the viewer covers. Each with their current links anywhere."""
    mine = viewer_ranges(user)
    communities = {path for start in [*(s for s, _e in (found if found != access.ALL else [])), *block_paths]
                   for path in lineage(start)}
    near = Q(community_path__in=communities) | _ranges_q(found, "community_path")
    visible = _ranges_q(mine, "home_path") | _ranges_q(mine, "community_path")
    return (
        Enrolment.objects.filter(near, visible, status=Status.APPROVED)
        .annotate(n_links=Count("household_links", filter=Q(household_links__valid_to__isnull=True)))
        .values("id", "kind", "person__name", "home__name", "home__parent__name", "home__kind", "home_path",
                "community_path", "n_links")
    )


def _pairings(found, block_paths: list[str]) -> list[dict]:
    """Work units' branches paired with the party organisations of the communities concerned
    (core ``OrganisationRelation`` of kind ``paired``, either way round)."""
    starts = [s for s, _e in found] if found != access.ALL else []
    above = {path for start in [*starts, *block_paths] for path in lineage(start)}
    communities = Place.objects.filter(Q(path__in=above) | _ranges_q(found, "path"), kind__in=COMMUNITY_KINDS)
    ranges = list(communities.values_list("path", "path_end")[:50])
    if not ranges:
        return []
    party = Organisation.objects.filter(access.ranges_q(ranges, "place__path"), kind__in=PARTY_KINDS)
    relations = (
        OrganisationRelation.objects.filter(kind="paired", valid_to__isnull=True)
        .filter(Q(subject__in=party) | Q(object__in=party))
        .select_related("subject__parent", "object__parent")
        .order_by("valid_from", "id")
    )
    party_ids = set(party.values_list("id", flat=True))
    rows = []
    for relation in relations:
        ours, theirs = ((relation.subject, relation.object) if relation.subject_id in party_ids
                        else (relation.object, relation.subject))
        rows.append({"community_side": ours, "unit_side": theirs,
                     "unit": theirs.parent.name if theirs.parent_id else "", "since": relation.valid_from})
    return rows


def coverage(user, place: Place, *, show_names: bool | None = None) -> Coverage:
    """The coverage of ``place`` as ``user`` may see it (see the module's docstring)."""
    found = scope_of(user, place)
    if show_names is None:
        show_names = access.has_permission(user, MANAGE)
    if not found:
        return Coverage(place, [], [], [])
    blocks = [BlockRow(b, b.n_households or 0, b.n_linked or 0, b.n_links or 0) for b in blocks_with_counts(found)]
    by_path = {row.place.path: row for row in blocks}
    starts = [row.place.path for row in blocks]

    def block_of(path: str) -> BlockRow | None:
        index = bisect_right(starts, path) - 1
        if index >= 0 and within(path, starts[index], blocks[index].place.path_end):
            return blocks[index]
        return next((by_path[p] for p in lineage(path) if p in by_path), None)

    nobody = (
        Household.objects.filter(_ranges_q(found, "place_path"), closed_on__isnull=True)
        .exclude(Exists(live_links().filter(household_id=OuterRef("pk"))))
        .values("id", "unit_number", "place_path", "place__name", "place__kind")
        .order_by("place_path", "unit_number", "id")
    )
    for household in nobody:
        row = block_of(household["place_path"])
        if row is not None:
            entrance = household["place__name"] if household["place__kind"] == PlaceKind.ENTRANCE else ""
            row.unlinked.append({"id": household["id"], "unit_number": household["unit_number"],
                                 "entrance": entrance})

    members: dict[int, MemberRow] = {}
    homes: dict[int, tuple[str, str]] = {}
    for m in _members(user, found, starts):
        name = m["person__name"] if show_names else mask_name(m["person__name"])
        home = m["home__name"] or ""
        if m["home__kind"] == PlaceKind.ENTRANCE:
            home = f"{m['home__parent__name']}{home}"
        members[m["id"]] = MemberRow(m["id"], name, m["kind"], home, m["n_links"])
        homes[m["id"]] = (m["home_path"], m["community_path"])

    links = (
        live_links().filter(_ranges_q(found, "place_path"))
        .values("id", "enrolment_id", "household__unit_number", "place_path", "household__place__name",
                "household__place__kind", "valid_from")
        .order_by("place_path", "household__unit_number", "id")
    )
    for link in links:
        member = members.get(link["enrolment_id"])
        row = block_of(link["place_path"])
        entrance = link["household__place__name"] if link["household__place__kind"] == PlaceKind.ENTRANCE else ""
        if row is not None:
            row.link_rows.append({"link_id": link["id"], "unit_number": link["household__unit_number"],
                                  "entrance": entrance, "member": member.name if member else "",
                                  "since": link["valid_from"]})
        if member is None:
            continue
        member.households.append({"link_id": link["id"], "unit_number": link["household__unit_number"],
                                  "block": row.place.name if row else "", "entrance": entrance,
                                  "since": link["valid_from"]})

    for row in blocks:
        if not row.unlinked and len(blocks) > 1:
            continue
        ranked = []
        for member in members.values():
            home_path, community_path = homes[member.enrolment_id]
            rank = nearness(home_path, row.place.path, row.place.path_end, community_path)
            if rank is not None:
                ranked.append((suggestion_order(rank, member.links, member.name, member.enrolment_id), member, rank))
        ranked.sort(key=lambda item: item[0])
        row.suggestions = [Suggestion(m.enrolment_id, m.name, rank, m.links) for _key, m, rank in ranked]

    blocks.sort(key=lambda row: (-row.nobody, row.place.path))
    result = Coverage(place, blocks, sorted(members.values(), key=lambda m: (-m.links, m.name, m.enrolment_id)),
                      _pairings(found, starts))
    result.households = sum(row.households for row in blocks)
    result.linked = sum(row.linked for row in blocks)
    result.links = sum(row.links for row in blocks)
    return result


def enrolment_for_link(user, enrolment_id) -> Enrolment:
    """An approved enrolment the viewer may see (for the link action), else 404."""
    mine = viewer_ranges(user)
    visible = _ranges_q(mine, "home_path") | _ranges_q(mine, "community_path")
    enrolment = (Enrolment.objects.filter(visible, pk=enrolment_id, status=Status.APPROVED)
                 .select_related("person").first()) if str(enrolment_id).isdigit() else None
    if enrolment is None:
        raise Http404
    return enrolment
