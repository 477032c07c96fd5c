"""After a transactional test the database goes back to its freshly migrated state by copying rows.

Django empties the database after each transactional test (`flush`) and then sends `post_migrate`,
whose receivers rebuild what a fresh installation holds: content types, permissions, the reference
data and the top of the directory tree (cso_directory/apps.py). That costs more than a second
each time, for some 140 tests. Instead, `take()` copies those rows once, right after the test
database is migrated, into a schema of their own, and `reset()`, the teardown of every
transactional test, empties every table without `post_migrate` and copies them back, one statement per table.
The database ends up with the same rows, under the same ids, as a fresh installation.
"""

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction
from django.test import TransactionTestCase

SCHEMA = "test_snapshot"
COPIED: list[str] = []  # the tables `take()` copied


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def take() -> None:
    """Copy every table that holds rows now into SCHEMA."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    COPIED.clear()
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        for table in sorted(tables):
            cursor.execute(f"SELECT EXISTS (SELECT FROM {quoted(table)})")  # noqa: S608 - Django's table names
            if cursor.fetchone()[0]:
                cursor.execute(f"CREATE TABLE {SCHEMA}.{quoted(table)} AS TABLE {quoted(table)}")
                COPIED.append(table)


def reset() -> None:
    """Empty the database and put the copied rows back, in one transaction: foreign keys (deferred, as
    Django creates them) are checked at commit, when every table is whole. Each sequence then goes on
    after its table's highest id, whoever reset it (a plain `flush` does).

    DELETE, not `flush`'s TRUNCATE: on the suite's few rows TRUNCATE costs about 0.6 s (it gives every
    table and index a new file), DELETE about 0.05 s. Triggers are off meanwhile (the replica role, as
    a superuser: scripts/test-services.sh runs PostgreSQL so), as TRUNCATE skipped them: the audit
    trail's refuses every DELETE."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        for table in tables:
            cursor.execute(f"DELETE FROM {quoted(table)}")  # noqa: S608 - Django's table names
        for table in COPIED:
            cursor.execute(f"INSERT INTO {quoted(table)} SELECT * FROM {SCHEMA}.{quoted(table)}")  # noqa: S608
        for statement in connection.ops.sequence_reset_sql(no_style(), apps.get_models()):
            cursor.execute(statement)


def reset_after_each_transactional_test() -> None:
    """Make `reset()` the teardown of every transactional test (the suite has one database)."""
    TransactionTestCase._fixture_teardown = lambda test_case: reset()  # type: ignore[method-assign]
