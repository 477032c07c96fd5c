"""What Chromium shows: axe-core finds no serious or critical violation on the workspace listings,
a form sent back with errors, the sign-in page and the messages list; the error summary takes the
focus; long unbroken text wraps instead of widening the page."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client as HttpClient
from playwright.sync_api import expect

from aftercare.actions import add_case_note
from aftercare.models import CaseNote
from referrals.models import Client
from tests.aftercare.supervision_cast import build_cast, open_case

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}
LONG_WORD = "x" * 10_000


@pytest.fixture
def cast():
    cast = build_cast()
    cast.case = open_case(cast, officer=cast.officer)
    return cast


def sign_in(page, live_server, user) -> None:
    http = HttpClient()
    http.force_login(user)
    session = http.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url}])


def blocking_violations(page) -> list[tuple[str, str, list]]:
    violations = AXE.run(page).response["violations"]
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]])
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def send_the_form_empty(page) -> None:
    """Submit the page's main form with nothing filled in, past the browser's own checks."""
    form = page.locator("main form.stacked-form").first
    form.evaluate("form => { form.noValidate = true; }")
    form.locator("button[type=submit]").first.click()


@pytest.mark.parametrize(
    ("who", "url"),
    [("social_worker", "/clients/"), ("caseworker", "/inbox/"), ("officer", "/caseload/")],
)
def test_the_workspace_listings_have_no_serious_violation(live_server, page, cast, who, url):
    sign_in(page, live_server, getattr(cast, who))
    page.goto(f"{live_server.url}{url}")

    assert blocking_violations(page) == []


def test_the_sign_in_page_has_no_serious_violation_before_and_after_a_wrong_password(live_server, page, cast):
    page.goto(f"{live_server.url}/accounts/login/")
    assert blocking_violations(page) == []

    page.get_by_label("Username").fill("officer")
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()

    expect(page.locator("[data-error-summary]")).to_be_focused()
    assert blocking_violations(page) == []


def test_a_form_sent_back_with_errors_focuses_its_summary_whose_links_reach_the_fields(live_server, page, cast):
    sign_in(page, live_server, cast.social_worker)
    page.set_viewport_size({"width": 1280, "height": 600})
    page.goto(f"{live_server.url}/clients/new/")

    send_the_form_empty(page)

    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    assert blocking_violations(page) == []
    summary.get_by_role("link", name="Last name: This field is required.").click()
    expect(page.get_by_label("Last name")).to_be_focused()


def test_the_date_ranges_show_their_from_and_to_labels(live_server, page, cast):
    sign_in(page, live_server, cast.social_worker)
    page.goto(f"{live_server.url}/clients/")

    dates = page.get_by_role("group", name="Expected release between")
    expect(dates.get_by_label("From")).to_be_visible()
    expect(dates.get_by_label("To")).to_be_visible()


def test_the_messages_list_has_no_serious_violation(live_server, page, cast):
    sign_in(page, live_server, cast.social_worker)
    page.goto(f"{live_server.url}/clients/{cast.case.client.pk}/handover/")

    expect(page.get_by_role("listitem").filter(has_text="This client has already been handed over.")).to_be_visible()
    assert blocking_violations(page) == []


@pytest.mark.parametrize("width", [360, 1280])
def test_long_unbroken_client_notes_wrap_within_the_page(live_server, page, cast, width):
    client = cast.case.client
    # Written past the forms: the pages must hold whatever text is stored, however long.
    Client.objects.filter(pk=client.pk).update(risk_notes=LONG_WORD, contact_route=LONG_WORD)
    sign_in(page, live_server, cast.social_worker)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/clients/{client.pk}/")

    expect(page.get_by_text(LONG_WORD)).to_have_count(2)
    expect(page.get_by_text(LONG_WORD).first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [360, 1280])
def test_a_long_unbroken_case_note_wraps_within_the_page(live_server, page, cast, width):
    add_case_note(cast.officer, cast.case.client, body="A short note.")
    CaseNote.objects.filter(client=cast.case.client).update(body=LONG_WORD)
    sign_in(page, live_server, cast.officer)
    page.set_viewport_size({"width": width, "height": 800})
    page.goto(f"{live_server.url}/clients/{cast.case.client.pk}/case/")

    expect(page.get_by_text(LONG_WORD)).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= width
