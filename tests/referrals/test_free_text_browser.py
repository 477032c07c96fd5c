"""Free text may carry bidirectional overrides; Chromium shows each such text isolated from the page around it."""

import pytest
from playwright.sync_api import expect

from tests.aftercare.notes_cast import session_cookie
from tests.referrals.conftest import new_client

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

OVERRIDDEN = "Says \u202eEMAN LAER\u202c at the door"


def test_risk_notes_with_a_bidi_override_are_shown_isolated(live_server, page, cast):
    person = new_client(cast, risk_notes=OVERRIDDEN)
    page.context.add_cookies(
        [{"name": "sessionid", "value": session_cookie(cast.social_worker), "url": live_server.url}]
    )

    page.goto(f"{live_server.url}/clients/{person.pk}/")

    notes = page.get_by_text("EMAN LAER", exact=False)
    expect(notes).to_be_visible()
    assert notes.evaluate("element => getComputedStyle(element).unicodeBidi") == "isolate"
    assert notes.evaluate("element => element.dir") == "auto"
