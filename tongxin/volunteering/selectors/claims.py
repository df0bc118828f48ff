"""Reading tasks and claims, scoped: members see the tasks of the communities they are
approved in (nearest their home first), managers those of their places; the beneficiary's
name and phone are masked unless the viewer's claim or role needs them."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, IntegerField, Q, Value, When

from tongxin.core import access, privacy
from tongxin.core.roles import VIEW_PERSONAL
from tongxin.core.tree import lineage, path_end
from tongxin.volunteering.apps import MANAGE
from tongxin.volunteering.models import Claim, ClaimState, Task, TaskState
from tongxin.volunteering.models.claims import LIVE_CLAIM
from tongxin.volunteering.selectors.registration import enrolments_of

PAGE_SIZE = 30


def nearness_rank(home_path: str, field: str = "place_path"):
    """0 for a task at the member's own door, 1 in their building, 2 in their compound … by the
    tree; everything else in their communities after. One CASE, no query."""
    if not home_path:
        return Value(0, output_field=IntegerField())
    above = lineage(home_path)
    whens = [When(**{f"{field}__gte": path, f"{field}__lt": path_end(path)}, then=Value(rank))
             for rank, path in enumerate(reversed(above))]
    return Case(*whens, default=Value(len(above)), output_field=IntegerField())


@dataclass
class Page:
    rows: list
    next_cursor: str | None


def _cursor(value: str) -> tuple[int, int] | None:
    rank, _sep, pk = (value or "").partition("-")
    return (int(rank), int(pk)) if rank.isdigit() and pk.isdigit() else None


def open_tasks(user, cursor: str = "", size: int = PAGE_SIZE) -> Page:
    """Open tasks in the user's communities, nearest their home first, newest next: keyset
    paging on (nearness, id), one statement a page however many tasks there are."""
    enrolments = list(enrolments_of(user))
    if not enrolments:
        return Page([], None)
    ranges = [(e.community_path, path_end(e.community_path)) for e in enrolments]
    home = next((e.home_path for e in enrolments if e.home_path), "")
    tasks = (Task.objects.filter(access.ranges_q(ranges, "place_path"), state=TaskState.OPEN)
             .annotate(nearness=nearness_rank(home)).select_related("place").order_by("nearness", "-id"))
    after = _cursor(cursor)
    if after:
        rank, pk = after
        tasks = tasks.filter(Q(nearness__gt=rank) | Q(nearness=rank, id__lt=pk))
    rows = list(tasks[: size + 1])
    more = rows[size - 1] if len(rows) > size else None
    rows = rows[:size]
    for task in rows:
        task.shown = masked(task)
    return Page(rows, f"{more.nearness}-{more.pk}" if more else None)


def my_claims(user, size: int = 20) -> list[Claim]:
    """The user's own claims, live first, newest first."""
    if not user.is_authenticated or user.person_id is None:
        return []
    claims = (Claim.objects.filter(enrolment__person_id=user.person_id).select_related("task", "task__place")
              .order_by("-id"))
    rows = list(claims[:size])
    rows.sort(key=lambda c: c.state not in LIVE_CLAIM)
    return rows


def managed_tasks(user, state: str = "", before: str = "", size: int = PAGE_SIZE):
    """Tasks of the manager's places, newest first (keyset by id)."""
    from tongxin.core.pagination import newest_first_page

    tasks = Task.objects.filter(access.path_filter(user, MANAGE, "place_path")).select_related("place")
    if state in TaskState.values:
        tasks = tasks.filter(state=state)
    rows, more = newest_first_page(tasks, before, size)
    for task in rows:
        task.shown = masked(task)
    return rows, more


def masked(task: Task) -> dict:
    return {"name": privacy.mask_name(task.contact_name), "phone": privacy.mask_phone(task.contact_phone),
            "masked": True}


def unmasked(task: Task) -> dict:
    return {"name": task.contact_name, "phone": task.contact_phone, "masked": False}


def live_claim(task: Task) -> Claim | None:
    return (Claim.objects.filter(task=task, state__in=LIVE_CLAIM).select_related("enrolment", "enrolment__person")
            .first())


def is_claimant(user, found: Claim | None) -> bool:
    return found is not None and user.is_authenticated and found.enrolment.person_id == user.person_id


def can_reveal(user, task: Task) -> bool:
    """Managers who may see personal data at the task's place (each read is logged)."""
    return access.can_see_path(user, MANAGE, task.place_path) and access.can_see_path(
        user, VIEW_PERSONAL, task.place_path)


def visible_task(user, pk: int) -> Task | None:
    """The task if the user manages its place, is approved in its community, or claimed it."""
    task = Task.objects.select_related("place", "demand").filter(pk=pk).first()
    if task is None or not user.is_authenticated:
        return None
    if access.can_see_path(user, MANAGE, task.place_path):
        return task
    communities = {e.community_path for e in enrolments_of(user)}
    if communities & set(lineage(task.place_path)):
        return task
    if user.person_id and Claim.objects.filter(task=task, enrolment__person_id=user.person_id).exists():
        return task
    return None


def wish_progress(task: Task) -> list[tuple[str, object]]:
    """The steps of a wish as its resident reads them: no names."""
    from django.utils.translation import gettext as _

    steps = [(task.published_at, _("Published for volunteers to claim"))]
    for found in task.claims.order_by("id"):
        steps.append((found.claimed_at, _("A volunteer claimed it")))
        if found.completed_at:
            steps.append((found.completed_at, _("The volunteer reports it done")))
        if found.state in (ClaimState.RELEASED, ClaimState.EXPIRED, ClaimState.RETURNED) and found.ended_at:
            steps.append((found.ended_at, _("Open again for another volunteer")))
        if found.confirmed_at:
            steps.append((found.confirmed_at, _("Confirmed")))
    return steps
