"""Writes to the place tree and grid coverage."""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tongxin.core import counts, tree
from tongxin.core.errors import RefusedError
from tongxin.core.models import GridCoverage, Household, Person, Place, PlaceKind
from tongxin.core.models.places import RESPONSIBILITY_KINDS


def _next_child_path(parent: Place | None) -> str:
    siblings = Place.objects.filter(parent=parent)
    last = siblings.aggregate(last=Max("path"))["last"]
    number = tree.last_segment_number(last) + 1 if last else 1
    return tree.child_path(parent.path if parent else "", number)


def create_place(*, parent: Place | None, kind: str, code: str, name: str, address: str = "") -> Place:
    """Add a place under ``parent`` (``None`` for a root), numbering it after its siblings."""
    if kind not in PlaceKind.values:
        raise RefusedError("place_kind_unknown", f"未知的地点类型 {kind}", f"Unknown place kind {kind}")
    if parent is not None and parent.kind in RESPONSIBILITY_KINDS and kind not in RESPONSIBILITY_KINDS:
        raise RefusedError(
            "place_under_grid",
            "网格之下只能再分网格点；楼栋、小区等请用“覆盖”关联到网格。",
            "Only grid points can sit under a grid; link buildings and compounds to it as coverage.",
        )
    for _attempt in range(5):
        try:
            with transaction.atomic():
                if parent is not None:
                    # Lock the parent so siblings are numbered one at a time (no retry storm),
                    # and read its path as stored (the caller's copy may predate a move).
                    parent = Place.objects.select_for_update().get(pk=parent.pk)
                path = _next_child_path(parent)
                place = Place(
                    parent=parent, kind=kind, code=code, name=name, address=address,
                    path=path, path_end=tree.path_end(path), depth=tree.depth(path),
                )
                place.save()
            return place
        except IntegrityError as clash:
            if Place.objects.filter(code=code).exists():
                raise RefusedError(
                    "place_code_taken", f"编码 {code} 已被使用", f"The code {code} is already used"
                ) from clash
            # Another writer took the same path number; number again.
    raise RefusedError("place_busy", "系统繁忙，请重试", "The tree is busy; please try again")


@transaction.atomic
def move_place(place: Place, new_parent: Place) -> Place:
    """Re-parent a place with its subtree; households under it follow (paths rewritten)."""
    place = Place.objects.select_for_update().get(pk=place.pk)
    new_parent = Place.objects.get(pk=new_parent.pk)
    if place.parent_id == new_parent.pk:
        return place
    if tree.is_within(new_parent.path, place.path):
        raise RefusedError("place_move_cycle", "不能移到自己的下级", "A place cannot move under itself")
    old_root = place.path
    old_parent_path = place.parent.path if place.parent_id else ""
    carried = counts.subtree_metrics(place)
    new_root = _next_child_path(new_parent)
    depth_change = tree.depth(new_root) - tree.depth(old_root)
    subtree = list(Place.objects.select_for_update().filter(path__gte=old_root, path__lt=tree.path_end(old_root)))
    for node in subtree:
        node.path = tree.rebase(node.path, old_root, new_root)
        node.path_end = tree.path_end(node.path)
        node.depth += depth_change
        if node.pk == place.pk:
            node.parent = new_parent
    # Two passes so the unique path index never sees a transient clash.
    for node in subtree:
        Place.objects.filter(pk=node.pk).update(path="~" + node.path, path_end=node.path_end)
    for node in subtree:
        Place.objects.filter(pk=node.pk).update(path=node.path, depth=node.depth, parent=node.parent)
    for node in subtree:
        Household.objects.filter(place_id=node.pk).update(place_path=node.path)
        Person.objects.filter(household__place_id=node.pk).update(home_path=node.path)
    counts.bump(old_parent_path, counts.scaled(carried, -1))
    counts.bump(new_parent.path, carried)
    place.refresh_from_db()
    return place


def _require_area(grid: Place) -> None:
    if not grid.is_responsibility_area:
        raise RefusedError(
            "not_a_grid", "只有片区、网格和网格点可以覆盖地点", "Only areas, grids and grid points cover places"
        )


@transaction.atomic
def cover(grid: Place, places: list[Place], *, on: datetime.date | None = None) -> list[GridCoverage]:
    """Make ``grid`` responsible for ``places`` from ``on``."""
    _require_area(grid)
    on = on or timezone.localdate()
    rows = []
    for place in places:
        if place.is_responsibility_area:
            raise RefusedError("cover_grid", "网格不能覆盖网格", "A grid cannot cover another grid")
        existing = GridCoverage.objects.filter(grid=grid, place=place, valid_to__isnull=True).first()
        rows.append(existing or GridCoverage.objects.create(grid=grid, place=place, valid_from=on))
    return rows


@transaction.atomic
def redraw(grid: Place, places: list[Place], *, on: datetime.date | None = None) -> None:
    """Replace what ``grid`` covers from ``on``: old rows are closed, not deleted."""
    _require_area(grid)
    on = on or timezone.localdate()
    keep = {place.pk for place in places}
    current = GridCoverage.objects.select_for_update().filter(grid=grid, valid_to__isnull=True)
    current.exclude(place_id__in=keep).update(valid_to=on)
    cover(grid, places, on=on)


def coverage_on(grid: Place, on: datetime.date):
    """What a grid covered on a given day (history)."""
    from django.db.models import Q

    return GridCoverage.objects.filter(grid=grid, valid_from__lte=on).filter(
        Q(valid_to__isnull=True) | Q(valid_to__gt=on)
    )
