"""In Chromium: Arabic chosen once comes back at the next sign-in in a fresh browser; the switcher, naming
each language in its own name, is on the public pages and in the workspace."""

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import expect

from cso_directory.actions import add_membership
from portal.foundation.roles import Role
from tests.factories import make_organisation

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "a-long-password-1"
OWN_NAMES = ["English", "العربية", "کوردی", "Русский", "Қазақша", "Кыргызча", "Тоҷикӣ"]


@pytest.fixture
def caseworker() -> User:
    user = User.objects.create_user("caseworker", password=PASSWORD, email="caseworker@example.org")
    add_membership(user, make_organisation("KZ", title="Bright Futures", regions=["KZ-75"]), Role.CSO_CASEWORKER)
    return user


def sign_in(page, server: str) -> None:
    page.goto(f"{server}/accounts/login/")
    page.locator("input[name=username]").fill("caseworker")
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main button[type=submit]").click()
    page.wait_for_load_state()


def test_arabic_chosen_once_comes_back_at_sign_in_in_a_fresh_browser(live_server, page, caseworker):
    sign_in(page, live_server.url)
    page.locator("#language-select").select_option("ar")
    page.locator(".language-switcher button").click()
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    page.locator("form[action='/accounts/logout/'] button").click()
    page.wait_for_load_state()

    fresh = page.context.browser.new_context().new_page()
    sign_in(fresh, live_server.url)

    expect(fresh).to_have_url(f"{live_server.url}/inbox/")
    expect(fresh.locator("html")).to_have_attribute("lang", "ar")
    expect(fresh.locator("html")).to_have_attribute("dir", "rtl")
    expect(fresh.locator("#language-select")).to_have_value("ar")
    fresh.context.close()


@pytest.mark.parametrize("path", ["/", "/inbox/"])
def test_the_switcher_shows_every_language_in_its_own_name_on_every_kind_of_page(live_server, page, caseworker, path):
    if path != "/":
        sign_in(page, live_server.url)
    page.goto(f"{live_server.url}{path}")

    switcher = page.locator("#language-select")
    expect(switcher).to_be_visible()
    expect(page.get_by_label("Language")).to_be_visible()
    expect(switcher.locator("option")).to_have_text(OWN_NAMES)
