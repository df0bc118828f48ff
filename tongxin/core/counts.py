"""Rollup counters per place: households, rented, vacant, residents, people per tag.

Every service that changes what is counted calls :func:`bump` with the place path and
the change (``{"households": 1, "rented": 1}``); the counters of that place and all its
ancestors move together, in the caller's transaction, with ``value = value + delta``
(atomic under concurrency). Households and people only sit under physical places, so
only physical places carry counters; an area's figures are the sum over the places it
covers (nested covered places dropped, so nothing is counted twice).

Bulk loaders (the demo, imports) insert rows directly and then call :func:`rebuild`,
which recomputes every counter from the raw tables in a few grouped queries.
"""

from __future__ import annotations

from collections import Counter, defaultdict

from django.db.models import Count, F

from tongxin.core import tree
from tongxin.core.models import Household, Person, PersonTag, Place, PlaceCount, Tenure

HOUSEHOLDS, RENTED, VACANT, RESIDENTS = "households", "rented", "vacant", "residents"


def tag_metric(tag: str) -> str:
    return f"tag:{tag}"


def household_metrics(tenure: str) -> Counter:
    metrics = Counter({HOUSEHOLDS: 1})
    if tenure == Tenure.RENTED:
        metrics[RENTED] = 1
    elif tenure == Tenure.VACANT:
        metrics[VACANT] = 1
    return metrics


def person_metrics(tags) -> Counter:
    metrics = Counter({RESIDENTS: 1})
    for tag in tags:
        metrics[tag_metric(tag)] = 1
    return metrics


def scaled(metrics: Counter, factor: int) -> Counter:
    return Counter({metric: value * factor for metric, value in metrics.items()})


def tag_change(tag: str, delta: int) -> Counter:
    return Counter({tag_metric(tag): delta})


def bump(path: str, deltas: Counter) -> None:
    """Add ``deltas`` to the counters of the place at ``path`` and of its ancestors."""
    deltas = Counter({metric: value for metric, value in deltas.items() if value})
    if not path or not deltas:
        return
    place_ids = list(Place.objects.filter(path__in=tree.lineage(path)).values_list("id", flat=True))
    PlaceCount.objects.bulk_create(
        [PlaceCount(place_id=pid, metric=metric) for pid in place_ids for metric in deltas], ignore_conflicts=True
    )
    for metric, delta in deltas.items():
        PlaceCount.objects.filter(place_id__in=place_ids, metric=metric).update(value=F("value") + delta)


def household_with_residents(household: Household) -> Counter:
    """What a household adds to every place above it: itself, its residents, their tags."""
    metrics = household_metrics(household.tenure)
    for person in Person.objects.filter(household=household).prefetch_related("tags"):
        metrics += person_metrics(t.tag for t in person.tags.all())
    return metrics


def subtree_metrics(place: Place) -> Counter:
    return Counter(dict(PlaceCount.objects.filter(place=place).values_list("metric", "value")))


def raw_by_path(households=None, people=None) -> dict[str, Counter]:
    """Counts at each exact path, from the raw tables (grouped; no per-row Python).

    ``households`` and ``people`` narrow the rows counted (default: all of them).
    """
    households = Household.objects.all() if households is None else households
    people = Person.objects.all() if people is None else people
    at: dict[str, Counter] = defaultdict(Counter)
    by_tenure = households.filter(closed_on__isnull=True).values("place_path", "tenure").order_by()
    for row in by_tenure.annotate(n=Count("id")):
        for metric, value in household_metrics(row["tenure"]).items():
            at[row["place_path"]][metric] += value * row["n"]
    for row in people.exclude(home_path="").values("home_path").order_by().annotate(n=Count("id")):
        at[row["home_path"]][RESIDENTS] += row["n"]
    tags = PersonTag.objects.exclude(person__home_path="")
    if people.query.where:  # narrowed: only these people's tags
        tags = tags.filter(person__in=people)
    tags = tags.values("person__home_path", "tag").order_by().annotate(n=Count("id"))
    for row in tags:
        at[row["person__home_path"]][tag_metric(row["tag"])] += row["n"]
    return at


CHUNK = 5000


def contribution(household_ids, person_ids) -> dict[str, Counter]:
    """What these households and people add to the counters, at each exact path.

    A bulk writer takes this before and after its change; the difference is what to
    :func:`bump_many` (cheaper than :func:`rebuild`, and exact under concurrent writers).
    """
    at: dict[str, Counter] = defaultdict(Counter)
    household_ids, person_ids = sorted(household_ids), sorted(person_ids)
    for start in range(0, len(household_ids), CHUNK):
        chunk = Household.objects.filter(pk__in=household_ids[start:start + CHUNK])
        for path, metrics in raw_by_path(households=chunk, people=Person.objects.none()).items():
            at[path] += metrics
    for start in range(0, len(person_ids), CHUNK):
        chunk = Person.objects.filter(pk__in=person_ids[start:start + CHUNK])
        for path, metrics in raw_by_path(households=Household.objects.none(), people=chunk).items():
            at[path] += metrics
    return at


def difference(after: dict[str, Counter], before: dict[str, Counter]) -> dict[str, Counter]:
    changes = {}
    for path in set(after) | set(before):
        change = Counter(after.get(path, Counter()))
        change.subtract(before.get(path, Counter()))
        change = Counter({metric: value for metric, value in change.items() if value})
        if change:
            changes[path] = change
    return changes


def bump_many(changes: dict[str, Counter]) -> None:
    """:func:`bump` for many paths at once: one UPDATE per (metric, delta), not per row."""
    totals: dict[str, Counter] = defaultdict(Counter)
    for path, deltas in changes.items():
        for target in (*tree.ancestor_paths(path), path):
            totals[target].update(deltas)
    if not totals:
        return
    ids = {}
    paths = sorted(totals)
    for start in range(0, len(paths), CHUNK):
        ids.update(Place.objects.filter(path__in=paths[start:start + CHUNK]).values_list("path", "id"))
    groups: dict[tuple[str, int], list[int]] = defaultdict(list)
    for path, deltas in totals.items():
        for metric, delta in deltas.items():
            if delta and path in ids:
                groups[(metric, delta)].append(ids[path])
    PlaceCount.objects.bulk_create(
        [PlaceCount(place_id=pid, metric=metric) for (metric, _d), pids in groups.items() for pid in pids],
        ignore_conflicts=True, batch_size=CHUNK,
    )
    for (metric, delta), pids in sorted(groups.items()):
        for start in range(0, len(pids), CHUNK):
            PlaceCount.objects.filter(place_id__in=pids[start:start + CHUNK], metric=metric).update(
                value=F("value") + delta
            )


def expected() -> dict[int, Counter]:
    """Every physical place's subtree counters, recomputed from the raw tables."""
    by_path: dict[str, Counter] = defaultdict(Counter)
    for path, metrics in raw_by_path().items():
        for ancestor in (*tree.ancestor_paths(path), path):
            by_path[ancestor].update(metrics)
    ids = dict(Place.objects.filter(path__in=list(by_path)).values_list("path", "id"))
    return {ids[path]: metrics for path, metrics in by_path.items() if path in ids}


def rebuild() -> int:
    """Replace every counter with values recomputed from the raw tables."""
    wanted = expected()
    PlaceCount.objects.all().delete()
    rows = [
        PlaceCount(place_id=pid, metric=metric, value=value)
        for pid, metrics in wanted.items()
        for metric, value in metrics.items()
        if value
    ]
    PlaceCount.objects.bulk_create(rows, batch_size=5000)
    return len(rows)


def differences() -> list[tuple[int, str, int, int]]:
    """(place id, metric, stored, expected) wherever a counter has drifted."""
    stored: dict[int, Counter] = defaultdict(Counter)
    for pid, metric, value in PlaceCount.objects.values_list("place_id", "metric", "value"):
        stored[pid][metric] = value
    wanted = expected()
    found = []
    for pid in set(stored) | set(wanted):
        for metric in set(stored[pid]) | set(wanted.get(pid, ())):
            have, want = stored[pid][metric], wanted.get(pid, Counter())[metric]
            if have != want:
                found.append((pid, metric, have, want))
    return sorted(found)
