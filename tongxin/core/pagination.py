from django.db.models import Q
from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Pages by primary key (an opaque cursor), never by OFFSET: flat cost on any page."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def keyset_page(queryset, after: int | None, size: int) -> tuple[list, int | None]:
    """Screens' keyset paging: up to ``size`` rows with id > ``after``, and the next cursor.

    ``queryset`` must be ordered by id. One statement whatever the page number.
    """
    if after:
        queryset = queryset.filter(id__gt=after)
    rows = list(queryset[: size + 1])
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


def newest_first_page(queryset, before: str, size: int) -> tuple[list, int | None]:
    """:func:`keyset_page` the other way (inboxes, work queues): rows with id < ``before``
    (the cursor as it comes from the query string; anything but digits starts at the top)."""
    queryset = queryset.order_by("-id")
    if before and before.isdigit():
        queryset = queryset.filter(id__lt=int(before))
    rows = list(queryset[: size + 1])
    return rows[:size], (rows[size - 1].id if len(rows) > size else None)


def _value(row, name: str):
    return row[name] if isinstance(row, dict) else getattr(row, name)


def by_value_page(queryset, field: str, cursor: str, size: int, *, parse, descending: bool = False,
                  pk: str = "pk") -> tuple[list, str]:
    """Keyset paging on (``field``, id) for screens ordered by a date or a time, never by
    OFFSET: up to ``size`` rows after the cursor ``"<value>_<id>"`` of the last row shown,
    and the next cursor ("" at the end). ``parse`` reads the value back from the cursor (e.g.
    ``datetime.date.fromisoformat``); a cursor it cannot read starts at the top. Rows may be
    instances or ``values()`` dicts (which must include ``field`` and ``pk``)."""
    order = (f"-{field}", "-pk") if descending else (field, "pk")
    queryset = queryset.order_by(*order)
    at, _sep, last = (cursor or "").rpartition("_")
    if at and last.isdigit():
        try:
            value = parse(at)
        except ValueError:
            value = None
        if value is not None:
            beyond = "lt" if descending else "gt"
            queryset = queryset.filter(
                Q(**{f"{field}__{beyond}": value}) | Q(**{field: value, f"pk__{beyond}": int(last)}))
    rows = list(queryset[: size + 1])
    more, rows = len(rows) > size, rows[:size]
    following = f"{_value(rows[-1], field).isoformat()}_{_value(rows[-1], pk)}" if more and rows else ""
    return rows, following
