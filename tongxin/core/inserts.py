"""One INSERT per model, its statement built once per process (:func:`insert`).

``Model.save`` compiles its INSERT on every call; for the two writes that must be as cheap
as a write gets (a resident's QR report, an emergency call) that compiling was a tenth or
more of the request's Python (``docs/demands.md``, ``docs/care.md``). Like ``bulk_create``,
:func:`insert` sends no ``pre_save``/``post_save`` signal: a model written this way says so
in its docstring, and a test holds that nothing listens to its signals.
"""

from __future__ import annotations

from django.db import transaction

_STATEMENTS: dict[tuple[str, str], tuple[str, list]] = {}  # (vendor, model label) -> (sql, fields)


def _statement(connection, model) -> tuple[str, list]:
    key = (connection.vendor, model._meta.label)
    if key not in _STATEMENTS:
        quote = connection.ops.quote_name
        fields = [field for field in model._meta.concrete_fields if not field.primary_key]
        sql = (f"INSERT INTO {quote(model._meta.db_table)} ({', '.join(quote(field.column) for field in fields)})"
               f" VALUES ({', '.join(['%s'] * len(fields))})")
        if connection.features.can_return_columns_from_insert:
            sql += f" RETURNING {quote(model._meta.pk.column)}"
        _STATEMENTS[key] = (sql, fields)
    return _STATEMENTS[key]


def insert(instance) -> None:
    """Write a new ``instance`` with one INSERT; its primary key is set from the database."""
    connection = transaction.get_connection()
    sql, fields = _statement(connection, type(instance))
    params = [field.get_db_prep_save(field.pre_save(instance, True), connection) for field in fields]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        pk = cursor.fetchone()[0] if connection.features.can_return_columns_from_insert else cursor.lastrowid
    instance.pk = pk
    instance._state.adding = False
    instance._state.db = connection.alias
