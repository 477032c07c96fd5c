"""What Chromium shows of signing in: enrolling a second factor, the recovery codes, signing in with
a code; the lock-out message; the demo's notice that the second factor is off."""

from base64 import b32decode

import pytest
from django.contrib.auth.models import User
from django_otp.oath import TOTP
from playwright.sync_api import expect

from cso_directory.actions import add_membership
from portal.foundation.roles import Role
from tests.factories import make_organisation

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-password-1"


@pytest.fixture
def caseworker(db):
    user = User.objects.create_user("caseworker", password=PASSWORD, email="caseworker@example.org")
    add_membership(user, make_organisation("KZ", title="Bright Futures"), Role.CSO_CASEWORKER)
    return user


def code_for(secret: str, steps_ahead: int = 0) -> str:
    totp = TOTP(b32decode(secret.replace(" ", "")))
    totp.time = totp.time + steps_ahead * totp.step
    return f"{totp.token():06d}"


def sign_in_with_password(page, base_url: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


def no_sideways_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")


def test_enrol_see_the_recovery_codes_sign_out_and_sign_in_with_a_code(live_server, page, settings, caseworker):
    settings.PORTAL_REQUIRE_TWO_FACTOR = True
    page.set_viewport_size({"width": 390, "height": 844})

    sign_in_with_password(page, live_server.url, "caseworker")

    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    qr_code = page.get_by_role("img", name="QR code for your authenticator app")
    expect(qr_code).to_be_visible()
    box = qr_code.locator("svg").bounding_box()
    assert box is not None and box["width"] >= 150 and box["width"] == box["height"]
    secret = page.locator("#totp-secret")
    expect(secret).to_be_visible()
    assert no_sideways_scroll(page)
    key = secret.inner_text()
    page.get_by_label("Code", exact=True).fill(code_for(key))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.locator(".recovery-code")
    expect(codes).to_have_count(10)
    for index in range(10):
        expect(codes.nth(index)).to_be_visible()
    page.get_by_role("link", name="Continue").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()

    page.get_by_role("button", name="Sign out (caseworker)").click()
    sign_in_with_password(page, live_server.url, "caseworker")

    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    page.get_by_label("Code", exact=True).fill(code_for(key, steps_ahead=1))  # the code used to confirm works once
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Inbox")).to_be_visible()


def test_a_wrong_code_shows_why(live_server, page, settings, caseworker):
    settings.PORTAL_REQUIRE_TWO_FACTOR = True
    sign_in_with_password(page, live_server.url, "caseworker")

    page.get_by_label("Code", exact=True).fill("000000")
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("alert").get_by_text("This code is not valid")).to_be_visible()


def test_the_lock_out_says_what_happened_and_what_to_do(live_server, page, settings, caseworker):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        sign_in_with_password(page, live_server.url, "caseworker", password="not-the-password-at-all")

    expect(page.get_by_role("alert").get_by_text("Too many failed sign-ins from here")).to_be_visible()
    expect(page.get_by_role("link", name="Forgot your password?")).to_be_visible()


def test_the_demo_says_plainly_that_the_second_factor_is_off(live_server, page, settings):
    settings.PORTAL_REQUIRE_TWO_FACTOR = False

    page.goto(f"{live_server.url}/accounts/login/")

    expect(page.get_by_text("The second factor is off in this demo")).to_be_visible()
