"""The five end-to-end journeys of the portal in Chromium, as their users make them.

1. A visitor, in Arabic, filters the directory to family-support services for women in one
   governorate and opens a listing.
2. A prison social worker, in Russian, records a client with consent and needs, picks a suggested
   service and sends a referral.
3. The CSO caseworker sees it arrive in the inbox live, accepts it and writes a case note.
4. The probation officer, in Arabic, in a second browser context, has the client's case open and
   sees the note appear without reloading.
5. A CSO editor changes the listing; the coordinator approves it; the public page shows it.

All five journeys use the keyboard only (Tab, Shift+Tab, Enter, Space, arrow keys, typing into the
focused field), and every control that takes the focus on the way must show it: an outline or a
box shadow with a contrast of at least 3:1 against what surrounds the control (WCAG 2.2, 2.4.7 and
1.4.11). Each journey saves screenshots of its key steps (`journey_artefacts`).

One daphne process serves all five (journeys 3 and 4 need its WebSockets), on data built and
committed once for the module and flushed after it, as a transactional test's data is.
"""

import os
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from aftercare.actions import hand_over
from cso_directory.actions import add_membership
from cso_directory.models import Language, OrganisationPage, Region, ServicePage, SexServed
from portal.foundation.roles import Role
from referrals.models import Client, Referral
from tests import database_snapshot
from tests.aftercare.live_servers import serve_static_files
from tests.aftercare.notes_cast import make_user, session_cookie
from tests.cso_directory.admin_cast import publish_organisation, publish_service
from tests.factories import make_organisation, make_service, pathway
from tests.threads import in_another_thread

# The data is committed by the module's fixture (the server is another process); each test only reads.
pytestmark = pytest.mark.django_db

WAIT_MS = 15_000
MOST_PRESSES = 80
LEAST_FOCUS_CONTRAST = 3.0
ARTEFACTS_VARIABLE = "JOURNEY_ARTEFACTS_DIR"
CLIENT_FIRST_NAME = "Айгуль"
CLIENT_LAST_NAME = "Сейткали"
REFERRAL_NOTE = "Нужна помощь с жильём после освобождения."
CASE_NOTE = "Met Aigul at the housing office: a room from Monday."
NEW_DESCRIPTION = "Family mediation, now also on Saturdays."

# The focused element's state, computed in the page once its transitions have ended: whether it is
# `target`, what it is, and whether its focus indicator shows: an outline (or a box shadow) whose
# colour contrasts at least 3:1 with the background around the control (the nearest ancestor that
# paints one).
FOCUS_STATE = """async ([target, leastContrast]) => {
  const element = document.activeElement;
  const ending = element.getAnimations().filter((animation) => animation.effect.getComputedTiming().endTime < Infinity);
  await Promise.all(ending.map((animation) => animation.finished.catch(() => null)));
  const style = getComputedStyle(element);
  const colour = (text) => {
    const found = /rgba?\\(([^)]*)\\)/.exec(text || "");
    if (!found) return null;
    const [r, g, b, a = 1] = found[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return { r, g, b, a };
  };
  const luminance = ({ r, g, b }) => {
    const [R, G, B] = [r, g, b].map((value) => {
      const channel = value / 255;
      return channel <= 0.03928 ? channel / 12.92 : ((channel + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * R + 0.7152 * G + 0.0722 * B;
  };
  const contrast = (first, second) => {
    const [light, dark] = [luminance(first), luminance(second)].sort((x, y) => y - x);
    return (light + 0.05) / (dark + 0.05);
  };
  const surrounding = () => {
    for (let node = element.parentElement; node; node = node.parentElement) {
      const background = colour(getComputedStyle(node).backgroundColor);
      if (background && background.a > 0) return background;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const outlined = style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0;
  const ring = outlined ? colour(style.outlineColor) : style.boxShadow !== "none" ? colour(style.boxShadow) : null;
  const ratio = ring && ring.a > 0 ? contrast(ring, surrounding()) : 0;
  const box = element.getBoundingClientRect();
  return {
    reached: element === target,
    control: element.outerHTML.slice(0, 160),
    outline: `${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; shadow ${style.boxShadow}`,
    contrast: Math.round(ratio * 100) / 100,
    visible: element !== document.body && box.width > 0 && box.height > 0 && ratio >= leastContrast,
  };
}"""


@dataclass
class Cast:
    social_worker: User
    caseworker: User
    officer: User
    editor: User
    coordinator: User
    probation: OrganisationPage
    cso: OrganisationPage
    housing: ServicePage
    women_in_baghdad: ServicePage
    listing: ServicePage
    sessions: dict[str, str]


def build_iraqi_directory() -> ServicePage:
    """Four services of one Iraqi CSO, of which one is family support for women in Baghdad."""
    centre = make_organisation("IQ", title="Baghdad Family Centre", regions=["IQ-BG", "IQ-BA"])
    women_in_baghdad = make_service(
        centre,
        title="Women's family mediation",
        categories=["family-support"],
        regions=["IQ-BG"],
        sex_served=SexServed.FEMALE,
    )
    make_service(centre, title="Fathers' family mediation", categories=["family-support"], sex_served=SexServed.MALE)
    make_service(centre, title="Basra mothers' circle", categories=["family-support"], regions=["IQ-BA"])
    make_service(centre, title="Women's legal desk", categories=["legal-aid"], sex_served=SexServed.FEMALE)
    return women_in_baghdad


def build_cast() -> Cast:
    prison = make_organisation("KZ", title="Karaganda Colony", kind="prison")
    probation = make_organisation("KZ", title="Karaganda Probation Office", kind="probation")
    cso = publish_organisation("KZ", "Bright Futures")
    coordination = publish_organisation("KZ", "Kazakhstan coordination office")
    users = {
        "social_worker": make_user("social-worker", prison, Role.PRISON_SOCIAL_WORKER),
        "caseworker": make_user("caseworker", cso, Role.CSO_CASEWORKER),
        "officer": make_user("probation-officer", probation, Role.PROBATION_OFFICER),
        "editor": make_user("cso-editor"),
        "coordinator": make_user("coordinator"),
    }
    add_membership(users["editor"], cso, Role.CSO_EDITOR)
    add_membership(users["coordinator"], coordination, Role.NATIONAL_COORDINATOR)
    return Cast(
        **users,
        probation=probation,
        cso=cso,
        housing=make_service(cso, title="Housing advice", categories=["housing"], regions=["KZ-35"]),
        women_in_baghdad=build_iraqi_directory(),
        listing=publish_service(cso, "Family mediation"),
        sessions={name: session_cookie(user) for name, user in users.items()},
    )


@pytest.fixture(scope="module")
def cast(django_db_setup, django_db_blocker):
    """Built and committed once for the module; flushed after it, as a transactional test's data is."""
    try:
        with django_db_blocker.unblock():
            built = in_another_thread(build_cast)
        yield built
    finally:
        with django_db_blocker.unblock():
            in_another_thread(database_snapshot.reset)


@pytest.fixture(scope="module")
def server(cast, asgi_server):
    return asgi_server


@pytest.fixture(scope="module")
def journey_artefacts() -> Path:
    """Where the journeys' screenshots go: $JOURNEY_ARTEFACTS_DIR, or var/test-artefacts/journeys/."""
    folder = Path(os.environ.get(ARTEFACTS_VARIABLE) or settings.BASE_DIR / "var" / "test-artefacts" / "journeys")
    folder.mkdir(parents=True, exist_ok=True)
    return folder


class Journey:
    """One user's browser context on the server, driven with the keyboard, saving screenshots."""

    def __init__(self, browser, server: str, artefacts: Path, name: str, language: str, session: str = ""):
        self.server = server
        self.artefacts = artefacts
        self.name = name
        self.context = browser.new_context()
        cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server}]
        if session:
            cookies.append({"name": settings.SESSION_COOKIE_NAME, "value": session, "url": server})
        self.context.add_cookies(cookies)
        self.page: Page = self.context.new_page()
        serve_static_files(self.page)
        self.shots = 0

    def open(self, path: str) -> None:
        self.page.goto(f"{self.server}{path}")

    def screenshot(self, step: str) -> None:
        self.shots += 1
        self.page.screenshot(path=self.artefacts / f"{self.name}-{self.shots:02d}-{step}.png", full_page=True)

    def tab_to(self, target: Locator, move: str = "Tab") -> None:
        """Press Tab (or `move`, e.g. Shift+Tab from the end of a long form) until `target` has the
        focus, checking that each control it passes shows it."""
        handle = target.element_handle()
        for _press in range(MOST_PRESSES):
            self.page.keyboard.press(move)
            state = self.page.evaluate(FOCUS_STATE, [handle, LEAST_FOCUS_CONTRAST])
            assert state["visible"], f"The focus does not show on {state}"
            if state["reached"]:
                return
        raise AssertionError(f"{MOST_PRESSES} presses of {move} never reached {target}")

    def press_on(self, target: Locator, key: str = "Enter", move: str = "Tab") -> None:
        self.tab_to(target, move)
        self.page.keyboard.press(key)

    def type_into(self, target: Locator, text: str) -> None:
        self.tab_to(target)
        self.page.keyboard.type(text)

    def choose(self, select: Locator, value: str) -> None:
        """Pick an option of a closed <select> with the arrow keys."""
        self.tab_to(select)
        wanted = select.evaluate("(select, value) => [...select.options].findIndex(o => o.value === value)", value)
        assert wanted >= 0, f"no option {value} in {select}"
        current = select.evaluate("select => select.selectedIndex")
        key = "ArrowDown" if wanted > current else "ArrowUp"
        for _step in range(abs(wanted - current)):
            self.page.keyboard.press(key)
        expect(select).to_have_value(value)

    def close(self) -> None:
        self.context.close()


@pytest.fixture
def start_journey(browser, server, cast, journey_artefacts):
    """`start_journey(name, language, as_user)`: a new browser context (signed in as the cast's
    `as_user`, or a visitor), closed after the test however it ends."""
    started: list[Journey] = []

    def start(name: str, language: str, as_user: str = "") -> Journey:
        session = cast.sessions[as_user] if as_user else ""
        started.append(Journey(browser, server, journey_artefacts, name, language, session))
        return started[-1]

    yield start
    for journey in started:
        journey.close()


def link_to(page: Page, path: str) -> Locator:
    return page.locator(f'main a[href="{path}"]').first


def test_a_visitor_in_arabic_filters_the_directory_and_opens_a_listing(start_journey, cast):
    visitor = start_journey("1-visitor", "ar")
    page = visitor.page
    visitor.open("/directory/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")

    visitor.choose(page.locator("#id_category"), "family-support")
    visitor.choose(page.locator("#id_region"), "IQ-BG")
    visitor.choose(page.locator("#id_sex"), SexServed.FEMALE)
    visitor.screenshot("filters")
    visitor.press_on(page.locator(".filters button[type=submit]"))

    listing = page.locator(".card-title a")
    expect(listing).to_have_text([cast.women_in_baghdad.title])
    visitor.screenshot("results")
    visitor.press_on(listing)
    expect(page.locator("h1")).to_have_text(cast.women_in_baghdad.title)
    visitor.screenshot("listing")


def record_client(worker: Journey, cast: Cast) -> Client:
    page = worker.page
    worker.open("/clients/")
    worker.press_on(link_to(page, "/clients/new/"))
    expect(page.locator("#id_first_name")).to_be_visible()
    worker.type_into(page.locator("#id_first_name"), CLIENT_FIRST_NAME)
    worker.type_into(page.locator("#id_last_name"), CLIENT_LAST_NAME)
    worker.choose(page.locator("#id_sex"), "female")
    worker.type_into(page.locator("#id_birth_date"), "05141990")
    worker.choose(page.locator("#id_region_of_return"), str(Region.objects.get(code="KZ-35").pk))
    russian = page.locator(f"input[name=languages][value='{Language.objects.get(code='ru').pk}']")
    worker.press_on(russian, " ")
    expect(russian).to_be_checked()
    worker.screenshot("new-client")
    worker.press_on(page.locator("main form button[type=submit]"))
    expect(page.locator("#consent")).to_be_visible()
    return Client.objects.get(first_name=CLIENT_FIRST_NAME, last_name=CLIENT_LAST_NAME)


def record_consent_and_need(worker: Journey) -> None:
    page = worker.page
    worker.press_on(page.locator("#consent summary"))
    worker.press_on(page.locator("#id_consent_share_needs_details"), " ")
    worker.type_into(page.locator("#id_consent_given_on"), "11202026")
    worker.choose(page.locator("#id_consent_method"), "signed_form")
    worker.screenshot("consent")
    worker.press_on(page.locator("#consent form button[type=submit]"))
    expect(page.locator("#consent .status-accepted")).to_be_visible()

    worker.press_on(page.locator("#needs summary"))
    worker.choose(page.locator("#id_need_category"), str(pathway("housing").pk))
    worker.choose(page.locator("#id_need_priority"), "high")
    worker.type_into(page.locator("#id_need_details"), "Нет жилья после освобождения.")
    worker.press_on(page.locator("#needs form button[type=submit]"))
    expect(page.locator("#needs .priority-high")).to_be_visible()


def send_referral_to_suggestion(worker: Journey, cast: Cast, client: Client) -> Referral:
    page = worker.page
    suggestion = page.locator("#suggestions .card").filter(has_text=cast.housing.title)
    expect(suggestion).to_be_visible()
    worker.screenshot("suggestions")
    worker.press_on(suggestion.locator(f'a[href*="service={cast.housing.pk}"]'))
    expect(page.locator("#id_note")).to_be_visible()
    worker.type_into(page.locator("#id_note"), REFERRAL_NOTE)
    worker.screenshot("referral")
    worker.press_on(page.locator("main form[method=post] button.button-primary"))
    expect(page.locator(".page-header .status")).to_have_class(re.compile(r"\bstatus-sent\b"), timeout=WAIT_MS)
    worker.screenshot("sent")
    return Referral.objects.get(client=client, service=cast.housing)


def accept_and_write_note(caseworker: Journey, referral: Referral) -> None:
    page = caseworker.page
    notice = page.locator('[data-live-notice="referral"]')
    expect(notice).to_be_visible(timeout=WAIT_MS)
    new_row = page.locator(f'.card-list .card a[href="/referrals/{referral.pk}/"]')
    expect(new_row).to_be_visible(timeout=WAIT_MS)
    assert page.evaluate("window.notReloaded") is True
    caseworker.screenshot("inbox-live")
    caseworker.press_on(notice.get_by_role("link"))
    caseworker.press_on(link_to(page, f"/referrals/{referral.pk}/"))
    accept = page.locator(f'form[action="/referrals/{referral.pk}/accept/"]')
    caseworker.press_on(page.locator("details.action").filter(has=accept).locator("summary"))
    caseworker.press_on(accept.locator("button[type=submit]"))
    expect(page.locator(".page-header .status")).to_have_class(re.compile(r"\bstatus-accepted\b"))
    caseworker.screenshot("accepted")
    caseworker.press_on(link_to(page, f"/clients/{referral.client_id}/case/"))
    expect(page.locator("[data-case-notes]")).to_have_attribute("data-live-state", "open", timeout=WAIT_MS)
    caseworker.type_into(page.locator("#note-form textarea"), CASE_NOTE)
    caseworker.press_on(page.locator("#note-form button[type=submit]"))
    expect(page.locator("[data-notes-list]")).to_contain_text(CASE_NOTE)
    caseworker.screenshot("note")


def open_case_live(officer: Journey, client: Client) -> None:
    page = officer.page
    officer.open("/caseload/")
    officer.press_on(page.locator(".card-title a").filter(has_text=client.reference))
    expect(page.locator("[data-case-notes]")).to_have_attribute("data-live-state", "open", timeout=WAIT_MS)
    page.evaluate("window.notReloaded = true")
    officer.screenshot("case-open")


def test_a_referral_goes_from_the_prison_to_the_cso_and_its_note_reaches_probation_live(start_journey, cast):
    worker = start_journey("2-social-worker", "ru", "social_worker")
    caseworker = start_journey("3-caseworker", "en", "caseworker")
    officer = start_journey("4-probation-officer", "ar", "officer")
    caseworker.open("/inbox/")
    expect(caseworker.page.locator("[data-user-events]")).to_have_attribute("data-live-state", "open", timeout=WAIT_MS)
    caseworker.page.evaluate("window.notReloaded = true")

    client = record_client(worker, cast)
    record_consent_and_need(worker)
    referral = send_referral_to_suggestion(worker, cast, client)
    assert referral.note == REFERRAL_NOTE

    in_another_thread(
        hand_over, cast.social_worker, client, probation_office=cast.probation, release_date=timezone.localdate()
    )
    open_case_live(officer, client)
    accept_and_write_note(caseworker, referral)

    expect(officer.page.locator("[data-notes-list]")).to_contain_text(CASE_NOTE, timeout=WAIT_MS)
    assert officer.page.evaluate("window.notReloaded") is True
    officer.screenshot("note-arrived")


def submit_for_moderation(editor: Journey, cso: OrganisationPage, listing: ServicePage) -> None:
    page = editor.page
    editor.open(f"/admin/pages/{cso.pk}/")
    editor.press_on(page.locator(f'a[href="/admin/pages/{listing.pk}/edit/"]').first)
    description = page.locator("#id_description")
    editor.tab_to(description)
    page.keyboard.press("ControlOrMeta+A")
    page.keyboard.type(NEW_DESCRIPTION)
    expect(description).to_have_value(NEW_DESCRIPTION)
    editor.screenshot("edited")
    editor.press_on(page.locator("footer [data-w-dropdown-target=toggle]").first)
    editor.press_on(page.locator('button[name="action-submit"]'))
    expect(page.locator(".messages")).to_contain_text("submitted for moderation", timeout=WAIT_MS)
    editor.screenshot("submitted")


def approve_and_publish(coordinator: Journey, cso: OrganisationPage, listing: ServicePage) -> None:
    page = coordinator.page
    coordinator.open(f"/admin/pages/{cso.pk}/")
    coordinator.press_on(page.locator(f'a[href="/admin/pages/{listing.pk}/edit/"]').first)
    coordinator.screenshot("review")
    # The footer's actions close the form: Shift+Tab from the top of the page reaches them first.
    coordinator.press_on(page.locator("footer [data-w-dropdown-target=toggle]").first, move="Shift+Tab")
    coordinator.press_on(page.get_by_role("button", name="Approve and Publish", exact=True))
    expect(page.locator(".messages")).to_contain_text("has been updated", timeout=WAIT_MS)
    coordinator.screenshot("approved")


def test_an_editors_change_goes_live_once_the_coordinator_approves_it(start_journey, cast):
    submit_for_moderation(start_journey("5-editor", "en", "editor"), cast.cso, cast.listing)

    visitor = start_journey("5-visitor", "en")
    visitor.open(cast.listing.url)
    expect(visitor.page.locator("main")).to_contain_text(cast.listing.description)
    expect(visitor.page.locator("main")).not_to_contain_text(NEW_DESCRIPTION)

    approve_and_publish(start_journey("5-coordinator", "en", "coordinator"), cast.cso, cast.listing)

    visitor.open(cast.listing.url)
    expect(visitor.page.locator("main")).to_contain_text(NEW_DESCRIPTION)
    visitor.screenshot("public")
