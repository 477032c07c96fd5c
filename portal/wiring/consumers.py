"""The sockets that belong to no single app: a user's own events (/ws/me/), and the refusal of any other path.

Referrals and aftercare both notify a user through their user group; the socket that relays those
events to the browser lives here, on top, so that no app names another's events or consumers.
"""

import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from accounts.sessions import SessionBoundConsumer
from portal.foundation.realtime import (
    CLOSE_BAD_MESSAGE,
    CLOSE_FORBIDDEN,
    CLOSE_NOT_FOUND,
    CLOSE_TOO_LARGE,
    CLOSE_UNAUTHENTICATED,
    frame_too_large,
    user_group,
)


class UserEventsConsumer(SessionBoundConsumer):
    """A signed-in user's own events at /ws/me/: new referrals for their inbox, alerts. Ids only, no person data."""

    handled_events = frozenset({"referral.new", "alert.new", "access.changed"})

    async def connect(self):
        self.user = self.scope["user"]
        if not self.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await database_sync_to_async(self.access_holds)():
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.group = user_group(self.user.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self.watch_session()

    async def disconnect(self, code):
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)
        await super().disconnect(code)

    async def receive(self, text_data=None, bytes_data=None):
        """The browser has nothing to say on this socket."""
        await self.close(code=CLOSE_TOO_LARGE if frame_too_large(text_data, bytes_data) else CLOSE_BAD_MESSAGE)

    async def referral_new(self, event):
        await self.send(
            text_data=json.dumps({"type": "referral", "referral": event["referral"], "verb": event["verb"]})
        )

    async def alert_new(self, event):
        await self.send(text_data=json.dumps({"type": "alert", "kind": event["kind"], "case": event["case"]}))

    def access_holds(self) -> bool:
        self.user.refresh_from_db(fields=["is_active"])
        return self.user.is_active


class NotFoundConsumer(AsyncWebsocketConsumer):
    """Any socket path no route matches (or a malformed id): refused before accept, like a 404."""

    async def connect(self):
        await self.close(code=CLOSE_NOT_FOUND)
