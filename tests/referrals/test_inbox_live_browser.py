"""A referral sent to the caseworker's CSO appears in their open inbox list, and in its counts per status,
without a reload (Chromium, daphne)."""

from types import SimpleNamespace

import pytest
from playwright.sync_api import expect

from portal.foundation.roles import Role
from tests.aftercare.live_servers import serve_static_files
from tests.aftercare.notes_cast import session_cookie
from tests.factories import make_organisation, make_service
from tests.referrals.conftest import give_consent, make_user, new_client, sent_referral
from tests.threads import in_another_thread

# The server is another process: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

OPENING_MS = 15_000


def build_cast() -> SimpleNamespace:
    kz_prison = make_organisation("KZ", title="Almaty Correctional Colony", kind="prison")
    cso = make_organisation("KZ", title="Bright Futures")
    return SimpleNamespace(
        kz_prison=kz_prison,
        kz_probation=make_organisation("KZ", title="Almaty Probation Office", kind="probation"),
        service=make_service(cso, title="Literacy classes", categories=["education"]),
        social_worker=make_user("social-worker", kz_prison, Role.PRISON_SOCIAL_WORKER),
        caseworker=make_user("caseworker", cso, Role.CSO_CASEWORKER),
    )


def refer_new_client(cast: SimpleNamespace, first_name: str):
    client = new_client(cast, first_name=first_name)
    give_consent(cast, client)
    return sent_referral(cast, client)


def test_a_sent_referral_appears_in_the_open_inbox_and_its_counts_and_the_focus_stays(page, asgi_server):
    cast = in_another_thread(build_cast)
    first = in_another_thread(refer_new_client, cast, "Aigerim")
    page.context.add_cookies([{"name": "sessionid", "value": session_cookie(cast.caseworker), "url": asgi_server}])
    serve_static_files(page)
    page.goto(f"{asgi_server}/inbox/")
    expect(page.locator("[data-user-events]")).to_have_attribute("data-live-state", "open", timeout=OPENING_MS)
    page.evaluate("window.notReloaded = true")
    first_link = page.locator(f'.card-list a[href="/referrals/{first.pk}/"]')
    first_link.focus()
    sent_tag = page.locator(".status-counts .tag").filter(has_text="Sent:")
    expect(sent_tag).to_have_text("Sent: 1")

    second = in_another_thread(refer_new_client, cast, "Dana")

    second_row = page.locator(".card-list .card").filter(has_text=second.disclosed["reference"])
    expect(second_row).to_be_visible(timeout=OPENING_MS)
    expect(page.locator("#results-heading")).to_have_text("2 referrals")
    expect(sent_tag).to_have_text("Sent: 2")
    expect(sent_tag).to_be_visible()
    expect(page.locator("#results-heading")).to_have_attribute("aria-live", "polite")
    expect(first_link).to_be_focused()
    assert page.evaluate("window.notReloaded") is True
