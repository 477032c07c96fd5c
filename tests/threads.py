"""ORM work from a browser test, in a thread of its own.

Playwright keeps an event loop running in the test's thread, where the verbs' broadcasts after
commit (`async_to_sync`) could not run. `in_another_thread` runs a function in a fresh thread, which
commits as it goes (no test transaction there) and closes its database connection at the end.
"""

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from django.db import connection


def in_another_thread(function: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """`function(*args, **kwargs)` run in another thread; its result, or its exception raised here."""

    def run():
        try:
            return function(*args, **kwargs)
        finally:
            connection.close()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()
