"""The directory in a real browser (Debian's Chromium): filter, share the URL, read right to left."""

import pytest
from playwright.sync_api import expect

from tests.factories import make_organisation, make_service

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def directory_content():
    dushanbe = make_organisation("TJ", title="Dushanbe Skills Hub", regions=["TJ-DU"])
    make_service(dushanbe, title="Sewing workshop", categories=["vocational-training"], languages=["tg"])
    make_service(dushanbe, title="Legal documents desk", categories=["legal-aid"], languages=["tg", "ru"])
    make_service(dushanbe, title="Family mediation", categories=["family-support"], capacity="full")


def test_a_visitor_narrows_the_directory_and_shares_the_link(live_server, page, directory_content):
    page.goto(f"{live_server.url}/directory/")
    assert page.locator(".result-count").inner_text().strip() == "3 services found"

    page.select_option("#id_category", "legal-aid")
    page.get_by_role("button", name="Show services").click()
    page.wait_for_url("**/directory/?*category=legal-aid*")
    assert page.locator(".result-count").inner_text().strip() == "1 service found"
    assert page.locator(".card-title").all_inner_texts() == ["Legal documents desk"]

    shared = page.url
    page.goto(f"{live_server.url}/")
    page.goto(shared)
    assert page.locator(".card-title").all_inner_texts() == ["Legal documents desk"]

    page.get_by_role("link", name="Legal documents desk").click()
    assert page.locator("h1").inner_text() == "Legal documents desk"


def test_accepting_now_hides_full_services(live_server, page, directory_content):
    page.goto(f"{live_server.url}/directory/")
    page.check("#id_accepting")
    page.get_by_role("button", name="Show services").click()
    page.wait_for_url("**accepting=on*")
    assert sorted(page.locator(".card-title").all_inner_texts()) == ["Legal documents desk", "Sewing workshop"]


def test_choosing_arabic_turns_the_page_right_to_left(live_server, page, directory_content):
    page.goto(f"{live_server.url}/directory/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.select_option("#language-select", "ar")
    page.locator(".language-switcher button").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("lang") == "ar"
    assert page.locator("html").get_attribute("dir") == "rtl"
    # Logical properties: in right-to-left the filter column sits on the right of the results.
    filters_box = page.locator(".filters").bounding_box()
    results_box = page.locator(".results").bounding_box()
    assert filters_box is not None and results_box is not None
    assert filters_box["x"] > results_box["x"]


def test_on_a_phone_the_results_come_first_and_the_filters_fold_away(live_server, page, directory_content):
    page.set_viewport_size({"width": 360, "height": 640})
    page.goto(f"{live_server.url}/directory/")
    first_result = page.locator(".card-title").first
    expect(first_result).to_be_visible()
    box = first_result.bounding_box()
    assert box is not None and box["y"] + box["height"] <= 640
    expect(page.locator("#id_category")).to_be_hidden()
    assert page.evaluate("document.documentElement.scrollWidth") <= 360

    page.get_by_text("Filter services").click()
    expect(page.locator("#id_category")).to_be_visible()
    page.select_option("#id_category", "legal-aid")
    page.get_by_role("button", name="Show services").click()
    page.wait_for_url("**category=legal-aid*")
    expect(page.locator(".card-title")).to_have_text(["Legal documents desk"])
    assert page.evaluate("document.documentElement.scrollWidth") <= 360


def test_regions_follow_the_chosen_country_without_javascript(live_server, page, directory_content):
    page.goto(f"{live_server.url}/directory/?country=TJ")
    regions = page.locator("#id_region option").all_inner_texts()
    assert regions[0] == "Any region"
    assert "Dushanbe (city)" in regions and "Almaty (city)" not in regions
    assert len(regions) == 6


def test_a_service_page_shows_how_to_reach_and_apply_falling_back_on_the_organisation(live_server, page):
    centre = make_organisation(
        "KZ",
        title="Almaty Learning Centre",
        email="hello@alc.example.org",
        phone="+7 727 000 00 00",
        address="12 Abay Avenue, Almaty",
        opening_hours="Monday to Friday, 9:00–18:00",
    )
    make_service(centre, title="Literacy classes", application_process="Come to the front desk with an ID.")
    make_service(centre, title="Night shelter", phone="+7 727 111 11 11", opening_hours="Every night from 20:00")

    page.goto(f"{live_server.url}{centre.url}literacy-classes/")
    section = page.get_by_role("region", name="How to reach and apply")
    expect(section).to_be_visible()
    expect(section).to_contain_text("hello@alc.example.org")
    expect(section).to_contain_text("+7 727 000 00 00")
    expect(section).to_contain_text("12 Abay Avenue, Almaty")
    expect(section).to_contain_text("Monday to Friday, 9:00–18:00")
    expect(section).to_contain_text("Come to the front desk with an ID.")

    page.goto(f"{live_server.url}{centre.url}night-shelter/")
    section = page.get_by_role("region", name="How to reach and apply")
    expect(section).to_contain_text("+7 727 111 11 11")
    expect(section).not_to_contain_text("+7 727 000 00 00")
    expect(section).to_contain_text("Every night from 20:00")
    expect(section).to_contain_text("12 Abay Avenue, Almaty")
    expect(section).to_contain_text("Contact Almaty Learning Centre to apply.")
