"""Database connections stay bounded under any concurrency: a real daphne process answering many
concurrent requests never holds more PostgreSQL connections than its pool allows, and every
request is answered (no "too many clients", no /healthz reporting the database down)."""

import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.db import connection

from tests.aftercare.live_servers import asgi_servers, server_name

CONCURRENT_CLIENTS = 50
REQUESTS_PER_CLIENT = 4


def status_of(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:  # noqa: S310 - a loopback http URL
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def connections_of(base_url: str) -> int:
    """How many connections the server at `base_url` holds to the test database, as PostgreSQL sees them now."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND application_name = %s",
            [server_name(base_url)],
        )
        return cursor.fetchone()[0]


def test_concurrent_requests_share_a_bounded_pool_and_all_succeed(db):
    pool_size = settings.DATABASES["default"]["OPTIONS"]["pool"]["max_size"]
    with asgi_servers(1) as (base_url,):
        urls = [f"{base_url}/healthz"] * (CONCURRENT_CLIENTS * REQUESTS_PER_CLIENT)
        with ThreadPoolExecutor(CONCURRENT_CLIENTS) as clients:
            answers = clients.map(status_of, urls)
            most_connections = connections_of(base_url)
            statuses = []
            for status in answers:
                statuses.append(status)
                most_connections = max(most_connections, connections_of(base_url))
        most_connections = max(most_connections, connections_of(base_url))

    assert statuses == [200] * len(urls)
    assert 0 < most_connections <= pool_size
