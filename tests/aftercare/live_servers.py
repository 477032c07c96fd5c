"""Real ASGI server processes (daphne) on the test database, and a separate Redis to stop and start.

Each server is a production-like process: its own settings from the environment, the test
database (pytest-django's `test_<name>`) and a Redis of the caller's choosing.
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlparse

from django.conf import settings
from django.contrib.staticfiles import finders
from django.db import connection
from redis import Redis
from redis.exceptions import RedisError

from tests.aftercare.notes_cast import free_port

DAPHNE = Path(sys.executable).with_name("daphne")
REDIS_SERVER = shutil.which("redis-server") or "/usr/bin/redis-server"
# A deadline only: daphne answers in 2-25 s on two busy cores (its imports); with a third test
# process beside the two it once took over 30 s (session 8).
STARTUP_SECONDS = 90


def test_database_url() -> str:
    """The suite's DATABASE_URL, pointing at the test database instead of the one it was derived from."""
    url = urlparse(os.environ["DATABASE_URL"])
    return url._replace(path="/" + connection.settings_dict["NAME"]).geturl()


def wait_until(ready, what: str, process: subprocess.Popen | None = None, log: Path | None = None) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if ready():
            return
        if process is not None and process.poll() is not None:
            break
        time.sleep(0.1)
    output = log.read_text() if log is not None else ""
    raise RuntimeError(f"{what} did not start:\n{output}")


def answers(url: str) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=1) as response:  # noqa: S310 - a loopback http URL
            return response.status == 200
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def server_environment(redis_url: str | None) -> dict[str, str]:
    # Not PYTEST_XDIST_WORKER: the servers use the Redis database given here, as this process does.
    inherited = {"DJANGO_ALLOW_ASYNC_UNSAFE", "PYTEST_XDIST_WORKER"}
    environment = {key: value for key, value in os.environ.items() if key not in inherited}
    return environment | {
        "PORTAL_ENV": "test",
        "DATABASE_URL": test_database_url(),
        "REDIS_URL": redis_url or settings.REDIS_URL,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }


def start_daphne(environment: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    base_url = f"http://127.0.0.1:{port}"
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 - our own executable and arguments
            [str(DAPHNE), "-b", "127.0.0.1", "-p", str(port), "portal.wiring.asgi:application"],
            cwd=settings.BASE_DIR,
            # Its own origin is the one its sockets accept; PostgreSQL shows its connections under its URL.
            env=environment | {"BASE_URL": base_url, "PGAPPNAME": server_name(base_url)},
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    return process, base_url


def server_name(base_url: str) -> str:
    """The `application_name` of a server's database connections."""
    return f"daphne {base_url}"


@contextmanager
def asgi_servers(count: int, redis_url: str | None = None) -> Iterator[list[str]]:
    """`count` daphne processes serving the portal, started together; yields their base URLs, then stops them."""
    environment = server_environment(redis_url)
    with tempfile.TemporaryDirectory(prefix="daphne-") as logs:
        servers = [start_daphne(environment, Path(logs) / f"{index}.log") for index in range(count)]
        try:
            for index, (process, base_url) in enumerate(servers):
                log = Path(logs) / f"{index}.log"
                wait_until(lambda url=base_url: answers(f"{url}/healthz"), "daphne", process, log)
            yield [base_url for _process, base_url in servers]
        finally:
            for process, _base_url in servers:
                stop(process)


class RedisServer:
    """A redis-server of our own on a fixed port, so it can be stopped and started again."""

    def __init__(self) -> None:
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(  # noqa: S603 - Debian's redis-server, fixed arguments
            [REDIS_SERVER, "--bind", "127.0.0.1", "--port", str(self.port), "--save", "", "--appendonly", "no"],
            cwd=self.directory,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_until(self.answers_ping, "redis-server", self.process)

    def answers_ping(self) -> bool:
        try:
            return Redis.from_url(self.url, socket_timeout=1).ping()
        except RedisError:
            return False

    def stop(self) -> None:
        if self.process is not None:
            stop(self.process)
            self.process = None


@contextmanager
def redis_server() -> Iterator[RedisServer]:
    server = RedisServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()


def serve_static_files(page) -> None:
    """daphne serves no static files (a reverse proxy does in production): the browser gets them from disk."""

    def fulfil(route):
        found = finders.find(urlparse(route.request.url).path.removeprefix(settings.STATIC_URL))
        if found:
            route.fulfill(path=found)
        else:
            route.fulfill(status=404)

    page.route("**/static/**", fulfil)
