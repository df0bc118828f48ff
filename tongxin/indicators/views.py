"""The leaders' dashboard (``/indicators/``), its big-screen twin and its Excel download:
thin views over ``selectors.board``."""

from __future__ import annotations

import json

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.workbooks import XLSX
from tongxin.indicators import selectors, table
from tongxin.indicators.apps import VIEW_INDICATORS
from tongxin.indicators.exports import workbook
from tongxin.indicators.periods import Period
from tongxin.indicators.rates import RATE_BY_CODE

TREND_RATES = ("response", "resolution", "satisfaction", "on_time_closure")


def _board(request):
    if not access.has_permission(request.user, VIEW_INDICATORS):
        raise PermissionDenied
    place = selectors.visible_place(request.user, request.GET.get("place"))
    period = Period.parse(request.GET.get("period"), request.GET.get("on"))
    return selectors.board(place, period)


def _percent(number):
    return None if number is None else round(number * 100, 1)


def _charts(board) -> dict:
    rated = [row for row in board.children if row.values["score"] is not None]
    return {
        "children": {"labels": [r.label for r in rated], "values": [round(r.values["score"], 1) for r in rated]},
        "categories": {"labels": [c.label for c in board.categories],
                       "values": [c.counters.get("counted", 0) for c in board.categories]},
        "volume": {"labels": [t.label for t in board.trend], "series": [
            {"name": str(_("Demands reported")), "values": [t.counters.get("received", 0) for t in board.trend]},
            {"name": str(_("Resolved")), "values": [t.counters.get("resolved", 0) for t in board.trend]},
        ]},
        "rates": {"labels": [t.label for t in board.trend], "max": 100, "series": [
            {"name": str(RATE_BY_CODE[code].label), "values": [_percent(t.values[code]) for t in board.trend]}
            for code in TREND_RATES
        ]},
    }


def _context(request, board) -> dict:
    def rows(found):
        return [(figures, table.cells(figures)) for figures in found]

    return {
        "board": board, "place": board.place, "period": board.period,
        "columns": table.COLUMNS, "total": table.cells(board.total),
        "children": rows(board.children), "categories": rows(board.categories),
        "grid_ranking": rows(board.grid_ranking), "community_ranking": rows(board.community_ranking),
        "trend_rows": rows(board.trend),
        "big": [(label, cell) for (key, label, kind), cell in zip(table.COLUMNS, table.cells(board.total), strict=True)
                if kind != "count" or key == "received"],
        "trail": selectors.trail(request.user, board.place), "charts": _charts(board),
    }


@login_required
def dashboard(request):
    board = _board(request)
    return render(request, "indicators/dashboard.html", _context(request, board))


@login_required
def screen(request):
    """The big screen in a leaders' office: large type, dark, refreshing itself every minute."""
    board = _board(request)
    context = _context(request, board)
    specs = {name: json.dumps(spec, ensure_ascii=False) for name, spec in context["charts"].items()}
    return render(request, "indicators/screen.html", {**context, "specs": specs, "refreshed_at": timezone.localtime()})


@login_required
def export(request):
    board = _board(request)
    response = HttpResponse(workbook(board), content_type=XLSX)
    name = f"indicators-{board.place.code}-{board.period.kind}-{board.period.start.isoformat()}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
