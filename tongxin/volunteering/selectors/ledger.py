"""Reading the service ledger: sums over ``ServiceRecord`` by person, team, work unit and
community for a period (index range sums, one statement per grouping), a member's own
months, a community's monthly ranking, and a work unit's view of its members."""

from __future__ import annotations

import datetime

from django.db.models import Count, Prefetch, Q, Sum
from django.db.models.functions import TruncMonth

from tongxin.core import access
from tongxin.core.models import Organisation
from tongxin.core.privacy import mask_name
from tongxin.volunteering.apps import MANAGE, VIEW_LEDGER, VIEW_UNIT
from tongxin.volunteering.models import (
    Enrolment,
    JointProject,
    PostChoice,
    ServiceRecord,
    ServiceSource,
    Status,
    UnitRegistration,
)
from tongxin.volunteering.models.registration import LIVE

#: The groupings of the ledger page: code → (id field, name field).
GROUPINGS = {
    "person": ("person_id", "person__name"),
    "team": ("team_id", "team__name"),
    "unit": ("unit_id", "unit__name"),
    "community": ("community_id", "community__name"),
}
RANKING_SIZE = 20
TASKS = Count("pk", filter=Q(source=ServiceSource.TASK))


def visible_records(user):
    """The ledger rows of the communities the user may see the ledger of."""
    return ServiceRecord.objects.filter(access.path_filter(user, VIEW_LEDGER, "community_path"))


def in_period(records, start: datetime.date, end: datetime.date):
    return records.filter(served_on__gte=start, served_on__lt=end)


def totals(records, by: str) -> list[dict]:
    """[{"id", "name", "minutes", "tasks"}], most minutes first; rows without a team or unit
    (served outside any) are left out of those groupings."""
    id_field, name_field = GROUPINGS[by]
    rows = (records.exclude(**{f"{id_field}__isnull": True}).values(id_field, name_field)
            .annotate(minutes=Sum("minutes"), tasks=TASKS).order_by("-minutes", name_field))
    return [{"id": r[id_field], "name": r[name_field], "minutes": r["minutes"] or 0, "tasks": r["tasks"]}
            for r in rows]


def grand_total(records) -> dict:
    found = records.aggregate(minutes=Sum("minutes"), tasks=TASKS)
    return {"minutes": found["minutes"] or 0, "tasks": found["tasks"]}


def my_records(person_id: int):
    return ServiceRecord.objects.filter(person_id=person_id).select_related("community").order_by(
        "-served_on", "-pk")


def my_months(person_id: int) -> list[dict]:
    """The member's own hours and tasks by month, newest first."""
    rows = (ServiceRecord.objects.filter(person_id=person_id).annotate(month=TruncMonth("served_on"))
            .values("month").annotate(minutes=Sum("minutes"), tasks=TASKS).order_by("-month"))
    return list(rows)


def ranking(community, start: datetime.date, end: datetime.date, *, size: int = RANKING_SIZE) -> list[dict]:
    """A community's month, best first, names masked (what a notice board may show)."""
    records = in_period(ServiceRecord.objects.filter(community=community), start, end)
    rows = totals(records, "person")[:size]
    return [{"rank": n, "name": mask_name(r["name"]), "hours": round(r["minutes"] / 60, 1), "tasks": r["tasks"]}
            for n, r in enumerate(rows, start=1)]


# --- the work unit's view -------------------------------------------------------------------
def holds_unit_role(user, unit: Organisation) -> bool:
    """True if the user holds ``volunteering.view_unit`` at this organisation (its branch
    secretary), or everywhere (the administrator)."""
    if access.ranges(user, VIEW_UNIT) == access.ALL:
        return True
    if not user.is_authenticated or user.person_id is None:
        return False
    roles = access.active_assignments(user.person_id).filter(organisation=unit).values_list("role", flat=True)
    return any(VIEW_UNIT in access.permissions_of_role(role) for role in roles)


def my_units(user) -> list[Organisation]:
    """The organisations where the user holds ``volunteering.view_unit`` (their own branches)."""
    if not user.is_authenticated or user.person_id is None:
        return []
    held = access.active_assignments(user.person_id).filter(organisation__isnull=False)
    ids = {a.organisation_id for a in held if VIEW_UNIT in access.permissions_of_role(a.role)}
    return list(Organisation.objects.filter(pk__in=ids).order_by("name"))


def unit_scope(user, unit: Organisation) -> Q | None:
    """Which of the unit's enrolments the user may see (a Q on ``Enrolment``), or None: the
    unit's own secretary sees them all; a community's managers those in their communities,
    if the unit is registered or has members there."""
    if holds_unit_role(user, unit):
        return Q()
    if not access.has_permission(user, MANAGE):
        return None
    where = access.path_filter(user, MANAGE, "community_path")
    registered = UnitRegistration.objects.filter(where, unit=unit, status__in=LIVE).exists()
    if registered or Enrolment.objects.filter(where, unit=unit).exists():
        return where
    return None


def unit_members(unit: Organisation, scope: Q, start: datetime.date, end: datetime.date) -> list[dict]:
    """The unit's approved members (in scope), where they serve, and their hours and tasks in the
    period: three statements however many members."""
    enrolments = list(
        Enrolment.objects.filter(scope, unit=unit, status=Status.APPROVED)
        .select_related("person", "community")
        .prefetch_related(Prefetch("post_choices", queryset=PostChoice.objects.select_related("post")))
        .order_by("person__name", "pk")
    )
    paths = {e.community_path for e in enrolments}
    sums = {}
    if enrolments:
        rows = (ServiceRecord.objects.filter(unit=unit, served_on__gte=start, served_on__lt=end,
                                             person_id__in={e.person_id for e in enrolments},
                                             community_path__in=paths)
                .values("person_id").annotate(minutes=Sum("minutes"), tasks=TASKS))
        sums = {r["person_id"]: r for r in rows}
    members = []
    for enrolment in enrolments:
        found = sums.get(enrolment.person_id, {})
        members.append({
            "enrolment": enrolment, "name": enrolment.person.name, "community": enrolment.community.name,
            "posts": [choice.post.name for choice in enrolment.post_choices.all()],
            "minutes": found.get("minutes") or 0, "tasks": found.get("tasks") or 0,
        })
    return members


def unit_projects(unit: Organisation, scope: Q) -> list[JointProject]:
    registrations = UnitRegistration.objects.filter(scope, unit=unit, status__in=LIVE)
    return list(JointProject.objects.filter(registration__in=registrations).select_related(
        "registration__community").order_by("-year", "title"))
