"""Cross-app navigation: a referrals page links to the client's case notes without naming aftercare.

The wiring registers the links; the referrals templates ask for "the client's links" only.
"""

import re

import pytest

from tests.aftercare.notes_cast import build_team, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    return build_team()


def case_notes_links(html: str, client) -> list[str]:
    return re.findall(rf'<a href="/clients/{client.pk}/case/">([^<]+)</a>', html)


def test_the_client_page_links_to_the_case_notes(team):
    html = signed_in(team.social_worker).get(f"/clients/{team.client.pk}/").content.decode()

    assert case_notes_links(html, team.client) == ["Case notes"]


def test_a_referral_that_joins_the_case_team_links_its_caseworker_to_the_case_notes(team):
    html = signed_in(team.caseworker).get(f"/referrals/{team.referral.pk}/").content.decode()

    assert case_notes_links(html, team.client) == ["Case notes"]
