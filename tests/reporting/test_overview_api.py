"""The coordinator's overview in the staff API: the same figures and lists as the pages, for the same users,
suppressed and audited the same way, and never a name or a client id."""

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from portal.foundation.models import AuditEvent
from tests.reporting.overview_cast import FIRST_NAMES, LAST_NAME, build_overview_cast
from tests.reporting.test_overview import grow, months
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_overview_cast, name="cast")

API = "/api/reporting/overview/KZ"
PAGE = "/reporting/overview/KZ/"


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def test_the_api_gives_the_figures_of_the_page(cast):
    http = signed_in(cast.kz_coordinator)
    page = http.get(PAGE).context

    answer = http.get(API)

    assert answer.status_code == 200
    body = answer.json()
    assert body["country"] == "KZ"
    assert body["overdue"] == [
        {"organisation_id": row["organisation"], "title": row["title"], "figure": row["figure"]}
        for row in page["overdue"]
    ]
    assert body["overdue"] == [
        {"organisation_id": cast.bright_futures.pk, "title": "Bright Futures", "figure": 6},
        {"organisation_id": cast.steppe.pk, "title": "Steppe Legal Aid", "figure": "<5"},
    ]
    assert body["constrained_regions"] == [
        {"region": "KZ-75", "open_needs": 7, "services_full": 1, "services_waitlist": 1}
    ]
    assert body["missed_check_ins"] == [{"probation_office": "Almaty probation office", "figure": "<5"}]
    assert body["listings_awaiting_approval"] == page["awaiting_approval"] == 1
    assert body["organisations_not_verified"] == page["unverified"] == 4
    assert body["services_not_verified"] == page["unverified_services"] == 2
    assert body["members_awaiting_approval"] == page["members_awaiting_approval"] == 1
    assert body["pipeline"]["months"] == months()
    assert {row["status"]: row["figures"] for row in body["pipeline"]["rows"]} == {
        row["status"]: [cell["figure"] for cell in row["cells"]] for row in page["pipeline"]["rows"]
    }
    assert "<5" in body["suppression"]


def published(value) -> list:
    """Every figure in an answer: the values of its `figure`, `figures` and `open_needs` keys."""
    if isinstance(value, list):
        return [figure for item in value for figure in published(item)]
    if not isinstance(value, dict):
        return []
    found = [value[key] for key in ("figure", "open_needs") if key in value]
    found += value.get("figures", [])
    return found + [figure for item in value.values() for figure in published(item)]


def test_the_api_never_gives_a_suppressed_count_away(cast):
    answer = signed_in(cast.kz_coordinator).get(API)

    figures = published(answer.json())
    assert "<5" in figures
    assert not [figure for figure in figures if isinstance(figure, int) and 0 < figure < 5]
    assert '"count"' not in answer.content.decode()


@pytest.mark.parametrize(
    "query",
    ["", "?status=sent", "?overdue=true", "?status=accepted&month={last_month}", "?organisation={steppe}&overdue=true"],
)
def test_the_referral_list_answers_what_the_page_lists(cast, query):
    http = signed_in(cast.kz_coordinator)
    query = query.format(last_month=months()[-2], steppe=cast.steppe.pk)
    page = http.get(f"{PAGE}referrals/" + query.replace("=true", "=on")).context

    body = http.get(f"{API}/referrals" + query).json()

    assert body["count"] == page["page_obj"].paginator.count
    assert [
        (
            item["id"],
            item["receiving_organisation"]["title"],
            item["service"]["title"],
            item["status"],
            item["days_overdue"],
        )
        for item in body["items"]
    ] == [
        (str(referral.pk), referral.receiving_organisation.title, referral.service.title, referral.status, days)
        for referral, days in page["rows"]
    ]
    assert [item["sent_on"] for item in body["items"]] == [
        str(timezone.localdate(referral.sent_at)) for referral, _days in page["rows"]
    ]
    assert body["count"] > 0


def test_the_referral_list_pages(cast):
    body = signed_in(cast.kz_coordinator).get(f"{API}/referrals?per_page=5&page=2").json()

    assert (body["count"], body["page"], body["per_page"], len(body["items"])) == (17, 2, 5, 5)


def test_the_referral_list_names_no_person_and_is_audited_like_the_page(cast):
    answer = signed_in(cast.kz_coordinator).get(f"{API}/referrals")
    text = answer.content.decode()

    assert LAST_NAME not in text
    assert "-TEST-" not in text
    assert "client" not in text
    assert not any(first_name in text for first_name in FIRST_NAMES)
    assert "Tigris" not in text
    event = AuditEvent.objects.get(actor=cast.kz_coordinator, action="referral.list")
    assert event.object_type == "referrals.referral"
    assert event.object_id == "country:KZ"
    assert sorted(event.detail["ids"]) == sorted(item["id"] for item in answer.json()["items"])


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?organisation={tigris}", "organisation"),
        ("?status=draft", "status"),
        ("?month=2026-13", "month"),
        ("?organisation=abc", "organisation"),
    ],
)
def test_the_referral_list_refuses_another_countrys_organisation_and_unknown_values_with_the_reason(cast, query, field):
    answer = signed_in(cast.kz_coordinator).get(f"{API}/referrals" + query.format(tigris=cast.tigris.pk))

    assert answer.status_code == 400
    assert field in answer.json()["errors"]


def test_the_organisation_list_answers_what_the_page_lists(cast):
    http = signed_in(cast.kz_coordinator)
    page = http.get(f"{PAGE}organisations/?unverified=on").context

    body = http.get(f"{API}/organisations?unverified=true").json()

    assert body["count"] == page["page_obj"].paginator.count == 4
    assert [
        (item["id"], item["title"], item["kind"], item["verified_on"], item["listed_services"])
        for item in body["items"]
    ] == [
        (
            organisation.pk,
            organisation.title,
            organisation.kind,
            organisation.verified_on and str(organisation.verified_on),
            organisation.listed_services,
        )
        for organisation in page["page_obj"].object_list
    ]
    assert [item["listed_services"] for item in body["items"] if item["title"] == "Steppe Legal Aid"] == [2]


def test_the_organisation_list_refuses_an_unknown_kind(cast):
    answer = signed_in(cast.kz_coordinator).get(f"{API}/organisations?kind=spaceship")

    assert answer.status_code == 400
    assert "kind" in answer.json()["errors"]


@pytest.mark.parametrize("path", ["", "/referrals", "/organisations"])
@pytest.mark.parametrize("who", ["social_worker", "caseworker", "outsider", "iq_coordinator"])
def test_anyone_but_the_countrys_coordinator_gets_404_audited(cast, path, who):
    user = getattr(cast, who)

    answer = signed_in(user).get(API + path)

    assert answer.status_code == 404
    assert AuditEvent.objects.filter(actor=user, action="access.denied", object_type="reporting.country").exists()


def test_an_unknown_country_is_404(cast):
    assert signed_in(cast.kz_coordinator).get("/api/reporting/overview/XX").status_code == 404


def test_the_anonymous_get_401(client, cast):
    assert client.get(API).status_code == 401


# The session and the user; the country check; then the overview's figures as on the page, or a list's
# count and page (and, for referrals, the audit row).
@pytest.mark.parametrize(("path", "queries"), [("", 12), ("/referrals", 6), ("/organisations", 5)])
def test_the_api_asks_the_same_number_of_queries_however_much_data(cast, django_assert_num_queries, path, queries):
    http = signed_in(cast.kz_coordinator)
    http.get(API + path)  # content types and the like, cached once per process

    with django_assert_num_queries(queries):
        http.get(API + path)
    grow(cast)
    with django_assert_num_queries(queries):
        assert http.get(API + path).status_code == 200
