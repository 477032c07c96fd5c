"""Audit rows are append-only in the database itself, not only through `AuditEvent.save()`.

A migration installs triggers refusing UPDATE and DELETE of `portal_auditevent` rows, so no code
path (a queryset update, a raw statement, a cascade) can rewrite who did what.
"""

import pytest
from django.db import DatabaseError, connection, transaction

from portal.foundation.audit import record_event
from portal.foundation.models import AuditEvent


@pytest.fixture
def event(db):
    return record_event(None, "test.event", ("portal.test", "1"), note="first")


def refused(change) -> None:
    """`change` fails in the database and leaves the audit table as it was."""
    before = list(AuditEvent.objects.values())
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic():
        change()
    assert list(AuditEvent.objects.values()) == before


def test_a_queryset_update_is_refused(event):
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).update(action="test.rewritten"))


def test_a_queryset_delete_is_refused(event):
    refused(lambda: AuditEvent.objects.filter(pk=event.pk).delete())


def test_a_raw_update_is_refused(event):
    def raw_update():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE portal_auditevent SET action = %s WHERE id = %s", ["test.rewritten", event.pk])

    refused(raw_update)


def test_a_raw_delete_is_refused(event):
    def raw_delete():
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM portal_auditevent WHERE id = %s", [event.pk])

    refused(raw_delete)


def test_new_events_are_still_appended(event):
    record_event(None, "test.event", ("portal.test", "2"))

    assert AuditEvent.objects.filter(action="test.event").count() == 2
