"""Signing out in one tab stops the live case notes open in another, within 5 seconds (Chromium, daphne)."""

import pytest
from playwright.sync_api import expect

from tests.aftercare.live_servers import serve_static_files
from tests.aftercare.notes_cast import build_team, session_cookie

# The server is another process: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

OPENING_MS = 15_000
CLOSING_MS = 5_000


def test_signing_out_in_one_tab_closes_the_live_notes_of_another(page, asgi_server):
    team = build_team()
    page.context.add_cookies([{"name": "sessionid", "value": session_cookie(team.caseworker), "url": asgi_server}])
    serve_static_files(page)
    page.goto(f"{asgi_server}/clients/{team.client.pk}/case/")
    notes = page.locator("[data-case-notes]")
    expect(notes).to_have_attribute("data-live-state", "open", timeout=OPENING_MS)

    other_tab = page.context.new_page()
    serve_static_files(other_tab)
    other_tab.goto(f"{asgi_server}/inbox/")
    other_tab.get_by_role("button", name="Sign out").click()
    other_tab.wait_for_load_state()

    expect(notes).to_have_attribute("data-live-state", "closed", timeout=CLOSING_MS)
    status = notes.locator("[data-live-status]")
    expect(status).to_be_visible()
    expect(status).to_have_text("Live updates stopped. Reload the page.")
