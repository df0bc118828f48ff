"""Reads for door-to-door campaigns: the list, coverage by building, a building's households.

Coverage counts **by building** (a building with its entrances, or a village's courtyard):
households, reached, declined, nobody at home, and those still to do. Its queries do not
grow with the households: the buildings come with their counts in one query (correlated
counts over ``place_path`` ranges, through the ``campaignvisit_path`` index), and the
households still to do in one more.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass, field

from django.db.models import Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.http import Http404

from tongxin.care.apps import MANAGE
from tongxin.care.models import Campaign, CampaignVisit, Outcome
from tongxin.care.services import campaigns as services
from tongxin.core import access
from tongxin.core.models import Household, Place, PlaceKind
from tongxin.core.tree import lineage

BLOCK_KINDS = (PlaceKind.BUILDING, PlaceKind.COURTYARD)
DONE = (Outcome.REACHED, Outcome.DECLINED)
LISTED = 100
PLACES_LISTED = 300


def visible_campaigns(user):
    """Campaigns of (or over) the viewer's places, and of the communities where they are an approved member."""
    condition = Q(pk__in=[])
    if access.has_permission(user, MANAGE):
        condition = access.path_filter(user, MANAGE, "place_path")
        granted = access.ranges(user, MANAGE)
        if granted != access.ALL:  # a campaign over a compound that a grid covers part of
            condition |= Q(place_path__in={p for start, _end in granted for p in lineage(start)})
    for path in services.member_communities(user):
        condition |= Q(place_path__startswith=path)
    return Campaign.objects.filter(condition).select_related("place")


def campaign_for(user, pk) -> Campaign:
    campaign = visible_campaigns(user).filter(pk=pk).first() if str(pk).isdigit() else None
    if campaign is None or not services.can_visit(user, campaign):
        raise Http404("not a campaign of yours")
    campaign.ranges = services.visit_ranges(user, campaign)  # what this viewer sees of it
    return campaign


def _ranges(campaign: Campaign) -> list[tuple[str, str]]:
    """What the viewer sees of the campaign (``campaign_for``), else all of it."""
    return getattr(campaign, "ranges", None) or [(campaign.place.path, campaign.place.path_end)]


def _in(ranges, field_name: str) -> Q:
    return access.ranges_q(ranges, field_name)


def places_for_new(user) -> list[Place]:
    return list(Place.objects.filter(access.path_filter(user, MANAGE), kind__in=services.CAMPAIGN_KINDS,
                                     retired_on__isnull=True).order_by("path")[:PLACES_LISTED])


def _count(queryset) -> Subquery:
    counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
    return Subquery(counted, output_field=IntegerField())


@dataclass
class BlockRow:
    place: Place
    households: int
    reached: int
    declined: int
    nobody_home: int
    todo_units: list = field(default_factory=list)  # "1单元 101"

    @property
    def done(self) -> int:
        return self.reached + self.declined

    @property
    def todo(self) -> int:
        return self.households - self.done

    @property
    def share(self) -> int:
        return round(100 * self.done / self.households) if self.households else 100


@dataclass
class Coverage:
    blocks: list[BlockRow]

    def total(self, name: str) -> int:
        return sum(getattr(row, name) for row in self.blocks)

    @property
    def households(self):
        return self.total("households")

    @property
    def reached(self):
        return self.total("reached")

    @property
    def todo(self):
        return self.total("todo")


def _blocks(campaign: Campaign):
    place = campaign.place
    in_block = {"place_path__gte": OuterRef("path"), "place_path__lt": OuterRef("path_end")}
    households = Household.objects.filter(closed_on__isnull=True, **in_block)
    visits = CampaignVisit.objects.filter(campaign=campaign, **in_block)
    where = _in(_ranges(campaign), "path") if place.kind not in BLOCK_KINDS else Q(pk=place.pk)
    return (Place.objects.filter(where, kind__in=BLOCK_KINDS, retired_on__isnull=True).select_related("parent")
            .annotate(n_households=_count(households),
                      n_reached=_count(visits.filter(outcome=Outcome.REACHED)),
                      n_declined=_count(visits.filter(outcome=Outcome.DECLINED)),
                      n_nobody=_count(visits.filter(outcome=Outcome.NOBODY_HOME)))
            .order_by("path"))


def _todo(campaign: Campaign):
    done = CampaignVisit.objects.filter(campaign=campaign, household_id=OuterRef("pk"), outcome__in=DONE)
    return (Household.objects.filter(_in(_ranges(campaign), "place_path"), closed_on__isnull=True)
            .exclude(Exists(done)))


def coverage(campaign: Campaign) -> Coverage:
    """Coverage by building, those with the most households still to do first (two queries)."""
    blocks = [BlockRow(b, b.n_households or 0, b.n_reached or 0, b.n_declined or 0, b.n_nobody or 0)
              for b in _blocks(campaign)]
    starts = [row.place.path for row in blocks]
    todo = (_todo(campaign)
            .values_list("place_path", "place__name", "place__kind", "unit_number")
            .order_by("place_path", "unit_number"))
    for path, entrance, kind, unit in todo:
        index = bisect_right(starts, path) - 1
        if index >= 0 and path < blocks[index].place.path_end:
            blocks[index].todo_units.append(f"{entrance} {unit}" if kind == PlaceKind.ENTRANCE else unit)
    blocks.sort(key=lambda row: (-row.todo, row.place.path))
    return Coverage(blocks)


def block_in(campaign: Campaign, pk) -> Place:
    place = campaign.place
    block = Place.objects.filter(pk=pk, kind__in=BLOCK_KINDS).first() if str(pk).isdigit() else None
    if block is None or not (place.path <= block.path < place.path_end) or not any(
            start < block.path_end and block.path < end for start, end in _ranges(campaign)):
        raise Http404("not a building of this campaign")
    return block


def households_by_entrance(campaign: Campaign, block: Place) -> list[tuple[str, list[dict]]]:
    """A building's households by entrance, each with its outcome so far (one query)."""
    outcome = CampaignVisit.objects.filter(campaign=campaign, household_id=OuterRef("pk")).values("outcome")[:1]
    rows = (Household.objects.filter(_in(_ranges(campaign), "place_path"), place_path__gte=block.path,
                                     place_path__lt=block.path_end, closed_on__isnull=True)
            .annotate(outcome=Subquery(outcome))
            .values("pk", "unit_number", "place__name", "place__kind", "outcome")
            .order_by("place_path", "unit_number", "pk"))
    groups: dict[str, list[dict]] = {}
    for row in rows:
        label = row["place__name"] if row["place__kind"] == PlaceKind.ENTRANCE else ""
        groups.setdefault(label, []).append(row)
    return list(groups.items())


def household_for(user, campaign: Campaign, pk) -> Household:
    household = (Household.objects.select_related("place__parent").filter(pk=pk).first()
                 if str(pk).isdigit() else None)
    if household is None or not services.household_in(campaign, household) or not services.can_visit(
            user, campaign, household):
        raise Http404("not a household of this campaign")
    return household
