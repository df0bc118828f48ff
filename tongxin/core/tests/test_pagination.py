"""Keyset paging by (a date or time, id): every row once, in order, across pages with ties."""

import datetime

import pytest

from tongxin.core.models import Person
from tongxin.core.pagination import by_value_page

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("size", [1, 2, 3, 7])
def test_pages_walk_every_row_once_in_order_across_ties(descending, size):
    days = [datetime.date(1950, 1, 1) + datetime.timedelta(days=n // 3) for n in range(7)]  # threes share a day
    Person.objects.bulk_create([Person(name=f"居民{n}", birth_date=day) for n, day in enumerate(days)])
    seen, cursor, pages = [], "", 0
    while True:
        rows, cursor = by_value_page(Person.objects.all(), "birth_date", cursor, size,
                                     parse=datetime.date.fromisoformat, descending=descending)
        seen += [(p.birth_date, p.pk) for p in rows]
        pages += 1
        if not cursor:
            break
    assert seen == sorted(seen, reverse=descending) and len(seen) == len(set(seen)) == 7
    assert pages == -(-7 // size)


@pytest.mark.parametrize("cursor", ["", "garbage", "2020-13-40_5", "1950-01-01_x", "_"])
def test_a_cursor_it_cannot_read_starts_at_the_top(cursor):
    Person.objects.bulk_create([Person(name=f"居民{n}", birth_date=datetime.date(1950, 1, n + 1)) for n in range(3)])
    rows, _next = by_value_page(Person.objects.all(), "birth_date", cursor, 2, parse=datetime.date.fromisoformat)
    assert [p.birth_date.day for p in rows] == [1, 2]


def test_values_rows_page_too():
    Person.objects.bulk_create([Person(name=f"居民{n}", birth_date=datetime.date(1950, 1, 1)) for n in range(3)])
    rows, cursor = by_value_page(Person.objects.values("pk", "birth_date"), "birth_date", "", 2,
                                 parse=datetime.date.fromisoformat)
    assert len(rows) == 2 and cursor == f"1950-01-01_{rows[-1]['pk']}"
