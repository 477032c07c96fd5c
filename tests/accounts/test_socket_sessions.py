"""Open WebSockets close within 5 seconds once their session ends: sign-out, a disabled account, a timeout.

Each socket remembers the session it was opened with; an `access.changed` event (sent on sign-out
and whenever an account is saved disabled) or the session's own deadline makes it check again.
Removing a membership is tested with the notes socket (tests/aftercare/test_notes_consumer.py).
"""

import time

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import AsyncClient
from django.urls import reverse

from portal.foundation.realtime import broadcast, user_group
from portal.wiring.asgi import application
from tests.aftercare import test_notes_consumer as notes_sockets
from tests.aftercare.notes_cast import async_session_cookie
from tests.aftercare.test_notes_consumer import CLOSE_FORBIDDEN, ORIGIN, close_code, connected, notes_path

pytestmark = pytest.mark.django_db(transaction=True)
# The notes socket tests' fixtures: the committed cast, and a channel layer per test.
team = notes_sockets.team
own_channel_layer = notes_sockets.own_channel_layer

CLOSE_UNAUTHENTICATED = 4401
PASSWORD = "a-long-password-1"


def set_password(user) -> None:
    user.set_password(PASSWORD)
    user.save()


async def connected_with(path: str, session_cookie: str) -> WebsocketCommunicator:
    headers = [(b"origin", ORIGIN), (b"cookie", f"sessionid={session_cookie}".encode())]
    communicator = WebsocketCommunicator(application, path, headers=headers)
    accepted, _ = await communicator.connect()
    assert accepted
    return communicator


async def closes_within_5_seconds(communicator) -> int:
    started = time.monotonic()
    code = await close_code(communicator, timeout=5)
    assert time.monotonic() - started < 5
    return code


async def test_signing_out_closes_the_sockets_of_that_session_and_no_other(team):
    await database_sync_to_async(set_password)(team.caseworker)
    browser = AsyncClient()
    signed_in = await browser.post(reverse("login"), {"username": team.caseworker.username, "password": PASSWORD})
    assert signed_in.status_code == 302
    cookie = browser.cookies["sessionid"].value
    this_session = await connected_with("/ws/me/", cookie)
    this_sessions_notes = await connected_with(notes_path(team.client), cookie)
    other_session = await connected_with("/ws/me/", await async_session_cookie(team.caseworker))
    try:
        await browser.post(reverse("logout"))

        assert await closes_within_5_seconds(this_session) == CLOSE_UNAUTHENTICATED
        assert await closes_within_5_seconds(this_sessions_notes) == CLOSE_UNAUTHENTICATED
        assert await other_session.receive_nothing(timeout=0.5), "signed in elsewhere: that socket stays"
    finally:
        for communicator in (this_session, this_sessions_notes, other_session):
            await communicator.disconnect()


async def test_a_sign_out_event_closes_that_sessions_sockets_even_before_the_session_is_deleted(team):
    """Django announces a sign-out before it deletes the session: the event itself must be enough."""
    cookie = await async_session_cookie(team.caseworker)
    this_session = await connected_with("/ws/me/", cookie)
    other_session = await connected_with("/ws/me/", await async_session_cookie(team.caseworker))
    try:
        event = {"type": "access.changed", "signed_out_session": cookie}
        await database_sync_to_async(broadcast)(user_group(team.caseworker.pk), event)

        assert await closes_within_5_seconds(this_session) == CLOSE_UNAUTHENTICATED
        assert await other_session.receive_nothing(timeout=0.5)
    finally:
        await this_session.disconnect()
        await other_session.disconnect()


async def test_an_account_saved_as_disabled_closes_its_sockets_without_anyone_announcing_it(team):
    me = await connected("/ws/me/", team.caseworker)
    notes = await connected(notes_path(team.client), team.caseworker)
    try:
        team.caseworker.is_active = False
        await team.caseworker.asave()

        assert await closes_within_5_seconds(me) == CLOSE_FORBIDDEN
        assert await closes_within_5_seconds(notes) == CLOSE_FORBIDDEN
    finally:
        await me.disconnect()
        await notes.disconnect()


async def test_a_session_that_times_out_closes_its_sockets(team, settings):
    settings.SESSION_IDLE_TIMEOUT = 2
    me = await connected("/ws/me/", team.officer)
    notes = await connected(notes_path(team.client), team.officer)
    try:
        assert await me.receive_nothing(timeout=1), "still within the idle timeout"

        assert await closes_within_5_seconds(me) == CLOSE_UNAUTHENTICATED
        assert await closes_within_5_seconds(notes) == CLOSE_UNAUTHENTICATED
    finally:
        await me.disconnect()
        await notes.disconnect()
