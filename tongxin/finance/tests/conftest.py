import importlib

import pytest

from tongxin.demands.testing import catalogues  # noqa: F401 - autouse: the data migrations' rows, back after a flush

FROZEN = importlib.import_module("tongxin.finance.migrations.0003_statement_frozen_triggers")


@pytest.fixture(autouse=True)
def _sqlite_flush_past_frozen_statements(request, django_db_blocker):
    """SQLite wipes a transactional test's database with ``DELETE FROM``, which the trigger
    guarding published statements refuses (PostgreSQL truncates, which fires no trigger). After
    such a test, and before the wipe (this fixture asks for the database fixture, so it is torn
    down first), the statements are deleted with the delete trigger lifted, then it is restored."""
    marker = request.node.get_closest_marker("django_db")
    if not (marker and marker.kwargs.get("transaction")):
        yield
        return
    request.getfixturevalue("_django_db_helper")
    yield
    from django.db import connection

    if connection.vendor != "sqlite":
        return
    with django_db_blocker.unblock(), connection.cursor() as cursor:
        cursor.execute(FROZEN.SQLITE_BACKWARD[1])
        cursor.execute("DELETE FROM finance_linequestion")
        cursor.execute("DELETE FROM finance_statement")
        cursor.execute(FROZEN.SQLITE_FORWARD[1])
