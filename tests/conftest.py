"""Fixtures shared by the whole suite: the PostgreSQL + Redis guard, shared casts and the browser."""

import os
import shutil
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.utils import translation

from portal.foundation import caching
from tests import database_snapshot, shared_casts
from tests.aftercare.live_servers import asgi_servers

# Hypothesis (under schemathesis) keeps caches; never in the repository, whose files tests inspect.
os.environ.setdefault("HYPOTHESIS_STORAGE_DIRECTORY", tempfile.mkdtemp(prefix="hypothesis-"))

BROWSER_FIXTURES = {"browser", "page"}
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture(scope="session", autouse=True)
def _require_postgresql_and_redis():
    """The suite runs on the production stack; `make test` provides it."""
    if connection.vendor != "postgresql":
        pytest.exit(f"The tests need PostgreSQL, not {connection.vendor}: set DATABASE_URL or run `make test`.", 3)
    if settings.CHANNEL_LAYERS["default"]["BACKEND"] != "channels_redis.core.RedisChannelLayer":
        pytest.exit("The tests need the Redis channel layer: set REDIS_URL or run `make test`.", 3)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: a request in another leaves it active in the thread."""
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_caches():
    """Each test starts without cached directory pages or reports: a test building listings without
    publishing them (no signal) must not get a page another test cached."""
    from cso_directory.directory_cache import GENERATION as DIRECTORY
    from reporting.report_cache import every_casework

    for generation in [DIRECTORY, *every_casework()]:
        caching.move_on(generation)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """With PORTAL_TEST_DATABASE_FROM_MIGRATED set (scripts/checks.sh sets it once DATABASE_URL's database
    is migrated), each test database is created as a copy of that database: its migration then finds
    nothing left to apply, in seconds instead of half a minute per process."""
    if os.environ.get("PORTAL_TEST_DATABASE_FROM_MIGRATED"):
        database = settings.DATABASES["default"]
        database.setdefault("TEST", {})["TEMPLATE"] = database["NAME"]


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database, restored by copying after each transactional test, with any shared cast
    rolled back before it goes (tests/database_snapshot.py, tests/shared_casts.py)."""
    with django_db_blocker.unblock():
        database_snapshot.take()
        database_snapshot.reset_after_each_transactional_test()
    yield
    shared_casts.SHARED.release()
    with django_db_blocker.unblock():
        end_every_session_on_the_test_database()


def end_every_session_on_the_test_database() -> None:
    """Ends what still holds the test database before it is dropped, or the drop fails ("being accessed
    by other users"): this thread's connection, which Django's pool keeps checked out (closing the pool
    does not close it), and any connection of a thread or server process a test started that has not
    quite gone yet. Such a leftover failed the last test of a process in CI about once in three runs."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
    connection.close()


@pytest.fixture(scope="session")
def live_server(django_db_setup, live_server):
    """pytest-django's live server, started after the test database: pytest tears the session's fixtures
    down in the reverse order, so the server and its connections stop before the database is dropped,
    whichever test asks for them first."""
    return live_server


@pytest.fixture(scope="session")
def asgi_server(django_db_setup) -> Iterator[str]:
    """The base URL of one daphne process serving the test database and the suite's Redis, for every test
    of this process that needs a real ASGI server (WebSockets in Chromium). It keeps no state of its own
    between tests: what it serves is in the database and Redis, which each test starts afresh. Started
    after the test database, so it stops before the database is dropped. Tests that stop the database
    or Redis under a server, or count its connections, start their own (tests/aftercare/live_servers.py)."""
    with asgi_servers(1) as (base_url,):
        yield base_url


@pytest.hookimpl(wrapper=True)
def pytest_fixture_setup(fixturedef, request):
    """Shared casts are built before pytest-django opens the test's own transaction (tests/shared_casts.py).
    A class- or module-wide fixture of the suite's that writes to the database (the demo load) gets no
    shared cast's transaction under it: the next test's `prepare` would roll that back, and the
    fixture's data with it."""
    if fixturedef.argname == "_django_db_helper":
        shared_casts.prepare(request)
    elif is_wider_database_fixture_of_the_suite(fixturedef):
        shared_casts.SHARED.release()
    return (yield)


def is_wider_database_fixture_of_the_suite(fixturedef) -> bool:
    """Not pytest-django's own (its class-wide `_django_setup_unittest` runs for every test)."""
    return (
        fixturedef.scope != "function"
        and "django_db_blocker" in fixturedef.argnames
        and fixturedef.func.__module__.startswith("tests.")
    )


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Each module's tests together, its browser tests last, after pytest-django has put the database
    tests in order; the modules with browser tests first, those with browser tests only before the others.

    While a browser runs, Playwright's sync API keeps its event loop marked as running in the main
    thread: a test then would see an async context, where pytest-asyncio cannot start its own loop
    and async_to_sync and the ORM refuse. The browser lives through a run of consecutive browser
    tests only (RunningBrowser below), which this sort keeps together at the module's end, so no other
    test runs beside it; modules of browser tests only, dealt one after the other, share one browser.

    Under pytest-xdist (`--dist loadfile --no-loadscope-reorder`, scripts/checks.sh) each module runs
    whole on one worker, and the modules are dealt out in this order. A browser module has few tests
    but is among the longest (Chromium, real page loads); dealt last, as xdist's own order (most
    tests first) does, it kept one worker busy while the other had finished. First come the modules
    with the most browser tests, then the others with the most tests; the short ones even out the end.
    """
    modules: dict[str, list] = {}
    for item in items:
        modules.setdefault(module_of(item), []).append(item)
    browser_tests = {module: sum(map(is_browser_test, tests)) for module, tests in modules.items()}

    def place(module: str) -> tuple:
        browser_only = browser_tests[module] == len(modules[module])
        return (not browser_tests[module], not browser_only, -browser_tests[module], -len(modules[module]))

    order = sorted(modules, key=place)
    items[:] = [item for module in order for item in sorted(modules[module], key=is_browser_test)]


def module_of(item: pytest.Item) -> str:
    return item.nodeid.split("::", 1)[0]


def is_browser_test(item: pytest.Item) -> bool:
    return bool(BROWSER_FIXTURES.intersection(getattr(item, "fixturenames", ())))


class RunningBrowser:
    """One Chromium for a run of consecutive browser tests, whichever modules they are in, stopped before
    any other test (pytest_runtest_teardown below): starting it for each module cost a second or so."""

    def __init__(self) -> None:
        self.playwright: Any = None
        self.chromium: Any = None

    def started(self):
        if self.chromium is None:
            from playwright.sync_api import sync_playwright

            # While the browser runs the main thread looks async to Django (see pytest_collection_modifyitems),
            # yet the browser tests call the ORM synchronously, as do pytest-django's database fixtures.
            # Allowing it is safe only because no other test runs while the browser does.
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
            # Playwright's loop gives the main thread a connection of its own: end the shared cast's
            # transaction on the connection that opened it, before the loop starts.
            shared_casts.SHARED.release()
            self.playwright = sync_playwright().start()
            self.chromium = self.playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
        return self.chromium

    def stop(self) -> None:
        if self.chromium is None:
            return
        try:
            # A shared cast built while the browser ran holds a transaction on the connection the main
            # thread has while Playwright's loop runs: end it there, before the loop stops.
            shared_casts.SHARED.release()
            self.chromium.close()
            self.playwright.stop()
        finally:
            self.chromium = self.playwright = None
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


RUNNING_BROWSER = RunningBrowser()


@pytest.fixture
def browser():
    return RUNNING_BROWSER.started()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    """Before any fixture of a browser test: a database fixture's transaction must begin and end on the
    same side of the browser's start (the main thread's connection differs once its loop runs)."""
    if is_browser_test(item):
        RUNNING_BROWSER.started()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """After the test's own teardown: the browser stops unless the next test is a browser test too."""
    if nextitem is None or not is_browser_test(nextitem):
        RUNNING_BROWSER.stop()


@pytest.fixture
def page(browser):
    context = browser.new_context()
    page = context.new_page()
    yield page
    context.close()
