"""Excel exports the registers declare in their manifest (``core.registry.Export``)."""

from django.utils.translation import gettext as _

from tongxin.core.places import full_names
from tongxin.core.workbooks import add_sheet, new_workbook, to_bytes
from tongxin.registers.named_people import gaps_under


def named_people_gaps(user, place) -> tuple[str, bytes]:
    gaps = gaps_under(place)
    workbook = new_workbook()
    header = [_("Place"), _("Code"), _("Missing")]
    sections = ((_("Buildings"), gaps.buildings), (_("Villages"), gaps.villages), (_("Grids"), gaps.grids))
    names = full_names([gap.place for _title, found in sections for gap in found])
    for title, found in sections:
        rows = ([names[g.place.pk], g.place.code, "、".join(g.missing_labels)] for g in found)
        add_sheet(workbook, title, header, rows, widths=(48, 12, 60))
    return f"named-people-gaps-{place.code}.xlsx", to_bytes(workbook)
