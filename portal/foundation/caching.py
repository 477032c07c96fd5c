"""What the portal keeps in the cache (Redis in production) to serve again: built once, then read, until
the data behind it changes.

An entry is stored under the generation numbers of the data it shows, so moving a generation on
forgets every entry built from it at once, on every server:

    stored("directory:page", ["directory"], path, render, 600)   # built once per generation
    changed("directory")                                          # the data behind it changed

The cache only saves work (ForgivingRedisCache): while Redis cannot be reached, every entry is built
afresh and every change still goes through; entries expire after their lifetime at the latest.
"""

import functools
import logging
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)
T = TypeVar("T")


def stored(kind: str, generations: Iterable[str], key: str, build: Callable[[], T | None], lifetime: int) -> T | None:
    """The entry `key` of `kind` built from the current `generations` of the data, built and stored if
    there is none. What `build` answers None for is not stored."""
    full_key = entry_key(kind, generations, key)
    value = cache.get(full_key)
    if value is None:
        value = build()
        if value is not None:
            cache.set(full_key, value, lifetime)
    return value


def entry_key(kind: str, generations: Iterable[str], key: str) -> str:
    numbers = ".".join(str(current(name)) for name in generations)
    return f"{kind}:{numbers}:{key}"


def current(name: str) -> int:
    return int(cache.get_or_set(generation_key(name), 1, timeout=None) or 1)


def changed(name: str) -> None:
    """Move `name` on now, and again when the change commits, so that an entry built in between from
    the data before the change is not kept."""
    move_on(name)
    transaction.on_commit(lambda: move_on(name))


def move_on(name: str) -> None:
    try:
        cache.incr(generation_key(name))
    except ValueError:
        cache.set(generation_key(name), 1, timeout=None)


def generation_key(name: str) -> str:
    return f"generation:{name}"


def forgiving(answer: Callable[..., Any]) -> Callable:
    """A cache method that, while Redis cannot be reached, logs it and gives `answer(*arguments)`: what
    an empty cache would (a miss, nothing stored), so that the caller goes on without the cache."""

    def decorate(method: Callable) -> Callable:
        @functools.wraps(method)
        def forgiven(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except RedisError as error:
                logger.warning("The cache is unreachable (%s): %r", method.__name__, error)
                return answer(*args, **kwargs)

        return forgiven

    return decorate


class ForgivingRedisCache(RedisCache):
    """Django's Redis cache, for a cache that only saves work: Wagtail's, the portal's pages and reports,
    the password-reset counts (which then let requests through) all go on while Redis is down."""

    add = forgiving(lambda *args, **kwargs: False)(RedisCache.add)
    get = forgiving(lambda key, default=None, version=None: default)(RedisCache.get)
    set = forgiving(lambda *args, **kwargs: None)(RedisCache.set)
    touch = forgiving(lambda *args, **kwargs: False)(RedisCache.touch)
    delete = forgiving(lambda *args, **kwargs: False)(RedisCache.delete)
    get_many = forgiving(lambda *args, **kwargs: {})(RedisCache.get_many)
    has_key = forgiving(lambda *args, **kwargs: False)(RedisCache.has_key)
    incr = forgiving(lambda key, delta=1, version=None: delta)(RedisCache.incr)
    set_many = forgiving(lambda data, *args, **kwargs: list(data))(RedisCache.set_many)
    delete_many = forgiving(lambda *args, **kwargs: None)(RedisCache.delete_many)
    clear = forgiving(lambda *args, **kwargs: None)(RedisCache.clear)
