"""Reads, scoped (``docs/emergencies.md``): the notices one may see, the live board, a block's
households, and the report. The board's queries do not grow with the households: targets come
from the tree's counters, reached households are counted per block in one grouped query, and
the lists are bounded."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q

from tongxin.core import access
from tongxin.core.models import HouseholdMember, PersonTag, Place, PlaceCount, Tenure
from tongxin.core.privacy import log_reads, mask_name, mask_phone
from tongxin.core.roles import VIEW_PERSONAL
from tongxin.core.tree import path_end
from tongxin.emergencies import rules
from tongxin.emergencies.apps import RAISE, REACH, VIEW
from tongxin.emergencies.models import EmergencyNotice, Reach, Way

#: Longest lists on the board (the rest is one tap away on the block's page).
LIST_LIMIT = 50
#: A block's page lists at most this many households (a building has a few hundred).
BLOCK_LIMIT = 600


def visible(user):
    """Notices for places within or above the user's places (a compound's typhoon warning
    reaches the grid worker of one of its buildings)."""
    return EmergencyNotice.objects.filter(access.within_or_above_q(user, VIEW, "place_path")).select_related("place")


def can_see(user, notice: EmergencyNotice) -> bool:
    return visible(user).filter(pk=notice.pk).exists()


def can_reach(user, notice: EmergencyNotice) -> bool:
    return access.has_permission(user, REACH) and notice.closed_at is None


def can_close(user, notice: EmergencyNotice) -> bool:
    return access.can_see_path(user, RAISE, notice.place_path) and notice.closed_at is None


def can_raise_at(user):
    return Place.objects.filter(access.path_filter(user, RAISE), kind__in=rules.NOTICE_PLACE_KINDS).order_by("path")


def _within(notice: EmergencyNotice, field_name: str = "path") -> Q:
    return Q(**{f"{field_name}__gte": notice.place_path, f"{field_name}__lt": path_end(notice.place_path)})


def scoped_q(user, notice: EmergencyNotice, field_name: str) -> Q:
    """Inside the notice's place and inside what the user may see."""
    return _within(notice, field_name) & access.path_filter(user, VIEW, field_name)


@dataclass
class BlockRow:
    place: Place
    target: int
    reached: int

    @property
    def remaining(self) -> int:
        return max(self.target - self.reached, 0)


@dataclass
class HouseholdRow:
    pk: int
    place_name: str
    unit: str
    path: str
    head: str  # masked unless the viewer's role needs the name
    phone: str  # masked unless the viewer's role needs it (to call)
    vulnerable: bool
    person_id: int = 0  # whose name and phone are shown
    reach: Reach | None = None

    @property
    def reached(self) -> bool:
        return self.reach is not None


@dataclass
class Board:
    notice: EmergencyNotice
    blocks: list[BlockRow]
    help: list[Reach]
    vulnerable: list[HouseholdRow]
    target: int = 0
    reached: int = 0
    more_vulnerable: bool = False
    by_way: dict[str, int] = field(default_factory=dict)

    @property
    def remaining(self) -> int:
        return max(self.target - self.reached, 0)


def _vulnerable_q() -> Exists:
    return Exists(PersonTag.objects.filter(person_id=OuterRef("person_id"), tag__in=rules.VULNERABLE_TAGS))


def _blocks(user, notice: EmergencyNotice) -> list[Place]:
    if notice.place.kind in rules.BLOCK_KINDS:
        candidates = Place.objects.filter(pk=notice.place_id)
    else:
        candidates = Place.objects.filter(_within(notice), kind__in=rules.BLOCK_KINDS)
    return list(candidates.filter(access.path_filter(user, VIEW)).order_by("path"))


def board(user, notice: EmergencyNotice) -> Board:
    """The live board: per block the households to reach and reached, the calls for help, and
    the vulnerable households not yet reached (first). Six queries at any size."""
    blocks = _blocks(user, notice)
    counted: dict[int, dict[str, int]] = {}
    for place_id, metric, value in PlaceCount.objects.filter(
            place__in=blocks, metric__in=("households", "vacant")).values_list("place_id", "metric", "value"):
        counted.setdefault(place_id, {})[metric] = value
    reached = dict(Reach.objects.filter(notice=notice, block__in=blocks).values("block")
                   .annotate(n=Count("id")).values_list("block", "n"))
    rows = [BlockRow(b, max(counted.get(b.pk, {}).get("households", 0) - counted.get(b.pk, {}).get("vacant", 0), 0),
                     reached.get(b.pk, 0)) for b in blocks]
    rows.sort(key=lambda r: (-r.remaining, r.place.path))
    help_calls = list(Reach.objects.filter(scoped_q(user, notice, "place_path"), notice=notice, needs_help=True,
                                           help_handled_at__isnull=True)
                      .select_related("household__place").order_by("at")[:LIST_LIMIT])
    vulnerable = _unreached_vulnerable(user, notice)
    by_way = dict(Reach.objects.filter(notice=notice, block__in=blocks).values("way")
                  .annotate(n=Count("id")).values_list("way", "n"))
    return Board(notice, rows, help_calls, vulnerable[:LIST_LIMIT], target=sum(r.target for r in rows),
                 reached=sum(r.reached for r in rows), more_vulnerable=len(vulnerable) > LIST_LIMIT, by_way=by_way)


def _unreached_vulnerable(user, notice: EmergencyNotice) -> list[HouseholdRow]:
    """Households with a vulnerable member living there, not yet reached: one query, bounded."""
    members = (HouseholdMember.objects
               .filter(scoped_q(user, notice, "household__place_path"), valid_to__isnull=True, lives_here=True,
                       household__closed_on__isnull=True)
               .exclude(household__tenure=Tenure.VACANT)
               .filter(_vulnerable_q())
               .exclude(household__in=Reach.objects.filter(notice=notice).values("household"))
               .select_related("household__place", "person")
               .order_by("household__place_path", "household__unit_number", "household_id")[:LIST_LIMIT * 3 + 1])
    seen: dict[int, HouseholdRow] = {}
    for member in members:
        if member.household_id not in seen:
            seen[member.household_id] = _row(user, member, vulnerable=True)
    return list(seen.values())


def _row(user, member: HouseholdMember, *, vulnerable: bool, reach: Reach | None = None,
         personal: bool = False) -> HouseholdRow:
    household, person = member.household, member.person
    return HouseholdRow(household.pk, household.place.name, household.unit_number, household.place_path,
                        person.name if personal else mask_name(person.name),
                        person.phone if personal else mask_phone(person.phone), vulnerable, person.pk, reach)


def block_households(user, notice: EmergencyNotice, block: Place) -> list[HouseholdRow]:
    """Every household of the block to reach, with its head (or first member), whether a member
    is vulnerable, and its reach if any; in the board's order. Three queries. Viewers whose role
    needs to call (``core.view_personal``) see names and phones in full, and each read is logged."""
    members = (HouseholdMember.objects
               .filter(household__place_path__gte=block.path, household__place_path__lt=path_end(block.path),
                       valid_to__isnull=True, household__closed_on__isnull=True)
               .filter(access.path_filter(user, VIEW, "household__place_path"))
               .exclude(household__tenure=Tenure.VACANT)
               .annotate(vulnerable=_vulnerable_q())
               .select_related("household__place", "person")
               .order_by("household_id", "-is_head", "pk")[:BLOCK_LIMIT * 4])
    reaches = {r.household_id: r for r in Reach.objects.filter(
        notice=notice, place_path__gte=block.path, place_path__lt=path_end(block.path))}
    personal = access.can_see_path(user, VIEW_PERSONAL, block.path)
    rows: dict[int, HouseholdRow] = {}
    for member in members:
        row = rows.get(member.household_id)
        if row is None:
            rows[member.household_id] = _row(user, member, vulnerable=member.vulnerable,
                                             reach=reaches.get(member.household_id), personal=personal)
        elif member.vulnerable:
            row.vulnerable = True
    ordered = sorted(rows.values(), key=lambda r: rules.order_key(
        needs_help=bool(r.reach and r.reach.needs_help and not r.reach.help_handled_at), reached=r.reached,
        vulnerable=r.vulnerable, path=r.path, unit=r.unit))[:BLOCK_LIMIT]
    if personal and ordered:
        log_reads(user, [r.person_id for r in ordered], fields="name,phone",
                  context=f"emergency {notice.pk} block {block.code}")
    return ordered


def block_in(user, notice: EmergencyNotice, code: str) -> Place | None:
    return next((b for b in _blocks(user, notice) if b.code == code), None)


@dataclass
class Report:
    notice: EmergencyNotice
    board: Board
    within: dict[int, int]
    first_at: datetime.datetime | None
    last_at: datetime.datetime | None
    help_total: int
    help_handled: int

    @property
    def ways(self) -> list[tuple[str, int]]:
        return [(label, self.board.by_way.get(code, 0)) for code, label in Way.choices]


def report(user, notice: EmergencyNotice) -> Report:
    """After the event: who was reached, when and how (the board's figures), how fast, the
    calls for help; the households never reached are the board's remaining ones."""
    shown = board(user, notice)
    scoped = Reach.objects.filter(scoped_q(user, notice, "place_path"), notice=notice)
    within = scoped.aggregate(**{
        f"h{hours}": Count("id", filter=Q(at__lte=notice.raised_at + datetime.timedelta(hours=hours)))
        for hours in rules.WITHIN_HOURS
    }, help_total=Count("id", filter=Q(needs_help=True)),
        help_handled=Count("id", filter=Q(needs_help=True, help_handled_at__isnull=False)))
    times = scoped.order_by("at").values_list("at", flat=True)
    return Report(shown.notice, shown, {hours: within[f"h{hours}"] for hours in rules.WITHIN_HOURS},
                  times.first(), scoped.order_by("-at").values_list("at", flat=True).first(),
                  within["help_total"], within["help_handled"])


def household_for_link(notice_id: int, household_id: int):
    from tongxin.core.models import Household

    return (EmergencyNotice.objects.filter(pk=notice_id).select_related("place").first(),
            Household.objects.filter(pk=household_id).select_related("place").first())

