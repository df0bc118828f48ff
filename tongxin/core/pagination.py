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
