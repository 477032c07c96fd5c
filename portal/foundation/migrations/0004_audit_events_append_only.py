"""Audit rows are append-only in the database: triggers refuse UPDATE and DELETE of any row.

Row-level triggers on purpose, not a statement-level one on TRUNCATE: the test suite's
transactional tests empty every table with TRUNCATE between tests (pytest-django's flush), which
a TRUNCATE trigger would break. In production, grant the application's database role no
TRUNCATE on this table (nor ownership of it), so that only its owner can empty it.

On SQLite, Django alters a table by copying it into a new one, which drops its triggers: a later
migration changing this table must install them again.
"""

from django.db import migrations

POSTGRESQL_TRIGGER = """
CREATE FUNCTION portal_auditevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = 'Audit events are append-only: ' || TG_OP || ' refused.',
        ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER portal_auditevent_append_only
    BEFORE UPDATE OR DELETE ON portal_auditevent
    FOR EACH ROW EXECUTE FUNCTION portal_auditevent_append_only();
"""
POSTGRESQL_REVERSE = """
DROP TRIGGER portal_auditevent_append_only ON portal_auditevent;
DROP FUNCTION portal_auditevent_append_only();
"""
SQLITE_TRIGGERS = [
    """
    CREATE TRIGGER portal_auditevent_no_update BEFORE UPDATE ON portal_auditevent
    BEGIN SELECT RAISE(ABORT, 'Audit events are append-only: UPDATE refused.'); END;
    """,
    """
    CREATE TRIGGER portal_auditevent_no_delete BEFORE DELETE ON portal_auditevent
    BEGIN SELECT RAISE(ABORT, 'Audit events are append-only: DELETE refused.'); END;
    """,
]
SQLITE_REVERSE = ["DROP TRIGGER portal_auditevent_no_update", "DROP TRIGGER portal_auditevent_no_delete"]


def install(apps, schema_editor):
    statements = {"postgresql": [POSTGRESQL_TRIGGER], "sqlite": SQLITE_TRIGGERS}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


def remove(apps, schema_editor):
    statements = {"postgresql": [POSTGRESQL_REVERSE], "sqlite": SQLITE_REVERSE}.get(schema_editor.connection.vendor, [])
    for statement in statements:
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("portal", "0003_audit_event_subject_and_user_agent")]

    operations = [migrations.RunPython(install, remove)]
