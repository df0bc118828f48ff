"""Excel exports the registers declare in their manifest (``core.registry.Export``)."""

from io import BytesIO

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from tongxin.core.places import full_names
from tongxin.registers.named_people import gaps_under


def _sheet(workbook, title, header, rows):
    sheet = workbook.create_sheet(title)
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(row)
    sheet.freeze_panes = "A2"
    for column, width in zip("ABC", (48, 12, 60), strict=False):
        sheet.column_dimensions[column].width = width


def named_people_gaps(user, place) -> tuple[str, bytes]:
    gaps = gaps_under(place)
    workbook = Workbook()
    workbook.remove(workbook.active)
    header = [_("Place"), _("Code"), _("Missing")]
    sections = ((_("Buildings"), gaps.buildings), (_("Villages"), gaps.villages), (_("Grids"), gaps.grids))
    names = full_names([gap.place for _title, found in sections for gap in found])
    for title, found in sections:
        _sheet(workbook, title, header, ([names[g.place.pk], g.place.code, "、".join(g.missing_labels)] for g in found))
    out = BytesIO()
    workbook.save(out)
    return f"named-people-gaps-{place.code}.xlsx", out.getvalue()
