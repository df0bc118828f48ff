"""Plain Excel sheets for the apps' exports: a bold, frozen header row, then the rows."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def new_workbook() -> Workbook:
    """A workbook without its default empty sheet."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    return workbook


def add_sheet(workbook: Workbook, title: str, header: list, rows, widths=()):
    """A sheet named ``title`` (Excel allows 31 characters) with ``header`` in bold and frozen,
    then ``rows``; ``widths`` set the first columns' widths."""
    sheet = workbook.create_sheet(str(title)[:31])
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    return sheet


def to_bytes(workbook: Workbook) -> bytes:
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
