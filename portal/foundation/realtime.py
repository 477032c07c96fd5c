"""Notifications over the channel layer. PostgreSQL is the source of truth, so a broadcast that
cannot reach Redis is logged and dropped: clients catch up from the database when they reconnect.
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable, Hashable
from typing import TypeVar
from urllib.parse import urlsplit

from asgiref.sync import async_to_sync
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from channels.security.websocket import WebsocketDenier
from django.conf import settings
from django.db import transaction
from django.utils import translation

logger = logging.getLogger(__name__)

# Close codes every socket uses alike.
CLOSE_BAD_MESSAGE = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
CLOSE_TOO_LARGE = 1009  # RFC 6455 "message too big"
MAX_FRAME_BYTES = 1024 * 1024  # daphne refuses bigger frames itself; this holds under any server


def frame_too_large(text_data: str | None, bytes_data: bytes | None) -> bool:
    size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
    return size > MAX_FRAME_BYTES


def user_group(user_id: int) -> str:
    """Every socket of a user joins this group, so access changes can reach all of them."""
    return f"user.{user_id}"


def scope_language(scope) -> str:
    """The interface language of the page that opened a socket: its language cookie, as LocaleMiddleware reads it."""
    chosen = scope.get("cookies", {}).get(settings.LANGUAGE_COOKIE_NAME)
    try:
        return translation.get_supported_language_variant(chosen) if chosen else settings.LANGUAGE_CODE
    except LookupError:
        return settings.LANGUAGE_CODE


T = TypeVar("T")
_reads_in_flight: dict[Hashable, asyncio.Future] = {}


async def read_once(key: Hashable, read: Callable[[], Awaitable[T]]) -> T:
    """Await `read()`, unless an identical read (same `key`) is already running in this process: then
    await its answer. One event reaches every socket of a group at once; the sockets of one user on
    one record ask the database the same question, and one query answers them all.
    """
    running = _reads_in_flight.get(key)
    if running is not None:
        try:
            return await asyncio.shield(running)
        except asyncio.CancelledError:
            if running.cancelled():  # the socket that was reading closed: read for this one
                return await read_once(key, read)
            raise
    answer: asyncio.Future = asyncio.get_running_loop().create_future()
    _reads_in_flight[key] = answer
    try:
        result = await read()
    except asyncio.CancelledError:
        answer.cancel()
        raise
    except Exception as error:
        answer.set_exception(error)
        answer.exception()  # retrieved: a read no other socket shared must not warn "never retrieved"
        raise
    else:
        answer.set_result(result)
        return result
    finally:
        del _reads_in_flight[key]


def broadcast(group: str, event: dict) -> None:
    """Send `event` to a group now; never raises (the event type is logged, never its content)."""
    try:
        async_to_sync(get_channel_layer().group_send)(group, event)
    except Exception as error:  # noqa: BLE001 - any layer failure must not undo a committed write
        logger.warning("Broadcast of %s to %s failed: %s", event.get("type"), group, type(error).__name__)


def broadcast_on_commit(group: str, event: dict) -> None:
    transaction.on_commit(lambda: broadcast(group, event))


class EventConsumer(AsyncWebsocketConsumer):
    """A socket that handles the channel-layer events it declares and ignores every other one.

    A group carries events for several kinds of socket; a new event type must never break the
    sockets that do not care about it (Channels would raise "No handler for message type").
    """

    handled_events: frozenset[str] = frozenset()

    async def dispatch(self, message):
        kind = message["type"]
        if kind.startswith("websocket.") or kind in self.handled_events:
            await super().dispatch(message)


DEFAULT_PORTS = {"http": 80, "https": 443}


def origin_key(origin: str) -> tuple[str, str, int] | None:
    """(scheme, host, port) of an origin, the default port spelled out; None for anything else."""
    try:
        parts = urlsplit(origin.strip().lower())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme not in DEFAULT_PORTS or not parts.hostname or parts.path or parts.query or parts.fragment:
        return None
    return parts.scheme, parts.hostname, port or DEFAULT_PORTS[parts.scheme]


def allowed_origin(origin: str | None) -> bool:
    """Exactly one of settings.WEBSOCKET_ALLOWED_ORIGINS: same scheme, host and port; no Origin is refused."""
    key = origin_key(origin) if origin is not None else None
    return key is not None and key in {origin_key(allowed) for allowed in settings.WEBSOCKET_ALLOWED_ORIGINS}


class StrictOriginValidator:
    """Refuses, before accept, a WebSocket whose Origin header is not an allowed full origin.

    Channels' AllowedHostsOriginValidator compares the host name only: a page on another scheme or
    port of the same host (a plain-http service, a test server) could open the portal's sockets.
    """

    def __init__(self, application):
        self.application = application

    async def __call__(self, scope, receive, send):
        origins = [value for name, value in scope.get("headers", []) if name == b"origin"]
        if len(origins) == 1 and allowed_origin(origins[0].decode("latin1")):
            return await self.application(scope, receive, send)
        return await WebsocketDenier()(scope, receive, send)
