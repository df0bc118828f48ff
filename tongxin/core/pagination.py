from rest_framework.pagination import CursorPagination


class KeysetPagination(CursorPagination):
    """Pages by primary key (an opaque cursor), never by OFFSET: flat cost on any page."""

    ordering = "id"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
