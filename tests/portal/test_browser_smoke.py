import json

import pytest

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_browser_shows_healthz(live_server, page):
    response = page.goto(f"{live_server.url}/healthz")

    assert response is not None
    assert response.status == 200
    assert json.loads(page.locator("body").inner_text())["channel_layer"] == "ok"
