"""The database itself refuses to change or delete a published statement (``docs/finance.md``,
"Frozen in the database"). ``Statement.save()`` and the services refuse first; these triggers
also stop a queryset ``.update()``/``.delete()``, raw SQL, or another program.

Allowed on a published row: an UPDATE that changes nothing but ``notice_id`` (the ORM sets it
to NULL when the notice on the board is deleted: ``on_delete=SET_NULL``). Publishing itself is
the UPDATE of a row whose ``published_at`` is still NULL, so it passes.
"""

from django.db import migrations

# Every column but notice_id: SQLite has no row comparison with an exception, so they are named.
# A column added to Statement later must be added here too (a new migration recreating the trigger).
COLUMNS = ("id", "account_id", "year", "quarter", "opening_fen", "income_fen", "spending_fen", "closing_fen",
           "lines", "corrects_id", "correction_reason", "created_by_id", "created_at", "published_at")
MESSAGE = "finance_statement_frozen: a published statement cannot be changed or deleted"

POSTGRES_FORWARD = f"""
CREATE OR REPLACE FUNCTION finance_statement_frozen() RETURNS trigger AS $$
BEGIN
    IF OLD.published_at IS NOT NULL THEN
        IF TG_OP = 'DELETE'
           OR (to_jsonb(OLD) - 'notice_id') IS DISTINCT FROM (to_jsonb(NEW) - 'notice_id') THEN
            RAISE EXCEPTION '{MESSAGE}' USING ERRCODE = 'integrity_constraint_violation';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER finance_statement_frozen BEFORE UPDATE OR DELETE ON finance_statement
    FOR EACH ROW EXECUTE FUNCTION finance_statement_frozen();
"""
POSTGRES_BACKWARD = """
DROP TRIGGER IF EXISTS finance_statement_frozen ON finance_statement;
DROP FUNCTION IF EXISTS finance_statement_frozen();
"""

_changed = " OR ".join(f"OLD.{c} IS NOT NEW.{c}" for c in COLUMNS)
SQLITE_FORWARD = [
    f"""CREATE TRIGGER finance_statement_frozen_update BEFORE UPDATE ON finance_statement
    FOR EACH ROW WHEN OLD.published_at IS NOT NULL AND ({_changed})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
    f"""CREATE TRIGGER finance_statement_frozen_delete BEFORE DELETE ON finance_statement
    FOR EACH ROW WHEN OLD.published_at IS NOT NULL
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS finance_statement_frozen_update;",
    "DROP TRIGGER IF EXISTS finance_statement_frozen_delete;",
]


def forward(apps, schema_editor):
    _run(schema_editor, POSTGRES_FORWARD, SQLITE_FORWARD)


def backward(apps, schema_editor):
    _run(schema_editor, POSTGRES_BACKWARD, SQLITE_BACKWARD)


def _run(schema_editor, postgres: str, sqlite: list[str]) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(postgres)
    elif vendor == "sqlite":
        for statement in sqlite:
            schema_editor.execute(statement)
    else:
        raise NotImplementedError(f"finance: no frozen-statement trigger for {vendor}")


class Migration(migrations.Migration):

    dependencies = [("finance", "0002_linequestion")]

    operations = [migrations.RunPython(forward, backward, elidable=False)]
