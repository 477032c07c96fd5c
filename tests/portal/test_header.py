"""The header's links for the signed-in user: worked out once per request, in as few queries as possible."""

import re

import pytest

from aftercare.models import Alert, SupervisionCase
from tests.aftercare.notes_cast import build_team, signed_in

pytestmark = pytest.mark.django_db

# A page whose view reads nothing: what it costs is the session, the user and the header.
QUIET_PAGE = "/accounts/password_reset/"


@pytest.fixture
def team():
    return build_team()


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, flags=re.DOTALL)
    assert nav
    return [" ".join(text.split()) for text in re.findall(r"<a [^>]*>([^<]+)</a>", nav.group(1))]


def test_a_probation_officer_sees_the_workspace_caseload_and_unread_alerts(team):
    case = SupervisionCase.objects.get(client=team.client)
    Alert.objects.create(user=team.officer, case=case, kind=Alert.Kind.MISSED_CHECK_IN)

    html = signed_in(team.officer).get(QUIET_PAGE).content.decode()

    assert nav_links(html) == [
        "Directory",
        "Workspace",
        "Notifications",
        "Caseload",
        "Alerts (1 unread)",
        "API tokens",
    ]


def test_a_caseworker_sees_the_workspace_and_their_organisations_reports_but_no_probation_links(team):
    html = signed_in(team.caseworker).get(QUIET_PAGE).content.decode()

    assert nav_links(html) == ["Directory", "Workspace", "Notifications", "Reports", "API tokens"]


def test_a_user_without_a_role_sees_the_directory_only(team):
    html = signed_in(team.outsider).get(QUIET_PAGE).content.decode()

    assert nav_links(html) == ["Directory"]


def test_the_header_costs_one_query_for_the_roles_and_one_for_the_alerts(team, django_assert_num_queries):
    http = signed_in(team.officer)

    # The session and the user; then the header: the user's roles, their unread alerts, and their
    # permissions and groups' permissions (may they open the admin?).
    with django_assert_num_queries(6):
        response = http.get(QUIET_PAGE)

    assert response.status_code == 200
