"""Materialised paths for the place tree: pure functions, no database.

A place's path is its ancestors' segments followed by its own, each segment a fixed
``SEGMENT_WIDTH`` digits (``00003`` ``0000300012`` ...). Digits only, with no separator,
so the order is the same under every collation (PostgreSQL's ``en_US`` collation ignores
punctuation, which would break a ``.``-separated path). "Everything under P" is the
half-open range ``[P.path, P.path_end)`` where ``path_end`` is P's path with its last
segment incremented: one index range scan on SQLite and PostgreSQL alike, where Django's
``startswith`` becomes a ``LIKE`` that SQLite answers with a full scan.
"""

SEGMENT_WIDTH = 5
MAX_SEGMENT = 10**SEGMENT_WIDTH - 2  # keeps path_end's last segment within the width


class TreeFull(ValueError):
    """A place already has the largest number of children a segment can number."""


def segment(number: int) -> str:
    if not 1 <= number <= MAX_SEGMENT:
        raise TreeFull(f"segment {number} outside 1..{MAX_SEGMENT}")
    return str(number).zfill(SEGMENT_WIDTH)


def child_path(parent_path: str, number: int) -> str:
    return parent_path + segment(number)


def path_end(path: str) -> str:
    """The exclusive upper bound of the subtree rooted at ``path``."""
    head, last = path[:-SEGMENT_WIDTH], path[-SEGMENT_WIDTH:]
    return head + str(int(last) + 1).zfill(SEGMENT_WIDTH)


def depth(path: str) -> int:
    return len(path) // SEGMENT_WIDTH


def last_segment_number(path: str) -> int:
    return int(path[-SEGMENT_WIDTH:])


def ancestor_paths(path: str) -> list[str]:
    """Paths of every ancestor, root first, excluding ``path`` itself."""
    return [path[:end] for end in range(SEGMENT_WIDTH, len(path), SEGMENT_WIDTH)]


def lineage(path: str) -> list[str]:
    """The paths of a place's ancestors and of the place itself, root first."""
    return [*ancestor_paths(path), path]


def is_within(path: str, root: str) -> bool:
    return root <= path < path_end(root)


def rebase(path: str, old_root: str, new_root: str) -> str:
    """The path of a descendant after its subtree moved from ``old_root`` to ``new_root``."""
    if not path.startswith(old_root):
        raise ValueError(f"{path} is not under {old_root}")
    return new_root + path[len(old_root):]


def merge_ranges(ranges: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Drop ranges contained in another, so access filters stay short."""
    merged: list[tuple[str, str]] = []
    for start, end in sorted(ranges):
        if merged and start < merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
            continue
        merged.append((start, end))
    return merged


def intersect_ranges(first, second) -> list[tuple[str, str]]:
    """The half-open path ranges lying in both lists (where a viewer's grants meet a place)."""
    found = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            start, end = max(a_start, b_start), min(a_end, b_end)
            if start < end:
                found.append((start, end))
    return merge_ranges(found)
