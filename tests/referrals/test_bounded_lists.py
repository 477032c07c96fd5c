"""Staff lists count at most COUNT_CAP + 1 rows: past the cap they say "more than", and no page
view counts a whole table."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.foundation import listing
from tests.referrals.test_views_inbox import refer_people

pytestmark = pytest.mark.django_db


@pytest.fixture
def cap_of_two(monkeypatch):
    monkeypatch.setattr(listing, "COUNT_CAP", 2)


def counts(queries) -> list[str]:
    return [query["sql"] for query in queries if re.search(r"COUNT\(\*\)", query["sql"])]


@pytest.mark.parametrize(
    ("who", "url", "more"),
    [("caseworker_a", "/inbox/", "More than 2 referrals"), ("social_worker", "/clients/", "More than 2 clients")],
)
def test_a_list_longer_than_the_cap_says_more_than_and_counts_no_further(client, cast, cap_of_two, who, url, more):
    refer_people(cast, 3)
    client.force_login(getattr(cast, who))

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)

    assert more in response.content.decode()
    assert len(response.context["page_obj"].object_list) == 3
    assert counts(queries) and all("LIMIT 3" in sql for sql in counts(queries))


def test_a_list_within_the_cap_shows_its_count(client, cast, cap_of_two):
    refer_people(cast, 2)
    client.force_login(cast.caseworker_a)

    assert "2 referrals" in client.get("/inbox/").content.decode()


def test_the_api_lists_cap_their_count_and_say_so(client, cast, cap_of_two):
    refer_people(cast, 3)
    client.force_login(cast.social_worker)

    for url in ("/api/clients", "/api/referrals"):
        page = client.get(url).json()
        assert (page["count"], page["count_capped"], len(page["items"])) == (2, True, 3)
