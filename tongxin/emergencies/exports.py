"""The report as Excel: every household reached (when, how, by whom, help asked), then the
households never reached, within what the viewer may see."""

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from tongxin.core.workbooks import add_sheet, new_workbook, to_bytes
from tongxin.emergencies import selectors
from tongxin.emergencies.models import Reach


def reaches_workbook(user, notice) -> bytes:
    scoped = (Reach.objects.filter(selectors.scoped_q(user, notice, "place_path"), notice=notice)
              .select_related("household__place", "by").order_by("place_path", "household__unit_number"))
    book = new_workbook()
    header = [_("Place"), _("Unit"), pgettext("emergency", "How"), pgettext("emergency", "When"), _("By"),
              _("Needs help"), _("Note")]
    add_sheet(book, pgettext("emergency", "Reached"), header, [
        [r.household.place.name, r.household.unit_number, r.get_way_display(),
         timezone.localtime(r.at).strftime("%Y-%m-%d %H:%M"), r.by.name if r.by else "",
         _("yes") if r.needs_help else "", r.note] for r in scoped.iterator(chunk_size=2000)
    ], widths=(20, 10, 14, 18, 12, 10, 30))
    shown = selectors.board(user, notice)
    add_sheet(book, _("By building"),
              [_("Place"), _("To reach"), pgettext("emergency", "Reached"), pgettext("emergency", "Remaining")],
              [[row.place.name, row.target, row.reached, row.remaining] for row in shown.blocks],
              widths=(20, 10, 10, 10))
    return to_bytes(book)
