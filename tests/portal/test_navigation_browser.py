"""What Chromium shows of the header's links and the cross-app link to the case notes."""

import pytest
from playwright.sync_api import expect

from aftercare.models import Alert, SupervisionCase
from tests.aftercare.notes_cast import build_team, session_cookie

# The browser talks to a live server in another thread: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def sign_in(page, base_url: str, user) -> None:
    page.context.add_cookies([{"name": "sessionid", "value": session_cookie(user), "url": base_url}])


def test_the_officer_sees_caseload_and_unread_alerts_and_the_prison_the_link_to_the_case_notes(live_server, page):
    team = build_team()
    case = SupervisionCase.objects.get(client=team.client)
    Alert.objects.create(user=team.officer, case=case, kind=Alert.Kind.MISSED_CHECK_IN)

    sign_in(page, live_server.url, team.officer)
    page.goto(f"{live_server.url}/accounts/password_reset/")
    nav = page.get_by_role("navigation", name="Main")
    for name in ("Workspace", "Notifications", "Caseload", "Alerts (1 unread)"):
        expect(nav.get_by_role("link", name=name, exact=True)).to_be_visible()

    page.context.clear_cookies()
    sign_in(page, live_server.url, team.social_worker)
    page.goto(f"{live_server.url}/clients/{team.client.pk}/")
    page.get_by_role("link", name="Case notes", exact=True).click()
    expect(page).to_have_url(f"{live_server.url}/clients/{team.client.pk}/case/")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Caseload")).to_have_count(0)
