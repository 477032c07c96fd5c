"""Liveness of the two stateful dependencies: the database and the channel layer."""

import asyncio
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
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


async def _echo_through_channel_layer() -> bool:
    layer = get_channel_layer()
    channel = f"healthz.{uuid.uuid4().hex}"
    await layer.send(channel, {"type": "healthz.ping"})
    message = await layer.receive(channel)
    return message.get("type") == "healthz.ping"


def channel_layer_status() -> str:
    """Round-trip one message through the channel layer, within a short timeout."""

    async def check() -> bool:
        return await asyncio.wait_for(_echo_through_channel_layer(), CHANNEL_LAYER_TIMEOUT_SECONDS)

    try:
        echoed = async_to_sync(check)()
    except Exception as error:  # noqa: BLE001
        return f"down: {type(error).__name__}"
    return "ok" if echoed else "down: no echo"
