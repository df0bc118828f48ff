"""Outcome figures by place (counts only, never a case's contents): cases received, settled
(an agreement reached), the success rate (agreements over cases concluded: agreement,
failed or handed off), by type and by month. Three statements whatever the number of cases."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from tongxin.core import access
from tongxin.core.models import Place
from tongxin.mediation import rules
from tongxin.mediation.apps import MANAGE, VIEW_STATS
from tongxin.mediation.models import Case, CaseType

MONTHS = 12


def places(user):
    """The starting places of the statistics: the highest ones the user may see."""
    return list(access.root_places(user, VIEW_STATS).order_by("path"))


def visible_place(user, pk) -> Place | None:
    place = Place.objects.filter(pk=pk).first() if str(pk).isdigit() else None
    if place is None or not access.can_see_path(user, VIEW_STATS, place.path):
        return None
    return place


def _counts():
    concluded = Q(outcome__in=rules.CONCLUDED_OUTCOMES)
    return {
        "received": Count("id"),
        "settled": Count("id", filter=Q(outcome="agreement")),
        "concluded": Count("id", filter=concluded),
        "handed_off": Count("id", filter=Q(outcome="handed_off")),
        "open": Count("id", filter=Q(state__in=rules.OPEN_STATES)),
        "overdue": Count("id", filter=Q(state__in=rules.OPEN_STATES, deadline__lt=timezone.localdate())),
    }


def _with_rate(row: dict) -> dict:
    row["rate"] = rules.success_rate(row["settled"], row["concluded"])
    return row


def place_stats(place: Place, *, today: datetime.date | None = None) -> dict:
    today = today or timezone.localdate()
    # A grid's figures are those of the places it covers (``core.access.place_ranges``).
    cases = Case.objects.filter(access.ranges_q(access.place_ranges(place), "place_path"))
    totals = _with_rate(cases.aggregate(**_counts()))
    labels = dict(CaseType.choices)
    by_type = [_with_rate({**row, "label": labels.get(row["case_type"], row["case_type"])})
               for row in cases.values("case_type").annotate(**_counts()).order_by("case_type")]
    first = rules.add_months(today.replace(day=1), -(MONTHS - 1))
    months = {row["month"]: row for row in cases.filter(received_on__gte=first)
              .annotate(month=TruncMonth("received_on")).values("month").annotate(**_counts()).order_by("month")}
    by_month = []
    for index in range(MONTHS):
        month = rules.add_months(first, index)
        row = next((r for key, r in months.items() if key and (key.year, key.month) == (month.year, month.month)),
                   None)
        by_month.append(_with_rate({"month": month, **{k: (row or {}).get(k, 0) for k in _counts()}}))
    return {"totals": totals, "by_type": by_type, "by_month": by_month}


def dashboard_counts(user) -> dict:
    cases = Case.objects.filter(access.path_filter(user, MANAGE, "place_path"))
    return cases.aggregate(open=Count("id", filter=Q(state__in=rules.OPEN_STATES | {rules.RECEIVED})),
                           overdue=Count("id", filter=Q(state__in=rules.OPEN_STATES,
                                                        deadline__lt=timezone.localdate())))
