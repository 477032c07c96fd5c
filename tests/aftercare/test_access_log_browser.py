"""What Chromium shows of who viewed a client's record: the supervisor finds the link on the client
page and reads the log, without the page scrolling sideways; the officer sees no link."""

import pytest
from django.conf import settings
from django.test import Client as HttpClient
from playwright.sync_api import expect

from tests.aftercare.supervision_cast import build_cast, open_case

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)
BROWSER = "Mozilla/5.0 (X11; Linux x86_64) InspectorBrowser/1.0 with a long user agent string that must wrap"


def sign_in(page, live_server, user) -> None:
    http = HttpClient()
    http.force_login(user)
    session = http.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def test_the_supervisor_follows_the_link_and_reads_who_viewed_the_record(live_server, page):
    cast = build_cast()
    client = open_case(cast, officer=cast.officer).client
    viewer = HttpClient(HTTP_USER_AGENT=BROWSER)
    viewer.force_login(cast.officer)
    viewer.get(f"/clients/{client.pk}/")
    page.set_viewport_size({"width": 390, "height": 800})
    sign_in(page, live_server, cast.supervisor)

    page.goto(f"{live_server.url}/clients/{client.pk}/")
    page.get_by_role("link", name="Who viewed this record").click()

    expect(page.get_by_role("heading", name=f"Who viewed {client.reference}")).to_be_visible()
    row = page.get_by_role("row", name="officer")
    expect(row.first).to_be_visible()
    expect(page.get_by_role("link", name="Download as CSV")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_officer_sees_no_link_to_the_log(live_server, page):
    cast = build_cast()
    client = open_case(cast, officer=cast.officer).client
    sign_in(page, live_server, cast.officer)

    page.goto(f"{live_server.url}/clients/{client.pk}/")

    expect(page.get_by_role("heading", name=client.reference)).to_be_visible()
    expect(page.get_by_role("link", name="Who viewed this record")).to_have_count(0)
