"""The indicator table as an Excel workbook: the place and its parts, the categories, the
trend and the rankings, one sheet each, with the same columns as the dashboard."""

from __future__ import annotations

from io import BytesIO

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tongxin.indicators import selectors, table
from tongxin.indicators.periods import MONTH, Period

FORMATS = {"rate": "0.0%", "hours": "0.0", "score": "0.0", "count": "0"}


def _sheet(book, title: str, first: str, rows) -> None:
    sheet = book.create_sheet(title[:31])
    sheet.append([first, *(str(label) for _key, label, _kind in table.COLUMNS)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for figures in rows:
        values = (table.excel_value(table.value(figures, key, kind), kind) for key, _label, kind in table.COLUMNS)
        sheet.append([figures.label or _("Elsewhere"), *values])
    for index, (_key, _label, kind) in enumerate(table.COLUMNS, start=2):
        for (cell,) in sheet.iter_rows(min_row=2, min_col=index, max_col=index):
            cell.number_format = FORMATS[kind]
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 24


def workbook(board) -> bytes:
    book = Workbook()
    book.remove(book.active)
    title = f"{board.place.name} {board.period.start.isoformat()}–{board.period.end.isoformat()}"
    _sheet(book, _("Places"), title, [board.total, *board.children])
    _sheet(book, _("Categories"), _("Category"), board.categories)
    _sheet(book, _("Trend"), _("Period"), board.trend)
    _sheet(book, _("Grid ranking"), _("Grid"), board.grid_ranking)
    _sheet(book, _("Community ranking"), _("Community"), board.community_ranking)
    out = BytesIO()
    book.save(out)
    return out.getvalue()


def this_month(user, place) -> tuple[str, bytes]:
    """The manifest's export (``/exports/indicators-month/<place>/``): this month's table."""
    period = Period.containing(timezone.localdate(), MONTH)
    return f"indicators-{place.code}-{period.start:%Y-%m}.xlsx", workbook(selectors.board(place, period))
