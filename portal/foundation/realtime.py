"""Notifications over the channel layer. PostgreSQL is the source of truth, so a broadcast that
cannot reach Redis is logged and dropped: clients catch up from the database when they reconnect.
"""

import logging

from asgiref.sync import async_to_sync
from channels.generic.websocket import AsyncWebsocketConsumer
from channels.layers import get_channel_layer
from django.db import transaction

logger = logging.getLogger(__name__)

# Close codes every socket uses alike.
CLOSE_BAD_MESSAGE = 4400
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


def user_group(user_id: int) -> str:
    """Every socket of a user joins this group, so access changes can reach all of them."""
    return f"user.{user_id}"


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
