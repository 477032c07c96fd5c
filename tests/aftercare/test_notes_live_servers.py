"""Live notes across real server processes, seen by a real browser (Debian's Chromium).

Two daphne processes share PostgreSQL and Redis: a note posted through one reaches a browser
connected to the other. With Redis stopped, a note is still stored; when Redis is back the page
reconnects, catches up from the last sequence it saw, and shows the note exactly once.
"""

import json
import urllib.request

import pytest
from playwright.sync_api import expect
from wagtail.models import APIToken

from aftercare.models import CaseNote
from tests.aftercare.live_servers import asgi_servers, redis_server, serve_static_files
from tests.aftercare.notes_cast import build_team, session_cookie

# The servers are other processes: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

WAIT_MS = 15_000
RECONNECT_WAIT_MS = 40_000


def open_case_page(page, base_url: str, user, client) -> None:
    page.context.add_cookies([{"name": "sessionid", "value": session_cookie(user), "url": base_url}])
    serve_static_files(page)
    page.goto(f"{base_url}/clients/{client.pk}/case/")
    expect(page.locator("[data-case-notes]")).to_have_attribute("data-live-state", "open", timeout=WAIT_MS)


def post_note(base_url: str, token: str, client, body: str, **fields) -> tuple[int, dict]:
    """POST through the server's JSON API with a bearer token, as an app or a script would."""
    request = urllib.request.Request(  # noqa: S310 - a loopback http URL
        f"{base_url}/api/clients/{client.pk}/notes",
        data=json.dumps({"body": body, **fields}).encode(),
        headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
        return response.status, json.loads(response.read())


def shown_note_ids(page) -> list[str]:
    return page.locator("[data-notes-list] [data-note-id]").evaluate_all("items => items.map(i => i.dataset.noteId)")


def test_a_note_posted_through_one_server_reaches_a_browser_on_the_other(browser, page, asgi_server):
    team = build_team()
    _token, token = APIToken.create_token(user=team.officer, name="tests")
    officer_context = browser.new_context()
    try:
        with asgi_servers(1) as (server_b,):  # a second process beside the suite's own (server A)
            server_a = asgi_server
            open_case_page(page, server_b, team.caseworker, team.client)
            officer_page = officer_context.new_page()
            open_case_page(officer_page, server_a, team.officer, team.client)
            presence = page.locator("[data-presence-list] li")
            expect(presence).to_have_text(["Probation Officer is also viewing this case"], timeout=WAIT_MS)

            post_note(server_a, token, team.client, "Probation office only", visibility="organisation")
            status, note = post_note(server_a, token, team.client, "<b>Hello</b> from server A")

            assert status == 201
            body = page.locator(f"#note-{note['id']} [data-slot=body]")
            expect(body).to_have_text("<b>Hello</b> from server A", timeout=WAIT_MS)
            assert body.locator("b").count() == 0, "inserted as text, never as HTML"
            expect(officer_page.locator(f"#note-{note['id']}")).to_have_count(1, timeout=WAIT_MS)
            assert shown_note_ids(page) == [str(team.team_note.pk), note["id"]]
            assert "Probation office only" not in page.content()

            officer_page.close()
            expect(presence).to_have_count(0, timeout=WAIT_MS)
    finally:
        officer_context.close()


def test_with_redis_down_a_note_is_stored_and_shown_once_after_reconnecting(page):
    team = build_team()
    _token, token = APIToken.create_token(user=team.officer, name="tests")
    with redis_server() as redis, asgi_servers(1, redis.url) as (server,):
        open_case_page(page, server, team.caseworker, team.client)
        panel = page.locator("[data-case-notes]")
        _status, before = post_note(server, token, team.client, "Before the outage")
        expect(page.locator(f"#note-{before['id']}")).to_have_count(1, timeout=WAIT_MS)

        redis.stop()
        expect(panel).not_to_have_attribute("data-live-state", "open", timeout=WAIT_MS)
        status, during = post_note(server, token, team.client, "During the outage")
        assert status == 201
        assert CaseNote.objects.filter(pk=during["id"], body="During the outage").exists()
        assert page.locator(f"#note-{during['id']}").count() == 0

        redis.start()
        expect(panel).to_have_attribute("data-live-state", "open", timeout=RECONNECT_WAIT_MS)
        expect(page.locator(f"#note-{during['id']}")).to_have_count(1, timeout=WAIT_MS)
        assert shown_note_ids(page) == [str(team.team_note.pk), before["id"], during["id"]]
