"""What Chromium shows of a dashboard: the chart and its table, "<5" where the figures are small,
no serious accessibility violation (axe), in English and Arabic (right to left), and a report that
prints on A4 without spilling sideways. One page load per language and medium."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client as HttpClient
from playwright.sync_api import expect

from reporting import charts
from tests.reporting.reporting_cast import PERIOD, build_cast

pytestmark = pytest.mark.django_db(transaction=True)
A4_WIDTH = 794  # CSS px of an A4 page (210 mm at 96 dpi)


def signed_in_page(browser, live_server, user, language: str):
    http = HttpClient()
    http.force_login(user)
    context = browser.new_context()
    context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": http.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            },
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url},
        ]
    )
    return context.new_page()


def test_the_dashboard_shows_its_charts_and_tables_and_prints_on_a4(live_server, browser):
    cast = build_cast()
    for language in ("en", "ar"):
        page = signed_in_page(browser, live_server, cast.coordinator, language)
        page.goto(f"{live_server.url}/reporting/dashboards/referrals/?{PERIOD}")
        section = page.locator("section.report-table").first
        applied = page.locator("section.report-applied")
        expect(applied).to_be_hidden()  # on screen the filters are the form's
        expect(section.locator("svg.chart")).to_be_visible()
        expect(section.locator("table.figures")).to_be_visible()
        expect(section.locator("svg.chart text.chart-value", has_text="<5").first).to_be_visible()
        expect(section.locator("table.figures td", has_text="<5").first).to_be_visible()
        expect(page.locator('header a[href="/reporting/dashboards/"]')).to_be_visible()
        violations = [
            (violation["id"], [node["target"] for node in violation["nodes"]])
            for violation in Axe().run(page).response["violations"]
            if violation["impact"] in ("serious", "critical")
        ]
        assert violations == [], (language, violations)
        assert page.locator("html").get_attribute("dir") == ("rtl" if language == "ar" else "ltr")

        page.set_viewport_size({"width": A4_WIDTH, "height": 1123})
        page.emulate_media(media="print")
        expect(page.locator("form.report-filters")).to_be_hidden()
        expect(page.locator("header.site-header")).to_be_hidden()
        # On paper the filters the report applied are listed, since the form is not printed.
        expect(applied).to_be_visible()
        sex, from_month = ("الجنس", "من شهر") if language == "ar" else ("Sex", "From month")
        expect(applied.locator("dt", has_text=from_month)).to_be_visible()
        expect(applied.locator("dd", has_text="2026-01")).to_be_visible()
        expect(applied.locator("div", has_text=sex).locator("dd")).to_have_text(
            "أي جنس" if language == "ar" else "Any sex"
        )
        expect(section.locator("table.figures")).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= A4_WIDTH, (language, width)
        assert page.pdf(format="A4")[:4] == b"%PDF"
        page.context.close()


def test_a_chart_of_many_rows_says_under_it_that_it_draws_the_largest_only(live_server, browser, monkeypatch):
    monkeypatch.setattr(charts, "MOST_BARS", 2)
    cast = build_cast()
    page = signed_in_page(browser, live_server, cast.coordinator, "en")
    page.goto(f"{live_server.url}/reporting/dashboards/referrals/?{PERIOD}")
    section = page.locator("section.report-table").first
    expect(section.locator("svg.chart rect.chart-bar")).to_have_count(2)
    note = section.locator("[data-chart-part]")
    expect(note).to_be_visible()
    rows = section.locator("table.figures tbody tr").count()
    expect(note).to_have_text(f"The chart shows the largest 2 of {rows} rows; the table below lists them all.")
    chart, table = section.locator("svg.chart").bounding_box(), section.locator("table.figures").bounding_box()
    assert chart["y"] < note.bounding_box()["y"] < table["y"]
