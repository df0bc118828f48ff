"""Reads for visits: the subject a visit is recorded for, its recent visits, the overdue list."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.http import Http404
from django.utils import timezone

from tongxin.care.apps import MANAGE, VIEW
from tongxin.care.models import CareSubject, Visit
from tongxin.care.services import visits as services
from tongxin.core import access
from tongxin.core.pagination import by_value_page
from tongxin.core.privacy import mask_name

OVERDUE_PAGE = 50


def subject_to_record(user, pk) -> CareSubject:
    """A subject the user may record a visit for (a paired helper, or ``care.manage`` there), else 404."""
    subject = (CareSubject.objects.select_related("person__household__place").filter(pk=pk).first()
               if str(pk).isdigit() else None)
    if subject is None or not services.can_record(user, subject):
        raise Http404("not a subject you visit")
    return subject


def recent_visits(subject: CareSubject, most: int = 5) -> list[Visit]:
    return list(subject.visits.select_related("visitor", "wish", "demand").prefetch_related("photos")[:most])


def can_see_overdue(user) -> bool:
    return access.has_permission(user, MANAGE) or access.has_permission(user, VIEW)


@dataclass
class OverdueRow:
    pk: int
    name: str
    due: datetime.date
    late: int
    place: str
    notified_on: datetime.date | None
    can_record: bool


def overdue(user, after: str = "", today: datetime.date | None = None) -> tuple[list[OverdueRow], str]:
    """Open subjects past their due date in the viewer's places, oldest first; a keyset page
    (``after`` is ``<date>_<pk>`` of the last row shown). Names are masked for viewers without
    ``care.manage`` (leaders)."""
    today = today or timezone.localdate()
    scope = access.path_filter(user, MANAGE, "home_path") | access.path_filter(user, VIEW, "home_path")
    rows = CareSubject.objects.filter(scope, closed_on__isnull=True, next_visit_due__lt=today)
    found, cursor = by_value_page(
        rows.values("pk", "next_visit_due", "overdue_notified_on", "home_path", "person__name",
                    "person__household__unit_number", "person__household__place__name",
                    "person__household__place__parent__name"),
        "next_visit_due", after, OVERDUE_PAGE, parse=datetime.date.fromisoformat)
    result = []
    for row in found:
        manage = access.can_see_path(user, MANAGE, row["home_path"])
        place = " ".join(filter(None, [row["person__household__place__parent__name"],
                                       row["person__household__place__name"],
                                       row["person__household__unit_number"] if manage else ""]))
        result.append(OverdueRow(row["pk"], row["person__name"] if manage else mask_name(row["person__name"]),
                                 row["next_visit_due"], (today - row["next_visit_due"]).days, place,
                                 row["overdue_notified_on"], manage))
    return result, cursor
