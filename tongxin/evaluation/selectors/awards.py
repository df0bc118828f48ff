"""Every read of award rounds, scoped through ``core.access``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.urls import reverse

from tongxin.core import access
from tongxin.core.models import Household, HouseholdMember, Person, Place
from tongxin.core.privacy import mask_name
from tongxin.core.tree import path_end
from tongxin.evaluation.apps import MANAGE, VIEW
from tongxin.evaluation.models import AwardPanelMember, AwardRound, Nomination, NomineeKind, PanelReview

#: How many matches the staff's nominee search shows.
PICKER_LIMIT = 20


def visible(user):
    return AwardRound.objects.filter(access.path_filter(user, VIEW, "place_path"))


def can_manage(user, award_round: AwardRound) -> bool:
    return access.can_see_path(user, MANAGE, award_round.place_path)


def household_for(user, award_round: AwardRound) -> Household | None:
    if not user.person_id:
        return None
    return Household.objects.filter(
        members__person_id=user.person_id, members__lives_here=True, members__valid_to__isnull=True,
        closed_on__isnull=True, place_path__gte=award_round.place_path,
        place_path__lt=path_end(award_round.place_path),
    ).order_by("pk").first()


def can_take_part(user, award_round: AwardRound) -> bool:
    """Staff and leaders of the place, a member of its award panel, or a resident living under it."""
    return (access.can_see_path(user, VIEW, award_round.place_path) or household_for(user, award_round) is not None
            or panel_member(user, award_round) is not None)


def nominations(award_round: AwardRound):
    return Nomination.objects.filter(award_round=award_round).annotate(vote_count=Count("votes")).order_by("pk")


def round_label(award_round: AwardRound) -> str:
    return f"{award_round.place.name} {award_round.year}年第{award_round.quarter}季度{award_round.get_kind_display()}"


def public_name(nomination: Nomination) -> str:
    """The name as the nominee consented: in full, or masked. A household's derived name is
    masked already ("3栋2单元101室 张**") and a building's is no one's name."""
    if nomination.household_id or nomination.building_id or nomination.consent:
        return nomination.nominee_name
    return mask_name(nomination.nominee_name)


# --- nominees from the registers --------------------------------------------------------------
def _under(path: str, field: str = "place_path") -> Q:
    return Q(**{f"{field}__gte": path, f"{field}__lt": path_end(path)})


def _current_members():
    return Prefetch("members", queryset=HouseholdMember.objects.filter(valid_to__isnull=True)
                    .select_related("person").order_by("-is_head", "pk"), to_attr="current_members")


def household_label(household: Household) -> str:
    """"3栋2单元101室 张**": the building and entrance, the unit, the head's name masked.
    Needs ``place__parent`` selected and the ``_current_members`` prefetch (or queries one)."""
    place = household.place
    where = f"{place.parent.name}{place.name}" if place.kind == "entrance" and place.parent_id else place.name
    members = getattr(household, "current_members", None)
    if members is None:
        members = list(HouseholdMember.objects.filter(household=household, valid_to__isnull=True)
                       .select_related("person").order_by("-is_head", "pk"))
    head = members[0].person.name if members else ""
    return f"{where}{household.unit_number}室 {mask_name(head)}".strip()


def person_label(person: Person, household: Household | None) -> str:
    """For staff choosing: the masked name and where the person lives."""
    return f"{mask_name(person.name)} · {household_label(household)}" if household else mask_name(person.name)


@dataclass(frozen=True)
class Choice:
    """A nominee offered by the picker: ``value`` is "kind:id"; ``label`` masks every name."""

    value: str
    label: str
    kind: str


def households_under(path: str):
    return (Household.objects.filter(_under(path), closed_on__isnull=True)
            .select_related("place__parent").prefetch_related(_current_members()))


def buildings_under(path: str):
    return Place.objects.filter(_under(path, "path"), kind="building", retired_on__isnull=True).order_by("path")


def building_choices(award_round: AwardRound) -> list[Choice]:
    return [Choice(f"building:{b.pk}", b.name, NomineeKind.BUILDING)
            for b in buildings_under(award_round.place_path)[:100]]


def staff_choices(award_round: AwardRound, query: str) -> list[Choice]:
    """Staff search households by unit number or a member's name, and people by name, under the
    round's place; names shown masked. A fixed number of queries."""
    query = query.strip()[:40]
    if not query:
        return []
    homes = list(households_under(award_round.place_path).filter(
        Q(unit_number__icontains=query)
        | Q(members__person__name__icontains=query, members__valid_to__isnull=True)).distinct()
        .order_by("place_path", "unit_number")[:PICKER_LIMIT])
    members = list(HouseholdMember.objects.filter(
        person__name__icontains=query, valid_to__isnull=True, lives_here=True,
        household__closed_on__isnull=True, household__place_path__gte=award_round.place_path,
        household__place_path__lt=path_end(award_round.place_path))
        .select_related("person", "household__place__parent").order_by("person__name", "pk")[:PICKER_LIMIT])
    people_homes = {m.household_id: m.household for m in members}
    if people_homes:  # the heads' names of those households, in one more query
        for home in households_under(award_round.place_path).filter(pk__in=people_homes):
            people_homes[home.pk] = home
    return ([Choice(f"household:{h.pk}", household_label(h), NomineeKind.HOUSEHOLD) for h in homes]
            + [Choice(f"person:{m.person_id}", person_label(m.person, people_homes[m.household_id]),
                      NomineeKind.PERSON) for m in members])


def resident_choices(user, award_round: AwardRound) -> list[Choice]:
    """A resident nominates their own household, or a building under the round's place."""
    own = household_for(user, award_round)
    homes = list(households_under(award_round.place_path).filter(pk=own.pk)) if own else []
    return ([Choice(f"household:{h.pk}", household_label(h), NomineeKind.HOUSEHOLD) for h in homes]
            + building_choices(award_round))


def person_home_under(person: Person, path: str) -> Household | None:
    """The household the person lives in now, if it lies under ``path``."""
    return households_under(path).filter(
        members__person=person, members__lives_here=True, members__valid_to__isnull=True).first()


# --- the award panel ---------------------------------------------------------------------------
def panel_of(award_round: AwardRound) -> list[AwardPanelMember]:
    return list(AwardPanelMember.objects.filter(award_round=award_round).select_related("user"))


def panel_member(user, award_round: AwardRound) -> AwardPanelMember | None:
    if not user.is_authenticated:
        return None
    return AwardPanelMember.objects.filter(award_round=award_round, user=user).first()


def panel_reviews(award_round: AwardRound) -> dict[int, list[PanelReview]]:
    """Nomination id -> its panel reviews, in one query."""
    found: dict[int, list[PanelReview]] = {}
    for review in (PanelReview.objects.filter(nomination__award_round=award_round)
                   .select_related("member__user").order_by("pk")):
        found.setdefault(review.nomination_id, []).append(review)
    return found


def winners_path(award_round: AwardRound) -> str:
    return reverse("evaluation-award-winners", args=[award_round.token])
