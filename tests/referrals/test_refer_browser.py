"""Before referring, Chromium shows the capacity and duplicate warnings and the consent that is missing."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_organisation, make_service

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def services(cast):
    ministry = make_organisation("KZ", title="Employment Centre", kind="government")
    return {
        "full": make_service(cast.cso_b, title="Evening literacy", categories=["education"], capacity="full"),
        "government": make_service(ministry, title="Job placement", categories=["education"]),
    }


def sign_in(page, live_server, username: str) -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", "a-long-password-1")
    page.press("#id_password", "Enter")
    page.wait_for_load_state()


def card(page, title: str):
    return page.locator("#suggestions .card").filter(has=page.get_by_role("heading", name=title))


def test_the_suggestions_show_capacity_duplicate_and_missing_consent(
    live_server, page, cast, canary, referral, services
):
    sign_in(page, live_server, "social-worker")
    page.goto(f"{live_server.url}/clients/{canary.pk}/")

    expect(card(page, "Evening literacy").get_by_text("This service is full at the moment")).to_be_visible()
    expect(card(page, "Literacy classes").get_by_text("already has an open referral to this service")).to_be_visible()
    missing = card(page, "Job placement").locator(".missing-consent")
    expect(missing).to_be_visible()
    expect(missing).to_contain_text("(Government service)")
    expect(card(page, "Literacy classes").locator(".missing-consent")).to_have_count(0)

    missing.get_by_role("link", name="Record consent").click()
    page.wait_for_url("**#consent")
    expect(page.locator("#consent-heading")).to_be_in_viewport()


def test_the_refer_page_warns_before_sending(live_server, page, cast, canary, referral, services):
    sign_in(page, live_server, "social-worker")
    page.goto(f"{live_server.url}/clients/{canary.pk}/refer/?service={services['full'].pk}")
    expect(page.get_by_text("This service is full at the moment")).to_be_visible()

    page.goto(f"{live_server.url}/clients/{canary.pk}/refer/?service={cast.service.pk}")
    expect(page.get_by_text("already has an open referral to this service")).to_be_visible()
    page.get_by_role("button", name="Send the referral").click()
    expect(page.get_by_text("follow that one up instead")).to_be_visible()

    page.goto(f"{live_server.url}/clients/{canary.pk}/refer/?service={services['government'].pk}")
    missing = page.locator(".missing-consent")
    expect(missing).to_be_visible()
    expect(missing.get_by_role("link", name="Record consent")).to_be_visible()
