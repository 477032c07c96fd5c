"""What Chromium shows the national coordinator after signing in: their country's overview, its figures
and the links to the lists behind them, readable on a phone, with no serious accessibility violation."""

import pytest
from playwright.sync_api import expect

from reporting import overview_views
from tests.portal.test_a11y_pages_browser import PHONE, blocking_violations, new_context
from tests.reporting.overview_cast import LAST_NAME, build_overview_cast

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_the_coordinator_starts_on_the_overview_and_follows_a_figure_to_its_list(live_server, browser, monkeypatch):
    cast = build_overview_cast()
    context = new_context(browser, live_server, cast.kz_coordinator, "en")
    page = context.new_page()

    page.goto(f"{live_server.url}/workspace/")

    expect(page.get_by_role("heading", level=1)).to_have_text("Overview of Kazakhstan")
    overdue = page.get_by_role("table", name="Referrals overdue for an answer")
    expect(overdue.get_by_role("row", name="Bright Futures 6")).to_be_visible()
    expect(overdue.get_by_role("row", name="Steppe Legal Aid <5")).to_be_visible()
    pipeline = page.get_by_role("table", name="Referrals sent in each month, by their status now")
    expect(pipeline.get_by_role("row", name="Sent")).to_contain_text("9")
    for name in (
        "Listings awaiting approval",
        "Members awaiting approval",
        "Listings not verified in the last 12 months",
        "Services of organisations not verified in the last 12 months",
    ):
        expect(page.get_by_role("link", name=name)).to_be_visible()
    assert LAST_NAME not in page.content()
    assert blocking_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    overdue.get_by_role("link", name="6").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Referrals in Kazakhstan")
    expect(page.get_by_role("heading", name="6 referrals")).to_be_visible()
    expect(page.get_by_role("row", name="Bright Futures Literacy classes").first).to_be_visible()
    assert blocking_violations(page) == []

    page.go_back()
    page.get_by_role("link", name="Services of organisations not verified in the last 12 months").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Organisations in Kazakhstan")
    expect(page.get_by_role("columnheader", name="Listed services")).to_be_visible()
    steppe = page.get_by_role("row").filter(has_text="Steppe Legal Aid")
    expect(steppe.get_by_role("cell").last).to_have_text("2")
    assert blocking_violations(page) == []

    # A country with many organisations overdue: the page names those with the most, and says so.
    monkeypatch.setattr(overview_views, "OVERDUE_ORGANISATIONS_SHOWN", 1)
    page.goto(f"{live_server.url}/workspace/")
    expect(overdue.get_by_role("row")).to_have_count(2)  # the header and Bright Futures
    more = page.locator("[data-overdue-more]")
    expect(more).to_be_visible()
    expect(more).to_contain_text("Organisations shown: 1 of 2 (those with the most overdue referrals).")
    assert more.bounding_box()["y"] > overdue.bounding_box()["y"]
    more.get_by_role("link", name="All overdue referrals").click()
    expect(page.get_by_role("heading", name="8 referrals")).to_be_visible()
    context.close()
