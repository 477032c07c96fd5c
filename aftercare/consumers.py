"""Live case notes: one WebSocket per client at /ws/clients/<id>/notes/.

WebSockets only notify; PostgreSQL is the source of truth. On connect, and whenever the
browser says which sequence number it saw last, the consumer sends every note after it that
the user may see, so a reconnect loses nothing and shows nothing twice. Access is checked at
connect (refused before accept), again for every message, and whenever the user's access
changes (their memberships push an `access.changed` event to their user group).
"""

import asyncio
import json

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from aftercare.access import notes_visible_to, team_clients_of
from aftercare.actions import notes_group
from portal.realtime import user_group

MAX_FRAME_BYTES = 1024 * 1024
ACCESS_RECHECK_SECONDS = 30
CLOSE_UNAUTHENTICATED = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_TOO_LARGE = 1009
CLOSE_BAD_MESSAGE = 4400


class ClientNotesConsumer(AsyncWebsocketConsumer):
    async def connect(self):
        self.user = self.scope["user"]
        self.client_id = str(self.scope["url_route"]["kwargs"]["client_id"])
        if not self.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await self.on_team():
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.groups_joined = [notes_group(self.client_id), user_group(self.user.pk)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        self.recheck = asyncio.create_task(self.recheck_access_periodically())
        await self.announce_presence("join")

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if hasattr(self, "recheck"):
            self.recheck.cancel()
            await self.announce_presence("leave")

    async def receive(self, text_data=None, bytes_data=None):
        size = len(text_data.encode()) if text_data is not None else len(bytes_data or b"")
        if size > MAX_FRAME_BYTES:
            await self.close(code=CLOSE_TOO_LARGE)
            return
        if not await self.on_team():
            await self.close(code=CLOSE_FORBIDDEN)
            return
        try:
            message = json.loads(text_data or "")
            after = int(message["after"]) if message.get("type") == "catch_up" else None
        except (ValueError, TypeError, KeyError, AttributeError):
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        if after is None:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        await self.send_notes_after(after)

    # Events from the channel layer -----------------------------------------------------------

    async def case_note(self, event):
        """A note was committed: send it if this user may see it (visibility differs per member)."""
        await self.send_notes_between(event["sequence"] - 1, event["sequence"])

    async def presence_change(self, event):
        if event["user"] != self.user.pk:
            await self.send(text_data=json.dumps({"type": "presence", "user": event["name"], "state": event["state"]}))

    async def access_changed(self, event):
        if not await self.on_team():
            await self.close(code=CLOSE_FORBIDDEN)

    async def alert_new(self, event):
        await self.send(text_data=json.dumps({"type": "alert", "kind": event["kind"], "case": event["case"]}))

    # Helpers -----------------------------------------------------------------------------------

    async def recheck_access_periodically(self):
        """Catches what no event announces, e.g. an account disabled by an administrator."""
        while True:
            await asyncio.sleep(ACCESS_RECHECK_SECONDS)
            await self.access_changed({})

    async def announce_presence(self, state: str):
        await self.channel_layer.group_send(
            notes_group(self.client_id),
            {"type": "presence.change", "user": self.user.pk, "name": self.user.get_username(), "state": state},
        )

    async def send_notes_after(self, after: int):
        await self.send_notes_between(after, None)

    async def send_notes_between(self, after: int, up_to: int | None):
        for note in await self.visible_notes(after, up_to):
            await self.send(text_data=json.dumps({"type": "note", **note}))

    @database_sync_to_async
    def on_team(self) -> bool:
        self.user.refresh_from_db(fields=["is_active"])
        return team_clients_of(self.user).filter(pk=self.client_id).exists()

    @database_sync_to_async
    def visible_notes(self, after: int, up_to: int | None) -> list[dict]:
        notes = notes_visible_to(self.user).filter(client_id=self.client_id, sequence__gt=after)
        if up_to is not None:
            notes = notes.filter(sequence__lte=up_to)
        return [note_payload(note) for note in notes.select_related("author", "organisation").order_by("sequence")]


def note_payload(note) -> dict:
    """A note as JSON. Text goes out as text: the page inserts it with textContent, never as HTML."""
    return {
        "id": str(note.id),
        "sequence": note.sequence,
        "author": note.author.get_full_name() or note.author.get_username(),
        "organisation": note.organisation.title,
        "visibility": note.visibility,
        "body": note.body,
        "amends": str(note.amends_id) if note.amends_id else None,
        "created_at": note.created_at.isoformat(),
    }
