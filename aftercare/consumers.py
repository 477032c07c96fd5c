"""Live case notes: one WebSocket per client at /ws/clients/<id>/notes/.

WebSockets only notify; PostgreSQL is the source of truth. The browser says which sequence
number it saw last (`catch_up`), and the consumer sends every note after it that the user may
see; from then on each committed note makes it send whatever it has not sent yet, so a
reconnect or a lost broadcast loses nothing and nothing is sent twice. Access is checked at
connect (refused before accept, and audited), again for every message, and whenever the user's
access changes (their memberships push an `access.changed` event to their user group); the socket
closes when the session it was opened with ends (accounts.sessions.SessionBoundConsumer).
Each consumer declares the channel-layer events it handles and ignores any other type.
"""

import json

from channels.db import database_sync_to_async
from django.http import Http404
from django.utils import translation

from accounts.sessions import SessionBoundConsumer
from aftercare.access import get_team_client_for_user, notes_visible_to, team_clients_of
from aftercare.actions import notes_group
from aftercare.payloads import display_name, note_payload
from portal.foundation.audit import Origin, current_origin
from portal.foundation.realtime import (
    CLOSE_BAD_MESSAGE,
    CLOSE_FORBIDDEN,
    CLOSE_TOO_LARGE,
    CLOSE_UNAUTHENTICATED,
    frame_too_large,
    read_once,
    scope_language,
    user_group,
)


def websocket_origin(scope) -> Origin:
    ip = (scope.get("client") or ("",))[0] or ""
    return Origin(ip=ip, channel="websocket")


class ClientNotesConsumer(SessionBoundConsumer):
    handled_events = frozenset({"case.note", "presence.change", "access.changed"})
    # The highest sequence number this socket has been brought up to; None before the first catch-up.
    sent_up_to: int | None = None

    async def connect(self):
        self.user = self.scope["user"]
        self.language = scope_language(self.scope)
        self.client_id = str(self.scope["url_route"]["kwargs"]["client_id"])
        if not self.user.is_authenticated:
            await self.close(code=CLOSE_UNAUTHENTICATED)
            return
        if not await self.admitted():
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.groups_joined = [notes_group(self.client_id), user_group(self.user.pk)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.watch_session()
        await self.announce_presence("join")

    async def disconnect(self, code):
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)
        if hasattr(self, "session_watch"):
            await self.announce_presence("leave")
        await super().disconnect(code)

    async def receive(self, text_data=None, bytes_data=None):
        if frame_too_large(text_data, bytes_data):
            await self.close(code=CLOSE_TOO_LARGE)
            return
        if not await self.recheck():
            return
        after = catch_up_position(text_data)
        if after is None:
            await self.close(code=CLOSE_BAD_MESSAGE)
            return
        sent = await self.send_notes_between(after, None)
        self.sent_up_to = max(after, sent)

    # Events from the channel layer -----------------------------------------------------------

    async def case_note(self, event):
        """A note was committed: send what this user may see and has not had yet, up to that note."""
        sequence = event["sequence"]
        if self.sent_up_to is None:
            await self.send_notes_between(sequence - 1, sequence)
        elif sequence > self.sent_up_to:
            await self.send_notes_between(self.sent_up_to, sequence)
            self.sent_up_to = sequence

    async def presence_change(self, event):
        if event["user"] == self.user.pk:
            return
        await self.send(
            text_data=json.dumps(
                {"type": "presence", "user": event["name"], "user_id": event["user"], "state": event["state"]}
            )
        )
        if event["state"] == "join":
            # Tell the newcomer who was here before them.
            await self.channel_layer.send(event["reply_to"], self.presence_event("here"))

    # Helpers -----------------------------------------------------------------------------------

    def presence_event(self, state: str) -> dict:
        return {
            "type": "presence.change",
            "user": self.user.pk,
            "name": display_name(self.user),
            "state": state,
            "reply_to": self.channel_name,
        }

    async def announce_presence(self, state: str):
        await self.channel_layer.group_send(notes_group(self.client_id), self.presence_event(state))

    async def send_notes_between(self, after: int, up_to: int | None) -> int:
        """Send the visible notes in (after, up_to]; returns the highest sequence sent, or `after`.

        The user's other sockets on this client, in this process, ask at the same moment for the
        same notes: they share one read of them (and the messages it makes)."""
        key = ("case notes", self.user.pk, self.client_id, after, up_to, self.language)
        messages = await read_once(key, lambda: self.note_messages(after, up_to))
        for _sequence, message in messages:
            await self.send(text_data=message)
        return messages[-1][0] if messages else after

    @database_sync_to_async
    def admitted(self) -> bool:
        """On the case team? Asked through the access function, so the answer is audited either way."""
        token = current_origin.set(websocket_origin(self.scope))
        try:
            get_team_client_for_user(self.user, self.client_id, action="case_note.subscribe")
        except Http404:
            return False
        finally:
            current_origin.reset(token)
        return True

    def access_holds(self) -> bool:
        """Still on the case team (and the account still active)?"""
        self.user.refresh_from_db(fields=["is_active"])
        return team_clients_of(self.user).filter(pk=self.client_id).exists()

    @database_sync_to_async
    def note_messages(self, after: int, up_to: int | None) -> list[tuple[int, str]]:
        """The visible notes in (after, up_to] as (sequence, message), in order."""
        notes = notes_visible_to(self.user).filter(client_id=self.client_id, sequence__gt=after)
        if up_to is not None:
            notes = notes.filter(sequence__lte=up_to)
        with translation.override(self.language):
            return [
                (note.sequence, json.dumps({"type": "note", **note_payload(note)}))
                for note in notes.select_related("author", "organisation").order_by("sequence")
            ]


def catch_up_position(text_data: str | None) -> int | None:
    """The `after` of a `{"type": "catch_up", "after": <seq>}` message; None for anything else."""
    try:
        message = json.loads(text_data or "")
        if message.get("type") != "catch_up":
            return None
        after = message["after"]
    except (ValueError, TypeError, KeyError, AttributeError):
        return None
    if isinstance(after, bool) or not isinstance(after, int) or after < 0:
        return None
    return after
