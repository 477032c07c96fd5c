"""What Chromium shows of the header's "Reports" link: there, in the main navigation, for the national
coordinator, a CSO member and the international viewer; absent for a prison social worker; in English
and in Arabic (right to left)."""

import pytest
from playwright.sync_api import expect

from tests.reporting.reporting_cast import build_cast
from tests.reporting.test_dashboards_browser import signed_in_page

pytestmark = pytest.mark.django_db(transaction=True)

QUIET_PAGE = "/accounts/password_reset/"
REPORTS = {"en": "Reports", "ar": "التقارير"}


def test_the_reports_link_is_in_the_header_of_those_who_read_reports_only(live_server, browser):
    cast = build_cast()
    readers = {"coordinator": cast.coordinator, "caseworker": cast.caseworker, "viewer": cast.viewer}
    for language, label in REPORTS.items():
        for role, user in [*readers.items(), ("social_worker", cast.social_worker)]:
            page = signed_in_page(browser, live_server, user, language)
            page.goto(f"{live_server.url}{QUIET_PAGE}")
            navigation = page.locator("header.site-header nav").first
            expect(navigation).to_be_visible()
            link = navigation.get_by_role("link", name=label, exact=True)
            if role in readers:
                expect(link).to_be_visible()
                expect(link).to_have_attribute("href", "/reporting/dashboards/")
                box = link.bounding_box()
                assert box and box["width"] > 0 and box["height"] > 0, (language, role)
            else:
                expect(link).to_have_count(0)
                expect(navigation.get_by_role("link").first).to_be_visible()  # the header is there, without it
            page.context.close()
