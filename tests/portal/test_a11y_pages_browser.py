"""What Chromium shows on every main page, in English and in Arabic, on a 360 × 740 phone screen:
axe-core finds no serious or critical violation, nothing scrolls sideways, and every button and
every link used as a control is at least 24 × 24 CSS px (WCAG 2.2, 2.5.8 Target Size Minimum).

One page load per page and language: the cast is built once per language, and each user keeps one
browser context for all their pages."""

import datetime
from dataclasses import dataclass, field

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client as HttpClient
from playwright.sync_api import expect

from referrals.actions import create_referral, record_consent, send_referral, set_need
from referrals.models import Priority
from tests.aftercare.supervision_cast import build_cast, new_client, open_case
from tests.factories import make_service, pathway

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

AXE = Axe()
BLOCKING_IMPACTS = {"serious", "critical"}
PHONE = {"width": 360, "height": 740}
MINIMUM_TARGET = 24
# Buttons, and links styled or placed as controls (navigation, toolbars, pagination); a link inside
# a sentence is exempt from the target size.
DIRECTORY_WITH_RESULTS = "/directory/?q=Literacy"
CONTROLS = "button, input[type=submit], input[type=button], [role=button], .link-button, nav a"


@dataclass
class Findings:
    problems: dict[str, list] = field(default_factory=dict)

    def add(self, url: str, kind: str, found: list) -> None:
        if found:
            self.problems[f"{url} {kind}"] = found


def pages_by_user() -> dict[User | None, list[str]]:
    """Each user (None: a visitor) with the main pages they use, built on one committed cast."""
    cast = build_cast()
    case = open_case(cast, officer=cast.officer)
    client = new_client(cast, first_name="Madina")
    record_consent(
        cast.social_worker,
        client,
        given_on=datetime.date(2026, 1, 5),
        method="signed_form",
        organisation_kinds=["cso"],
        share_contact_route=True,
    )
    need = set_need(cast.social_worker, client, category=pathway("education"), priority=Priority.HIGH)
    referral = send_referral(
        cast.social_worker, create_referral(cast.social_worker, client, cast.service, need=need, note="Wants to read.")
    )
    other_service = make_service(cast.cso, title="Reading club")
    return {
        None: [
            "/",
            DIRECTORY_WITH_RESULTS,
            cast.service.url,
            cast.cso.url,
            "/accounts/login/",
        ],
        cast.social_worker: [
            "/clients/",
            f"/clients/{client.pk}/",
            f"/clients/{client.pk}/refer/?service={other_service.pk}",
            f"/referrals/{referral.pk}/",
            "/notifications/",
            "/accounts/tokens/",
            "/accounts/security/",
        ],
        cast.caseworker: ["/inbox/", f"/referrals/{referral.pk}/"],
        cast.officer: ["/caseload/", f"/cases/{case.pk}/", f"/clients/{case.client.pk}/case/"],
        cast.supervisor: [f"/clients/{case.client.pk}/access-log/"],
    }


def new_context(browser, live_server, user, language: str):
    context = browser.new_context(viewport=PHONE)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
    if user is not None:
        http = HttpClient()
        http.force_login(user)
        session = http.cookies[settings.SESSION_COOKIE_NAME].value
        cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": live_server.url})
    context.add_cookies(cookies)
    return context


def blocking_violations(page) -> list[tuple[str, str, list]]:
    violations = AXE.run(page).response["violations"]
    return [
        (violation["id"], violation["impact"], [node["target"] for node in violation["nodes"]])
        for violation in violations
        if violation["impact"] in BLOCKING_IMPACTS
    ]


def small_targets(page) -> list[tuple[str, float, float]]:
    """Visible controls smaller than 24 × 24 CSS px, as (text, width, height)."""
    return page.locator(CONTROLS).evaluate_all(
        """(controls, minimum) => controls
            .map(control => [control, control.getBoundingClientRect()])
            .filter(([control, box]) => box.width > 0 && box.height > 0
                && getComputedStyle(control).visibility !== "hidden")
            .filter(([control, box]) => box.width < minimum || box.height < minimum)
            .map(([control, box]) => [control.outerHTML.slice(0, 120), box.width, box.height])""",
        MINIMUM_TARGET,
    )


def check(page, url: str, language: str, findings: Findings) -> None:
    response = page.goto(url)
    assert response is not None
    assert response.status == 200, (url, response.status)
    assert page.locator("html").get_attribute("lang") == language, url
    if url.endswith(DIRECTORY_WITH_RESULTS):
        expect(page.get_by_role("link", name="Literacy classes")).to_be_visible()
    findings.add(url, "axe", blocking_violations(page))
    width = page.evaluate("document.documentElement.scrollWidth")
    findings.add(url, "scroll width", [width] if width > PHONE["width"] else [])
    findings.add(url, "small targets", small_targets(page))


@pytest.mark.parametrize("language", ["en", "ar"])
def test_the_main_pages_are_accessible_on_a_phone(live_server, browser, language):
    findings = Findings()
    for user, urls in pages_by_user().items():
        context = new_context(browser, live_server, user, language)
        page = context.new_page()
        for url in urls:
            check(page, f"{live_server.url}{url}", language, findings)
        context.close()

    assert findings.problems == {}, "\n".join(f"{where}: {found}" for where, found in findings.problems.items())
