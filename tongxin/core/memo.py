"""A per-process memo for the few small, read-mostly lookups every resident's request makes
(the QR code's place, the category list, the calendar's exceptions).

Why not the cache: Django's local-memory cache pickles every value in and out, and a
shared cache (Redis) adds a round trip; for a handful of rows read on every scan that was
a measurable share of the request (``bench/bench_demands.py``, ``docs/demands.md``). Each
process keeps its own copy for ``ttl`` seconds, as the per-process cache did, so a change
(a place renamed, a category retired) shows within that time.

Values are shared by every request of the process: treat them as read-only. The memo is
bounded (``MAX_ENTRIES``; when full it starts over) and thread-safe enough for sync
workers (single dictionary operations under the GIL). Tests clear it with the cache
(the root ``conftest.py``).
"""

import time
from collections.abc import Callable

MAX_ENTRIES = 20000
_store: dict[str, tuple[float, object]] = {}


def get_or_set(key: str, produce: Callable[[], object], ttl: float) -> object:
    """The value memoised under ``key``, or ``produce()``'s, kept for ``ttl`` seconds.
    ``None`` is memoised too (an unknown QR token stays unknown for ``ttl``)."""
    now = time.monotonic()
    found = _store.get(key)
    if found is not None and found[0] > now:
        return found[1]
    value = produce()
    if len(_store) >= MAX_ENTRIES:
        _store.clear()
    _store[key] = (now + ttl, value)
    return value


def forget(key: str) -> None:
    _store.pop(key, None)


def clear() -> None:
    _store.clear()
