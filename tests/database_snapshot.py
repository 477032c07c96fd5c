"""After a transactional test the database goes back to its freshly migrated state by copying rows.

Django empties the database after each transactional test (`flush`) and then sends `post_migrate`,
whose receivers rebuild what a fresh installation holds: content types, permissions, the reference
data and the top of the directory tree (cso_directory/apps.py). That costs more than a second
each time, for some 140 tests. Instead, `take()` copies those rows once, right after the test
database is migrated, into a schema of their own; `restore_after_flush()` replaces Django's
teardown so that a flush without `post_migrate` is followed by copying them back, in one
statement per table. The database ends up with the same rows, under the same ids, as before.
"""

from django.core.management import call_command
from django.db import connection, transaction
from django.test import TransactionTestCase

SCHEMA = "test_snapshot"


def quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def take() -> list[str]:
    """Copy every table that holds rows now into SCHEMA; the names of the tables copied."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    copied = []
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE")
        cursor.execute(f"CREATE SCHEMA {SCHEMA}")
        for table in sorted(tables):
            cursor.execute(f"SELECT EXISTS (SELECT FROM {quoted(table)})")  # noqa: S608 - Django's table names
            if cursor.fetchone()[0]:
                cursor.execute(f"CREATE TABLE {SCHEMA}.{quoted(table)} AS TABLE {quoted(table)}")
                copied.append(table)
    return copied


def restore(tables: list[str]) -> None:
    """Put the copied rows back; foreign keys are checked at commit, when every table is whole."""
    with transaction.atomic(), connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"INSERT INTO {quoted(table)} SELECT * FROM {SCHEMA}.{quoted(table)}")  # noqa: S608


def restore_after_flush(tables: list[str]) -> None:
    """Make every transactional test's teardown a flush without post_migrate, then `restore(tables)`."""

    def fixture_teardown(test_case: TransactionTestCase) -> None:
        # The suite's one database; its sequences go on, so new rows never take a restored row's id.
        call_command("flush", verbosity=0, interactive=False, reset_sequences=False, inhibit_post_migrate=True)
        restore(tables)

    TransactionTestCase._fixture_teardown = fixture_teardown  # type: ignore[method-assign]
