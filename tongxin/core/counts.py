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
    place_ids = list(Place.objects.filter(path__in=[*tree.ancestor_paths(path), path]).values_list("id", flat=True))
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


def raw_by_path() -> dict[str, Counter]:
    """Counts at each exact path, from the raw tables (grouped; no per-row Python)."""
    at: dict[str, Counter] = defaultdict(Counter)
    households = Household.objects.filter(closed_on__isnull=True).values("place_path", "tenure")
    for row in households.annotate(n=Count("id")):
        for metric, value in household_metrics(row["tenure"]).items():
            at[row["place_path"]][metric] += value * row["n"]
    for row in Person.objects.exclude(home_path="").values("home_path").annotate(n=Count("id")):
        at[row["home_path"]][RESIDENTS] += row["n"]
    tags = PersonTag.objects.exclude(person__home_path="").values("person__home_path", "tag").annotate(n=Count("id"))
    for row in tags:
        at[row["person__home_path"]][tag_metric(row["tag"])] += row["n"]
    return at


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
