"""Merging a duplicate into the demand that carries the work (issue 7), and what its reporter
then sees and rates.

A merged demand goes to the closed state ``merged`` through the workflow table, with
``merged_into`` set; its reporter and its "me too" residents become followers of the
target (``MeToo`` rows), so the target counts them as affected. The merged reporter keeps
their own tracking code: their follow-up page shows the target's steps and feedback, and
once the target is closed they rate on their own demand (``docs/demands.md``, "Duplicates
and merging").
"""

from __future__ import annotations

from django.db import transaction

from tongxin.core.errors import RefusedError
from tongxin.demands import duplicates, rules, services
from tongxin.demands.models import Demand, DemandEvent, MeToo

#: Whoever may merge: the roles the workflow table gives the ``merge`` action.
STAFF = frozenset({rules.DISPATCHER, rules.SUPERVISOR})


def can_merge(user, duplicate: Demand) -> bool:
    return services._acting_role(user, duplicate, "merge") is not None


def merge(user, duplicate: Demand, into: Demand, note: str = "") -> Demand:
    """Merge ``duplicate`` into ``into``; a repeat of the same merge is a no-op.

    Both rows are locked in pk order, so two merges touching the same pair (A into B and B
    into A, or the same click twice) wait for each other instead of deadlocking."""
    if duplicate.pk == into.pk:
        raise RefusedError("merge_self", "不能合并到自身", "A demand cannot be merged into itself")
    with transaction.atomic():
        locked = {d.pk: d for d in Demand.objects.select_for_update().filter(pk__in=[duplicate.pk, into.pk])
                  .select_related("place", "category").order_by("pk")}
        duplicate, into = locked[duplicate.pk], locked[into.pk]
        for demand in locked.values():  # in pk order
            services.take_in_locked(demand)
        if duplicate.state == "merged":
            if duplicate.merged_into_id == into.pk:
                return duplicate  # the other click of a double click
            raise RefusedError("already_merged", "这件诉求已经合并到另一件了",
                               "This demand is already merged into another")
        if not into.is_open:
            raise RefusedError("merge_target_closed", "只能合并到一件未办结的诉求", "Merge only into an open demand")
        role = services._role_for(user, duplicate, "merge")  # rules.NotAllowed if not the user's to merge
        if not STAFF & services.roles_of(user, into):
            raise rules.NotAllowed("merge into a demand outside the user's places")
        if not duplicates.same_neighbourhood(duplicate, into):
            raise RefusedError("merge_not_nearby", "只能合并同一楼栋或小区的诉求",
                               "Only demands of the same building or compound can be merged")
        duplicate.merged_into = into
        reason = f"合并到 {into.tracking_code}，同一问题在那里办理 / Merged into {into.tracking_code}"
        target = rules.next_state(duplicate.state, "merge", role)  # "merged": the table says so
        services._move(duplicate, "merge", target, user, role, f"{reason}\n{note.strip()}")
        _follow(duplicate, into)
        # One hop for everyone: what was merged into the duplicate now follows the target too.
        Demand.objects.filter(merged_into=duplicate).update(merged_into=into)
        DemandEvent.objects.create(
            demand=into, action="merge", from_state=into.state, to_state=into.state, actor=user, actor_role=role,
            note="另一位居民反映的同一问题已合并到这里 / The same problem reported by another resident was merged here",
        )
        into.save(update_fields=["updated_at"])
        return duplicate


def _follow(duplicate: Demand, into: Demand) -> None:
    """The duplicate's reporter and followers follow the target, each once (the unique
    constraints drop a phone or address already there)."""
    rows = [MeToo(demand=into, phone=duplicate.reporter_phone, client_key=duplicate.client_key)]
    rows += [MeToo(demand=into, phone=m.phone, client_key=m.client_key) for m in duplicate.me_too.all()]
    rows = [r for r in rows if not (r.phone and r.phone == into.reporter_phone)]  # the same resident twice
    MeToo.objects.bulk_create(rows, ignore_conflicts=True)


def final_target(demand: Demand) -> Demand | None:
    return demand.merged_into if demand.merged_into_id else None


def for_resident(demand: Demand, timeline) -> dict | None:
    """What a merged reporter's follow-up page shows of the target: its state, steps and
    final feedback, and whether they may rate now. ``timeline`` formats the steps."""
    target = final_target(demand)
    if target is None:
        return None
    resident = str(rules.ROLE_LABELS[rules.REPORTER])
    return {
        # Staff steps only: what the target's own reporter added is theirs, not their neighbour's.
        "target": target, "timeline": [step for step in timeline(target) if str(step["role"]) != resident],
        "can_rate": target.state == "closed" and demand.rating is None,
    }
