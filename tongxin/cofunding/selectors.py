"""Every read of co-funded projects, scoped through ``core.access``; the totals are
aggregates (a fixed number of queries however many households share)."""

from __future__ import annotations

from django.db.models import Count, F, Q, Sum

from tongxin.cofunding import rules
from tongxin.cofunding.apps import MANAGE, VIEW
from tongxin.cofunding.models import OwnerShare, Project, State
from tongxin.core import access
from tongxin.core.models import HouseholdMember, Place
from tongxin.core.pagination import keyset_page
from tongxin.core.privacy import mask_name


def visible(user):
    """The projects at the compounds where ``user`` may see co-funded projects."""
    return Project.objects.filter(access.path_filter(user, VIEW, "place_path"))


def can_manage(user, project: Project) -> bool:
    return access.can_see_path(user, MANAGE, project.place_path)


def compounds(user):
    """Where ``user`` may create projects."""
    return Place.objects.filter(access.path_filter(user, MANAGE), kind="compound").order_by("path")


def buildings_of(compound_ids) -> list[Place]:
    """The buildings of these compounds (the create form's choices), one query."""
    found = Place.objects.filter(kind="building", parent_id__in=list(compound_ids)).order_by("path")
    return list(found[:500])


def approving_decisions(user):
    """Closed, passed owners' decisions at the places where ``user`` may run projects."""
    from tongxin.voting.models import Decision

    return (Decision.objects.filter(access.path_filter(user, MANAGE, "place_path"), state="closed", passed=True)
            .select_related("place").order_by("-closed_at", "-pk"))


def _with_rate(row: dict) -> dict:
    return {**row, "rate": rules.rate(row["paid"] or 0, row["due"] or 0)}


def totals(project: Project) -> dict:
    found = OwnerShare.objects.filter(project=project).aggregate(
        households=Count("id"), due=Sum("amount_fen"), paid=Sum("paid_fen"),
        paid_up=Count("id", filter=Q(paid_fen=F("amount_fen"))))
    return _with_rate({k: v or 0 for k, v in found.items()})


def by_building(project: Project) -> list[dict]:
    """Per benefiting building: households, due, paid, households paid up, collection rate."""
    rows = (OwnerShare.objects.filter(project=project).values("building_id", "building__name")
            .annotate(households=Count("id"), due=Sum("amount_fen"), paid=Sum("paid_fen"),
                      paid_up=Count("id", filter=Q(paid_fen=F("amount_fen"))))
            .order_by("building__path"))
    return [_with_rate(row) for row in rows]


def shares_page(project: Project, after: int | None, size: int = 100, building: int | None = None):
    """A page of the households' shares (by id, keyset) with each head's name masked: two
    queries whatever the page."""
    found = OwnerShare.objects.filter(project=project).select_related("household__place", "building").order_by("id")
    if building:
        found = found.filter(building_id=building)
    rows, following = keyset_page(found, after, size)
    heads = dict(HouseholdMember.objects.filter(
        household_id__in=[r.household_id for r in rows], is_head=True, valid_to__isnull=True,
    ).values_list("household_id", "person__name"))
    for row in rows:
        row.head_masked = mask_name(heads.get(row.household_id, ""))
        row.due_fen = row.amount_fen - row.paid_fen
    return rows, following


def share_of(project: Project, pk) -> OwnerShare | None:
    return OwnerShare.objects.filter(project=project, pk=pk).first() if str(pk).isdigit() else None


def mine(user) -> list[OwnerShare]:
    """The shares of the households ``user`` is a current member of, in published projects."""
    if not user.is_authenticated or not user.person_id:
        return []
    households = HouseholdMember.objects.filter(person_id=user.person_id, valid_to__isnull=True).values("household_id")
    return list(OwnerShare.objects.filter(household_id__in=households).exclude(project__state=State.DRAFT)
                .select_related("project__place", "household__place", "building").order_by("-project_id", "id"))


def public(pk) -> Project | None:
    """A project that is on the notice board (collecting or later); drafts are not public."""
    return Project.objects.select_related("place").exclude(state=State.DRAFT).filter(pk=pk).first()
