"""The main pages in Chromium under the Content-Security-Policy: no violation, no request to another host.

Chromium reports every script, style or connection the policy blocks on the console; any such
report, or any request to a host other than the live server, fails the test.
"""

from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from tests.aftercare.notes_cast import build_team, session_cookie

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


class Watch:
    """What the page reported on its console about the policy, and where it sent requests."""

    def __init__(self, page, base_url: str):
        self.violations: list[str] = []
        self.foreign_requests: list[str] = []
        self.own_host = urlsplit(base_url).netloc
        page.on("console", self.console)
        page.on("request", self.request)

    def console(self, message) -> None:
        if "Content Security Policy" in message.text:
            self.violations.append(message.text)

    def request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in ("data", "blob") and parts.netloc != self.own_host:
            self.foreign_requests.append(request.url)


def visit(page, url: str) -> None:
    response = page.goto(url)
    assert response is not None and response.status == 200, url
    page.wait_for_load_state("networkidle")


def sign_in(page, base_url: str, user) -> None:
    page.context.clear_cookies()
    page.context.add_cookies([{"name": "sessionid", "value": session_cookie(user), "url": base_url}])


def test_the_main_pages_run_under_the_policy_without_a_violation_or_a_foreign_request(live_server, page):
    team = build_team()
    administrator = User.objects.create_superuser("administrator", email="admin@example.org")
    watch = Watch(page, live_server.url)

    visit(page, f"{live_server.url}/directory/")
    sign_in(page, live_server.url, team.social_worker)
    visit(page, f"{live_server.url}/clients/{team.client.pk}/")
    visit(page, f"{live_server.url}/clients/{team.client.pk}/case/")
    expect(page.locator("[data-case-notes]")).to_be_visible()
    sign_in(page, live_server.url, administrator)
    visit(page, f"{live_server.url}/admin/")
    expect(page.locator("#main")).to_be_visible()
    # An editor with inline panels and date choosers: the inline scripts the admin's policy allows.
    visit(page, f"{live_server.url}/admin/pages/{team.cso.pk}/edit/")
    expect(page.locator("form#page-edit-form")).to_be_visible()

    assert watch.violations == []
    assert watch.foreign_requests == []
