"""Every read of award rounds, scoped through ``core.access``."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse

from tongxin.core import access
from tongxin.core.models import Household
from tongxin.core.privacy import mask_name
from tongxin.core.tree import path_end
from tongxin.evaluation.apps import MANAGE, VIEW
from tongxin.evaluation.models import AwardRound, Nomination


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
    """Staff and leaders of the place, or a resident living under it."""
    return access.can_see_path(user, VIEW, award_round.place_path) or household_for(user, award_round) is not None


def nominations(award_round: AwardRound):
    return Nomination.objects.filter(award_round=award_round).annotate(vote_count=Count("votes")).order_by("pk")


def round_label(award_round: AwardRound) -> str:
    return f"{award_round.place.name} {award_round.year}年第{award_round.quarter}季度{award_round.get_kind_display()}"


def public_name(nomination: Nomination) -> str:
    """The name as the nominee consented: in full, or masked."""
    return nomination.nominee_name if nomination.consent else mask_name(nomination.nominee_name)


def winners_path(award_round: AwardRound) -> str:
    return reverse("evaluation-award-winners", args=[award_round.token])
