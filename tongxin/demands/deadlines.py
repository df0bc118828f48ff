"""Response and resolution deadlines, after the 12345 hotline's tiers. Pure functions.

| tier | response | resolution |
|---|---|---|
| emergency (紧急) | 30 minutes | 2 hours |
| utility (水电气暖) | 2 hours | 24 hours |
| same_day (当天的事情当天解决) | 2 hours | end of the day (after 18:00: of the next day) |
| ordinary (一般) | 1 working day | 7 working days |
| complex (复杂) | 1 working day | 15 working days |

Clock times run day and night; working days follow ``core.workdays`` (the day of the
report does not count; the limit ends at 24:00 of the Nth working day). A category may
override either deadline with a clock duration (``Category.response_time`` /
``resolution_time``).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils.translation import gettext_lazy as _

from tongxin.core import workdays


@dataclass(frozen=True)
class Limit:
    hours: float = 0  # clock hours
    working_days: int = 0
    same_day: bool = False


@dataclass(frozen=True)
class Tier:
    code: str
    label: object
    response: Limit
    resolution: Limit


TIERS = {
    t.code: t
    for t in (
        Tier("emergency", _("Emergency"), Limit(hours=0.5), Limit(hours=2)),
        Tier("utility", _("Water, power, gas, heating"), Limit(hours=2), Limit(hours=24)),
        Tier("same_day", _("Same day"), Limit(hours=2), Limit(same_day=True)),
        Tier("ordinary", _("Ordinary"), Limit(working_days=1), Limit(working_days=7)),
        Tier("complex", _("Complex"), Limit(working_days=1), Limit(working_days=15)),
    )
}
TIER_CHOICES = [(t.code, t.label) for t in TIERS.values()]
SAME_DAY_CUTOFF = datetime.time(18, 0)  # reported later: the next day counts as "the same day"


def due(start: datetime.datetime, limit: Limit, exceptions: dict[datetime.date, str], tz: ZoneInfo,
        override: datetime.timedelta | None = None) -> datetime.datetime:
    """When ``limit`` (or the category's ``override``) ends for something that started at ``start``."""
    if override:
        return start + override
    if limit.working_days:
        return workdays.add_working_days(start, limit.working_days, exceptions, tz)
    if limit.same_day:
        local = start.astimezone(tz)
        day = local.date() + datetime.timedelta(days=1 if local.time() >= SAME_DAY_CUTOFF else 0)
        return workdays.end_of_day(day, tz)
    return start + datetime.timedelta(hours=limit.hours)


def deadlines(start: datetime.datetime, category, exceptions: dict[datetime.date, str],
              tz: ZoneInfo) -> tuple[datetime.datetime, datetime.datetime]:
    """(respond by, resolve by) for a demand of ``category`` reported at ``start``."""
    tier = TIERS.get(category.tier, TIERS["ordinary"])
    return (due(start, tier.response, exceptions, tz, category.response_time),
            due(start, tier.resolution, exceptions, tz, category.resolution_time))
