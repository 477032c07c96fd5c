"""Casts built once and shared by the consecutive tests that use them, each test seeing them as freshly built.

Building a cast through the write verbs and Wagtail's `add_child` costs around a second. A
fixture made with `shared_fixture(build)` calls `build()` once, in a transaction left open
across the tests that use it; each test runs in its own savepoint inside that transaction
(pytest-django's `db`) and gets a deep copy of the objects as built. So what a test changes, in
the database or in memory, is gone before the next test, as if the cast were built for each.

The transaction is rolled back as soon as a test needs other shared casts, or none, and
before every transactional test, which gets its cast built afresh and committed, as before.
`build` takes no arguments and must not depend on other fixtures: it runs before them.
"""

import copy
from collections.abc import Callable, Iterable
from typing import Any

import pytest
from django.db import transaction
from pytest_django.fixtures import validate_django_db

Build = Callable[[], Any]
TRANSACTIONAL_FIXTURES = {"transactional_db", "live_server", "django_db_reset_sequences"}


class SharedTransaction:
    """One open transaction holding what some builds made; at most one exists at a time."""

    def __init__(self) -> None:
        self.atomic: Any = None
        self.blocker: Any = None
        self.built: dict[Build, Any] = {}

    def hold(self, builds: Iterable[Build], blocker) -> None:
        """Keep exactly `builds` in the database, building them in a new transaction if need be."""
        builds = list(dict.fromkeys(builds))
        if self.atomic is not None and set(builds) == set(self.built):
            return
        self.release()
        if not builds:
            return
        self.blocker = blocker
        with blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            try:
                self.built = {build: build() for build in builds}
            except BaseException:
                self.release()
                raise

    def release(self) -> None:
        if self.atomic is None:
            return
        atomic, self.atomic, self.built = self.atomic, None, {}
        with self.blocker.unblock():
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)

    def copy_of(self, build: Build) -> Any | None:
        """A deep copy of what `build` made, or None when it is not held."""
        return copy.deepcopy(self.built[build]) if build in self.built else None


SHARED = SharedTransaction()


def shared_fixture(build: Build, *, name: str | None = None):
    """A function-scoped fixture named `name` (the build's name by default) giving each test what `build()` makes."""

    def fixture(db):
        held = SHARED.copy_of(build)
        return build() if held is None else held

    fixture.shared_build = build  # type: ignore[attr-defined]
    return pytest.fixture(fixture, name=name or build.__name__)


def is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    if marker is not None:
        transactional, reset_sequences, *_rest = validate_django_db(marker)
        if transactional or reset_sequences:
            return True
    return bool(TRANSACTIONAL_FIXTURES.intersection(item.fixturenames))  # type: ignore[attr-defined]


def shared_builds(item: pytest.Item) -> list[Build]:
    """The builds of the shared fixtures `item` uses, in the order pytest sets the fixtures up."""
    definitions = item._fixtureinfo.name2fixturedefs  # type: ignore[attr-defined]
    builds = []
    for name in item.fixturenames:  # type: ignore[attr-defined]
        build = getattr(definitions[name][-1].func, "shared_build", None) if name in definitions else None
        if build is not None:
            builds.append(build)
    return builds


def prepare(request: pytest.FixtureRequest) -> None:
    """Before pytest-django opens a test's transaction: hold what the test shares, or nothing."""
    request.getfixturevalue("django_db_setup")
    item = request.node
    builds = [] if is_transactional(item) else shared_builds(item)
    SHARED.hold(builds, request.getfixturevalue("django_db_blocker"))
