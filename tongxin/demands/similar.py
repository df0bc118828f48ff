"""Same problem already reported? Open demands of the same building that look alike.

Candidates come from an index, never a scan: open demands under the same building (or the
place itself where it has no building) from the last 30 days, at most 50. They are scored
on character bigrams (Chinese has no spaces; two characters carry most of a word), and
shown to other residents only as a redacted summary: category, place, date and the first
words with digits and the reporter's name taken out. Sensitive categories (邻里纠纷) are
never shown. Issue 7 replaces the scoring with jieba and rapidfuzz for staff merging.
"""

from __future__ import annotations

import datetime
import re

from django.utils import timezone

from tongxin.core.models import Place
from tongxin.demands import rules
from tongxin.demands.models import Demand

WINDOW_DAYS = 30
CANDIDATES = 50
SHOWN = 3
THRESHOLD = 0.4


def _bigrams(text: str) -> set[str]:
    text = re.sub(r"[\s\W\d]+", "", text or "")
    return {text[i:i + 2] for i in range(len(text) - 1)} or ({text} if text else set())


def likeness(a: str, b: str) -> float:
    """Overlap of character bigrams, 0..1: how much of the shorter text the other one shares
    (a short "楼道灯坏了" should match a long report that says it among other things)."""
    x, y = _bigrams(a), _bigrams(b)
    return len(x & y) / min(len(x), len(y)) if x and y else 0.0


def neighbourhood(place: Place) -> Place:
    """The building a door belongs to (its entrances share problems), else the place itself."""
    building = place.ancestors().filter(kind="building").last()
    return building or place


def redacted(demand: Demand) -> str:
    text = demand.description
    if demand.reporter_name:
        text = text.replace(demand.reporter_name, "**")
    text = re.sub(r"\d+", "*", text)
    return text[:24] + ("…" if len(text) > 24 else "")


def alike(place: Place, description: str) -> list[tuple[Demand, str]]:
    """Up to three open, non-sensitive demands nearby that look like ``description``, redacted."""
    if len((description or "").strip()) < 4:
        return []
    around = neighbourhood(place)
    since = timezone.now() - datetime.timedelta(days=WINDOW_DAYS)
    candidates = (
        Demand.objects.filter(place_path__gte=around.path, place_path__lt=around.path_end, created_at__gte=since,
                              state__in=rules.OPEN_STATES, category__sensitive=False)
        .select_related("category", "place").order_by("-id")[:CANDIDATES]
    )
    scored = sorted(((likeness(description, d.description), d) for d in candidates), key=lambda s: -s[0])
    return [(d, redacted(d)) for score, d in scored[:SHOWN] if score >= THRESHOLD]
