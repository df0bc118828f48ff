"""Relief hand-overs as Excel: every hand-over of the distributions at or under a place, with
who handed over, when, and how the recipient confirmed (no eligibility category)."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core import access
from tongxin.core.tree import path_end
from tongxin.core.workbooks import add_sheet, new_workbook, to_bytes
from tongxin.relief.apps import MANAGE
from tongxin.relief.models import HandOver


def hand_overs_workbook(user, place) -> tuple[str, bytes]:
    found = (HandOver.objects.filter(access.path_filter(user, MANAGE, "entitlement__distribution__place_path"),
                                     entitlement__distribution__place_path__gte=place.path,
                                     entitlement__distribution__place_path__lt=path_end(place.path))
             .select_related("entitlement__distribution", "entitlement__household", "entitlement__building",
                             "handed_by").order_by("entitlement__distribution", "id"))
    rows = [[h.entitlement.distribution.title, h.entitlement.building.name, h.entitlement.household.unit_number,
             h.get_method_display(), h.handed_by.name, timezone.localtime(h.handed_at).strftime("%Y-%m-%d %H:%M")]
            for h in found.iterator()]
    book = new_workbook()
    add_sheet(book, _("Hand-overs"), [_("Distribution"), _("Building"), _("Unit"), _("Confirmed by"),
                                      _("Handed over by"), _("Handed over at")], rows,
              widths=(24, 16, 10, 20, 12, 18))
    return f"relief-hand-overs-{place.code}-{timezone.localdate():%Y%m%d}.xlsx", to_bytes(book)
