"""Keeping the rollups (``models.DailyFigures``) up to date, and rebuilding them.

**By the services.** Every step of a demand writes a ``DemandEvent`` inside the service's
transaction; :func:`on_event` (a ``post_save`` receiver) recomputes what that one demand
adds now (``rates.tally``), takes the difference from what it added before
(``DemandTally``, locked), and applies it as ``value = value + delta`` updates in the same
transaction. Two transactions adding to one row never lose a count (the UPDATE takes the
row lock and adds to the latest committed value); the first insert of a row that two of
them want is retried as an update when the unique constraint refuses the loser.
Rows are touched in key order so two demands' steps never deadlock on each other.

**From scratch.** :func:`rebuild_rollups` streams every demand and every timeline event in
two ordered queries, tallies each demand with the same function and writes the rows in
bulk (``tongxin rebuild-rollups``); :func:`recompute` does the same without writing, for
checks and for the property test.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from tongxin.indicators.models import COUNTERS, DailyFigures, DemandTally, MonthlyFigures
from tongxin.indicators.rates import Step, tally

DEMAND_FIELDS = (
    "pk", "unit_id", "unit_path", "place_id", "place_path", "category_id", "created_at", "state", "respond_by",
    "resolve_by", "rating", "reporter_phone", "reporter_name", "merged_into_id", "taken_in_at",
)

Key = tuple[int, str, int, str]  # unit id, unit path, category id, day (ISO)


def _as_map(rows: list[list]) -> dict[Key, dict[str, int]]:
    found: dict[Key, dict[str, int]] = {}
    for unit_id, unit_path, category_id, day, counters in rows:
        into = found.setdefault((unit_id, unit_path, category_id, day), {})
        for name, value in counters.items():
            into[name] = into.get(name, 0) + value
    return found


def difference(before: list[list], after: list[list]) -> dict[Key, dict[str, int]]:
    """Per row, what changes when a demand's tally goes from ``before`` to ``after``."""
    old, new = _as_map(before), _as_map(after)
    delta: dict[Key, dict[str, int]] = {}
    for key in old.keys() | new.keys():
        names = old.get(key, {}).keys() | new.get(key, {}).keys()
        changes = {n: new.get(key, {}).get(n, 0) - old.get(key, {}).get(n, 0) for n in names}
        changes = {n: v for n, v in changes.items() if v}
        if changes:
            delta[key] = changes
    return delta


def by_month(rows: dict[Key, dict[str, int]]) -> dict[Key, dict[str, int]]:
    """Daily keys folded into monthly ones (the day becomes the first of its month)."""
    found: dict[Key, dict[str, int]] = {}
    for (unit_id, unit_path, category_id, day), counters in rows.items():
        into = found.setdefault((unit_id, unit_path, category_id, day[:8] + "01"), {})
        for name, value in counters.items():
            into[name] = into.get(name, 0) + value
    return {key: kept for key, counters in found.items() if (kept := {n: v for n, v in counters.items() if v})}


def _add_to_row(key: Key, changes: dict[str, int], model=DailyFigures, field: str = "day") -> None:
    unit_id, unit_path, category_id, day = key
    where = model.objects.filter(unit_id=unit_id, category_id=category_id, **{field: day})
    increments = {name: F(name) + value for name, value in changes.items()}
    if where.update(**increments):
        return
    try:
        with transaction.atomic():  # a savepoint: the loser of an insert race keeps its transaction
            model.objects.create(unit_id=unit_id, unit_path=unit_path, category_id=category_id, **{field: day},
                                 **changes)
    except IntegrityError:
        where.update(**increments)  # another transaction inserted it first: add to theirs


def _apply(delta: dict[Key, dict[str, int]]) -> None:
    """Add a demand's change to its daily rows and to their months, in key order (no deadlocks)."""
    for key, changes in sorted(delta.items()):
        _add_to_row(key, changes)
    for key, changes in sorted(by_month(delta).items()):
        _add_to_row(key, changes, MonthlyFigures, "month")


def refresh(demand_id: int) -> None:
    """Bring the rollups up to date with one demand (inside the caller's transaction)."""
    from tongxin.demands.models import Demand, DemandEvent

    with transaction.atomic(savepoint=False):
        demand = Demand.objects.filter(pk=demand_id).values(*DEMAND_FIELDS).first()
        held = DemandTally.objects.select_for_update().filter(pk=demand_id).first()
        before = held.rows if held else []
        after = []
        if demand is not None:
            events = DemandEvent.objects.filter(demand_id=demand_id).order_by("at", "id")
            after = tally(demand, [Step(*row) for row in events.values_list("action", "actor_role", "at")])
        _apply(difference(before, after))
        if held is None:
            DemandTally.objects.create(demand_id=demand_id, rows=after)
        elif after != before:
            DemandTally.objects.filter(pk=demand_id).update(rows=after)


def on_event(sender, instance, created, raw=False, **kwargs) -> None:
    if created and not raw:
        refresh(instance.demand_id)


def _tallies() -> Iterator[tuple[int, list[list]]]:
    """(demand id, tally) for every demand: two ordered, streamed queries merged in step."""
    from tongxin.demands.models import Demand, DemandEvent

    events = (
        DemandEvent.objects.order_by("demand_id", "at", "id")
        .values_list("demand_id", "action", "actor_role", "at").iterator(chunk_size=5000)
    )
    pending = next(events, None)
    for demand in Demand.objects.order_by("pk").values(*DEMAND_FIELDS).iterator(chunk_size=2000):
        steps = []
        while pending is not None and pending[0] < demand["pk"]:
            pending = next(events, None)  # events of a demand that is gone
        while pending is not None and pending[0] == demand["pk"]:
            steps.append(Step(*pending[1:]))
            pending = next(events, None)
        yield demand["pk"], tally(demand, steps)


def recompute() -> tuple[dict[Key, dict[str, int]], dict[int, list[list]]]:
    """Every rollup row (non-zero counters only) and every demand's tally, from the demands
    and their timelines, without writing anything."""
    totals: dict[Key, dict[str, int]] = {}
    tallies: dict[int, list[list]] = {}
    for demand_id, rows in _tallies():
        tallies[demand_id] = rows
        for key, counters in _as_map(rows).items():
            into = totals.setdefault(key, {})
            for name, value in counters.items():
                into[name] = into.get(name, 0) + value
    totals = {key: kept for key, counters in totals.items() if (kept := {n: v for n, v in counters.items() if v})}
    return totals, tallies


def stored(model=DailyFigures, field: str = "day") -> dict[Key, dict[str, int]]:
    """The rollup rows as kept, in the shape of :func:`recompute` (zero counters and empty rows left out)."""
    found = {}
    for row in model.objects.values("unit_id", "unit_path", "category_id", field, *COUNTERS).iterator():
        counters = {name: row[name] for name in COUNTERS if row[name]}
        if counters:
            found[(row["unit_id"], row["unit_path"], row["category_id"], row[field].isoformat())] = counters
    return found


def rebuild_rollups() -> int:
    """Recount every rollup row from the demands and their timelines; returns the number of rows."""
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Steps taken meanwhile wait, then apply their difference to the rebuilt tallies.
            with connection.cursor() as cursor:
                cursor.execute("LOCK TABLE indicators_demandtally, indicators_dailyfigures, indicators_monthlyfigures "
                               "IN EXCLUSIVE MODE")
        totals, tallies = recompute()
        DailyFigures.objects.all().delete()
        MonthlyFigures.objects.all().delete()
        DemandTally.objects.all().delete()
        DailyFigures.objects.bulk_create(
            [DailyFigures(unit_id=u, unit_path=p, category_id=c, day=d, **counters)
             for (u, p, c, d), counters in totals.items()],
            batch_size=1000,
        )
        MonthlyFigures.objects.bulk_create(
            [MonthlyFigures(unit_id=u, unit_path=p, category_id=c, month=m, **counters)
             for (u, p, c, m), counters in by_month(totals).items()],
            batch_size=1000,
        )
        DemandTally.objects.bulk_create(
            [DemandTally(demand_id=pk, rows=rows) for pk, rows in tallies.items()], batch_size=1000
        )
    return len(totals)
