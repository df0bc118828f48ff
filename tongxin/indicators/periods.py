"""Reporting periods: a week (Monday to Sunday) or a calendar month, with the ones around it."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext as _

WEEK, MONTH = "week", "month"
KINDS = (WEEK, MONTH)


@dataclass(frozen=True)
class Period:
    kind: str
    start: datetime.date
    end: datetime.date  # inclusive

    @classmethod
    def containing(cls, day: datetime.date, kind: str = MONTH) -> Period:
        if kind == WEEK:
            start = day - datetime.timedelta(days=day.weekday())
            return cls(WEEK, start, start + datetime.timedelta(days=6))
        start = day.replace(day=1)
        following = (start + datetime.timedelta(days=32)).replace(day=1)
        return cls(MONTH, start, following - datetime.timedelta(days=1))

    @classmethod
    def parse(cls, kind: str | None, on: str | None) -> Period:
        """From query parameters; anything malformed means this month."""
        try:
            day = datetime.date.fromisoformat(on) if on else timezone.localdate()
        except ValueError:
            day = timezone.localdate()
        return cls.containing(day, kind if kind in KINDS else MONTH)

    @property
    def previous(self) -> Period:
        return Period.containing(self.start - datetime.timedelta(days=1), self.kind)

    @property
    def next(self) -> Period:
        return Period.containing(self.end + datetime.timedelta(days=1), self.kind)

    def back(self, count: int) -> list[Period]:
        """This period and the ``count - 1`` before it, oldest first."""
        found = [self]
        while len(found) < count:
            found.insert(0, found[0].previous)
        return found

    def due_end(self, today: datetime.date | None = None) -> datetime.date:
        """The last day whose deadlines count as fallen due: the period's end, or today."""
        return min(self.end, today or timezone.localdate())

    @property
    def label(self) -> str:
        if self.kind == MONTH:
            return _("%(year)d-%(month)02d") % {"year": self.start.year, "month": self.start.month}
        return _("week of %(day)s") % {"day": self.start.isoformat()}

    @property
    def short_label(self) -> str:
        if self.kind == WEEK:
            return f"{self.start.month}/{self.start.day}"
        return f"{self.start.year}-{self.start.month:02d}"
