"""The live notes socket (/ws/clients/<id>/notes/) and the user's own socket (/ws/me/), through the
whole ASGI stack (Origin check, session authentication, routing) on the Redis channel layer.

Each test is transactional (the consumers read the database from other threads), and a flush
costs seconds: so each test follows one story through several checks.
"""

import asyncio
import json
import time

import pytest
from asgiref.sync import sync_to_async
from channels import DEFAULT_CHANNEL_LAYER
from channels.db import database_sync_to_async
from channels.layers import channel_layers
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.utils import translation

from aftercare.actions import add_case_note, assign_officer, notes_group, record_check_in
from aftercare.models import NoteVisibility, SupervisionCase
from cso_directory.actions import remove_membership
from cso_directory.models import Membership
from portal.foundation.formats import local_datetime
from portal.foundation.models import AuditEvent
from portal.foundation.realtime import broadcast, user_group
from portal.wiring.asgi import application
from referrals.actions import create_referral, send_referral
from tests.aftercare.notes_cast import PRISON_ONLY_NOTE, TEAM_NOTE, async_session_cookie, build_team
from tests.factories import make_service

pytestmark = pytest.mark.django_db(transaction=True)

ORIGIN = b"http://testserver"
CLOSE_TOO_LARGE = 1009
CLOSE_BAD_MESSAGE = 4400
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404


@pytest.fixture
async def team():
    yield await database_sync_to_async(build_team)()
    # The consumers' database thread keeps its connection open; the test database must be droppable.
    await sync_to_async(connections.close_all)()


@pytest.fixture(autouse=True)
async def own_channel_layer():
    """A channel layer per test: its receive state is bound to the event loop of the test that made it."""
    yield
    layer = channel_layers.backends.pop(DEFAULT_CHANNEL_LAYER, None)
    if layer is not None:
        await layer.close_pools()


def notes_path(client) -> str:
    return f"/ws/clients/{client.pk}/notes/"


async def communicator_for(
    path: str, user=None, origin: bytes | None = ORIGIN, language: str = "en"
) -> WebsocketCommunicator:
    headers = []
    if origin is not None:
        headers.append((b"origin", origin))
    if user is not None:
        cookie = f"sessionid={await async_session_cookie(user)}; django_language={language}"
        headers.append((b"cookie", cookie.encode()))
    return WebsocketCommunicator(application, path, headers=headers)


async def connected(path: str, user) -> WebsocketCommunicator:
    communicator = await communicator_for(path, user)
    accepted, _ = await communicator.connect()
    assert accepted
    return communicator


async def accepted(communicator: WebsocketCommunicator) -> bool:
    try:
        is_accepted, _ = await communicator.connect()
    finally:
        await communicator.disconnect()
    return is_accepted


async def catch_up(communicator: WebsocketCommunicator, after: int) -> None:
    await communicator.send_to(text_data=json.dumps({"type": "catch_up", "after": after}))


async def received(communicator: WebsocketCommunicator, kind: str = "note") -> list[dict]:
    """The messages of one kind sent until the socket falls quiet."""
    messages = []
    while not await communicator.receive_nothing(timeout=0.3):
        messages.append(json.loads(await communicator.receive_from()))
    return [message for message in messages if message["type"] == kind]


async def close_code(communicator: WebsocketCommunicator, timeout: float) -> int:
    """The code the server closes with, waiting at most `timeout` seconds; other messages are skipped."""
    deadline = time.monotonic() + timeout
    while True:
        output = await communicator.receive_output(timeout=max(deadline - time.monotonic(), 0.01))
        if output["type"] == "websocket.close":
            return output["code"]


async def test_sockets_are_refused_before_accept_without_login_origin_or_a_place_on_the_team(team):
    notes = notes_path(team.client)

    assert not await accepted(await communicator_for(notes)), "no login"
    assert not await accepted(await communicator_for(notes, team.social_worker, origin=b"https://evil.example"))
    assert not await accepted(await communicator_for(notes, team.social_worker, origin=None)), "no Origin"
    assert not await accepted(await communicator_for(notes, team.other_caseworker)), "outside the case team"
    assert not await accepted(await communicator_for("/ws/me/")), "no login"
    assert not await accepted(await communicator_for("/ws/me/", team.caseworker, origin=b"http://evil.example"))
    assert await accepted(await communicator_for(notes, team.social_worker)), "the control: a team member"

    denials = AuditEvent.objects.filter(actor=team.other_caseworker, action="access.denied", object_id=team.client.pk)
    assert await denials.acount() == 1


async def test_a_cso_on_the_team_gets_team_notes_but_never_the_prisons_own(team):
    communicator = await connected(notes_path(team.client), team.caseworker)
    try:
        await catch_up(communicator, 0)
        assert [note["body"] for note in await received(communicator)] == [TEAM_NOTE]

        add_note = database_sync_to_async(add_case_note)
        await add_note(team.social_worker, team.client, body="Prison only", visibility=NoteVisibility.ORGANISATION)
        await add_note(team.officer, team.client, body="Probation says hello")
        assert [note["body"] for note in await received(communicator)] == ["Probation says hello"]
    finally:
        await communicator.disconnect()


async def test_two_viewers_see_each_other_and_each_live_note_once(team):
    prison = await connected(notes_path(team.client), team.social_worker)
    cso = await connected(notes_path(team.client), team.caseworker)
    try:
        await catch_up(prison, team.team_note.sequence)
        await catch_up(cso, team.prison_note.sequence)
        caught_up = [(note["sequence"], note["body"]) for note in await received(prison, "note")]
        assert caught_up == [(team.prison_note.sequence, PRISON_ONLY_NOTE)]
        assert [(p["user"], p["state"]) for p in await received(cso, "presence")] == [("Social Worker", "here")]

        script = "<script>alert(1)</script>"
        note = await database_sync_to_async(add_case_note)(team.officer, team.client, body=script)
        for communicator in (prison, cso):
            assert [(item["id"], item["body"]) for item in await received(communicator)] == [(str(note.pk), script)]
    finally:
        await cso.disconnect()
    try:
        assert [(p["user"], p["state"]) for p in await received(prison, "presence")] == [("Caseworker", "leave")]
    finally:
        await prison.disconnect()


async def test_a_users_sockets_on_one_client_each_get_every_note_once_in_their_own_language(team):
    """The sockets share one read per note and language (portal.foundation.realtime.read_once)."""
    english = [await connected(notes_path(team.client), team.caseworker) for _ in range(3)]
    arabic = await communicator_for(notes_path(team.client), team.caseworker, language="ar")
    assert (await arabic.connect())[0]
    sockets = [*english, arabic]
    try:
        for position, communicator in zip([0, team.team_note.sequence, 0, 0], sockets, strict=True):
            await catch_up(communicator, position)
        await asyncio.gather(*(received(communicator) for communicator in sockets))

        note = await database_sync_to_async(add_case_note)(team.officer, team.client, body="Seen by every tab")
        notes = await asyncio.gather(*(received(communicator) for communicator in sockets))
        assert [[item["id"] for item in each] for each in notes] == [[str(note.pk)]] * 4
        texts = [each[0]["created_at_text"] for each in notes]
        assert texts[0] == texts[1] == texts[2] != texts[3]
        with translation.override("ar"):
            assert texts[3] == local_datetime(note.created_at)
    finally:
        for communicator in sockets:
            await communicator.disconnect()


async def test_oversized_and_malformed_frames_close_the_socket(team):
    frames = {
        "x" * (1024 * 1024 + 1): CLOSE_TOO_LARGE,
        "{not json": CLOSE_BAD_MESSAGE,
        "[]": CLOSE_BAD_MESSAGE,
        json.dumps({"type": "catch_up"}): CLOSE_BAD_MESSAGE,
        json.dumps({"type": "catch_up", "after": "1; drop"}): CLOSE_BAD_MESSAGE,
        json.dumps({"type": "catch_up", "after": -1}): CLOSE_BAD_MESSAGE,
    }
    for frame, expected_code in frames.items():
        communicator = await connected(notes_path(team.client), team.social_worker)
        try:
            await communicator.send_to(text_data=frame)
            assert await close_code(communicator, timeout=2) == expected_code, frame[:40]
        finally:
            await communicator.disconnect()


async def test_losing_access_closes_open_sockets(team):
    cso = await connected(notes_path(team.client), team.caseworker)
    probation = await connected(notes_path(team.client), team.officer)
    try:
        started = time.monotonic()
        await database_sync_to_async(remove_membership)(team.caseworker_membership)
        assert await close_code(cso, timeout=5) == CLOSE_FORBIDDEN
        assert time.monotonic() - started < 5

        # Access that ends without an event (a row deleted by hand) is caught at the next message.
        await Membership.objects.filter(user=team.officer).adelete()
        await catch_up(probation, 0)
        assert await close_code(probation, timeout=2) == CLOSE_FORBIDDEN
    finally:
        await cso.disconnect()
        await probation.disconnect()


def sent_referral(team):
    service = make_service(team.cso, title="Job coaching")
    return send_referral(team.social_worker, create_referral(team.social_worker, team.client, service))


async def test_the_user_socket_carries_referral_and_alert_ids_and_closes_when_the_account_is_disabled(team):
    case = await SupervisionCase.objects.aget(client=team.client)
    await database_sync_to_async(assign_officer)(team.officer, case, team.officer)
    caseworker = await connected("/ws/me/", team.caseworker)
    officer = await connected("/ws/me/", team.officer)
    try:
        referral = await database_sync_to_async(sent_referral)(team)
        assert json.loads(await caseworker.receive_from(timeout=5)) == {
            "type": "referral",
            "referral": str(referral.pk),
            "verb": "send",
        }

        check_in = await case.check_ins.afirst()
        await database_sync_to_async(record_check_in)(team.officer, check_in, status="missed")
        assert json.loads(await officer.receive_from(timeout=5)) == {
            "type": "alert",
            "kind": "missed_check_in",
            "case": str(case.pk),
        }

        access_changed = database_sync_to_async(broadcast)
        await access_changed(user_group(team.officer.pk), {"type": "access.changed"})
        assert await officer.receive_nothing(timeout=0.5), "an active user keeps the socket"

        team.caseworker.is_active = False
        await team.caseworker.asave(update_fields=["is_active"])
        await access_changed(user_group(team.caseworker.pk), {"type": "access.changed"})
        assert await close_code(caseworker, timeout=5) == CLOSE_FORBIDDEN
    finally:
        await caseworker.disconnect()
        await officer.disconnect()


async def test_a_socket_to_an_unknown_path_or_a_malformed_id_is_refused_cleanly_without_an_error(team, caplog):
    paths = ["/ws/clients/1/notes/", "/ws/nowhere/", f"/ws/clients/{team.client.pk}/notes/extra/", "/ws/"]

    for path in paths:
        communicator = await communicator_for(path, team.social_worker)
        with caplog.at_level("WARNING"):
            is_accepted, code = await communicator.connect()
        await communicator.disconnect()
        assert (is_accepted, code) == (False, CLOSE_NOT_FOUND), path

    assert [record for record in caplog.records if record.levelname in ("ERROR", "CRITICAL")] == []


async def test_an_unknown_event_type_reaching_either_socket_is_ignored(team):
    notes = await connected(notes_path(team.client), team.social_worker)
    me = await connected("/ws/me/", team.caseworker)
    send = database_sync_to_async(broadcast)
    try:
        await catch_up(notes, team.prison_note.sequence)
        for group in (notes_group(team.client.pk), user_group(team.social_worker.pk), user_group(team.caseworker.pk)):
            await send(group, {"type": "event.nobody.knows", "id": 1})
        assert await notes.receive_nothing(timeout=0.5)
        assert await me.receive_nothing(timeout=0.5)

        note = await database_sync_to_async(add_case_note)(team.officer, team.client, body="Still listening")
        assert [item["id"] for item in await received(notes)] == [str(note.pk)], "the notes socket still works"
        referral = await database_sync_to_async(sent_referral)(team)
        assert json.loads(await me.receive_from(timeout=5))["referral"] == str(referral.pk), "so does /ws/me/"
    finally:
        await notes.disconnect()
        await me.disconnect()
