"""Liveness of the two stateful dependencies: the database and the channel layer.

A load balancer pulls a server whose check fails or is slow, so the check stays cheap under load: one
PING to each Redis server of the channel layer (not a message's round trip through it, eight commands
each waiting a turn of the server's busy event loop), and the database asked last, so that the check
holds one of the pool's few connections only for its `SELECT 1`, never while it waits for Redis.
"""

import asyncio

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from channels_redis.core import RedisChannelLayer
from django.db import connection

CHANNEL_LAYER_TIMEOUT_SECONDS = 2


def database_status() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # noqa: BLE001 - any failure means "down"; its type is reported
        return f"down: {type(error).__name__}"
    return "ok"


async def _ping_channel_layer() -> bool:
    """Each Redis server of the channel layer answers PING; a layer in memory is always there."""
    layer = get_channel_layer()
    if not isinstance(layer, RedisChannelLayer):
        return True
    answers = [await layer.connection(index).ping() for index in range(layer.ring_size)]
    return all(answers)


def channel_layer_status() -> str:
    """Ping the channel layer's Redis within a short timeout."""

    async def check() -> bool:
        return await asyncio.wait_for(_ping_channel_layer(), CHANNEL_LAYER_TIMEOUT_SECONDS)

    try:
        answered = async_to_sync(check)()
    except Exception as error:  # noqa: BLE001
        return f"down: {type(error).__name__}"
    return "ok" if answered else "down: no answer"
