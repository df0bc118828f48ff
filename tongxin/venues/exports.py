"""Venue usage as Excel: the last twelve months, one row per venue and month."""

from django.utils import timezone
from django.utils.translation import gettext as _

from tongxin.core.workbooks import add_sheet, new_workbook, to_bytes
from tongxin.venues import selectors


def last_months(count: int = 12) -> list[tuple[int, int]]:
    today = timezone.localdate()
    found, year, month = [], today.year, today.month
    for _i in range(count):
        found.append((year, month))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return found[::-1]


def usage_workbook(user, place) -> tuple[str, bytes]:
    rows = []
    for year, month in last_months():  # twelve times three queries, whatever the venues
        for row in selectors.usage(user, place, year, month):
            rows.append([f"{year:04d}-{month:02d}", row.venue.place.name, row.venue.name, row.bookings, row.hours])
    book = new_workbook()
    add_sheet(book, _("Venue usage"), [_("Month"), _("Place"), _("Venue"), _("Bookings"), _("Hours")], rows,
              widths=(10, 20, 20, 10, 10))
    return f"venues-usage-{place.code}-{timezone.localdate():%Y%m}.xlsx", to_bytes(book)
