"""After PostgreSQL drops the portal's connections, as a restart does, the very next request
succeeds: the pool (portal/settings.py) tests a connection before a request uses it."""

import json
import urllib.error
import urllib.request

import pytest
from django.core.signals import request_started
from django.db import connection, connections

from tests.aftercare.live_servers import asgi_servers

# The connection under test is dropped for real: no test transaction may be open on it.
pytestmark = pytest.mark.django_db(transaction=True)


def terminate(backend_pids: str) -> int:
    """Drop the database connections `backend_pids` selects, from a connection of our own."""
    dropper = connections.create_connection("default")
    try:
        with dropper.cursor() as cursor:
            cursor.execute(f"SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE {backend_pids}")  # noqa: S608 - constant SQL of this module
            return cursor.fetchone()[0]
    finally:
        dropper.close()


def database_health(base_url: str) -> str:
    try:
        with urllib.request.urlopen(f"{base_url}/healthz", timeout=10) as response:  # noqa: S310 - loopback
            return json.loads(response.read())["database"]
    except urllib.error.HTTPError as error:  # 503: something is down, the body says what
        return json.loads(error.read())["database"]


def test_a_kept_connection_the_database_dropped_is_replaced_when_the_next_request_starts():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        (pid,) = cursor.fetchone()
    assert terminate(f"pid = {int(pid)}") == 1

    request_started.send(sender=__name__)  # what every server sends as a request begins

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        assert cursor.fetchone() == (1,)


def test_a_server_answers_the_first_request_after_the_database_dropped_every_connection():
    with asgi_servers(1) as [base_url]:
        assert database_health(base_url) == "ok"
        assert terminate("datname = current_database() AND pid <> pg_backend_pid()") >= 1

        assert database_health(base_url) == "ok"
    # The drop took this process's pooled connections too: it starts a new pool, as a restarted process
    # would, rather than wait on the old one (its teardown empties the database through it).
    connection.close_pool()
