"""The national coordinator's start page: the figures of their country against a small seeded one, in a
fixed number of queries; the lists behind the figures; and nobody else sees any of it."""

import datetime
import html as html_text
import re

import pytest
from django.test import Client as HttpClient
from django.utils import timezone

from aftercare.models import CheckIn, CheckInStatus, SupervisionCase
from cso_directory.models import Region
from portal.foundation.models import AuditEvent
from referrals.models import Need, ReferralStatus
from reporting.overview import start_of, trend_months
from tests.factories import pathway
from tests.reporting.overview_cast import FIRST_NAMES, LAST_NAME, build_overview_cast, new_client, referral
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_overview_cast, name="cast")

OVERVIEW = "/reporting/overview/KZ/"
REFERRALS = "/reporting/overview/KZ/referrals/"
ORGANISATIONS = "/reporting/overview/KZ/organisations/"


def signed_in(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def months() -> list[str]:
    return [month.strftime("%Y-%m") for month in trend_months(timezone.localdate())]


def pipeline_figures(context) -> dict[str, list[int | str]]:
    return {row["status"]: [cell["figure"] for cell in row["cells"]] for row in context["pipeline"]["rows"]}


def table_rows(html: str) -> list[list[str]]:
    """The text of each cell of each body row of the page's tables."""
    rows = re.findall(r"<tr>(.*?)</tr>", html, flags=re.DOTALL)
    cells = [re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, flags=re.DOTALL) for row in rows]
    return [[html_text.unescape(" ".join(re.sub(r"<[^>]+>", "", cell).split())) for cell in row] for row in cells]


def test_the_overview_counts_what_needs_action_in_the_country(cast):
    context = signed_in(cast.kz_coordinator).get(OVERVIEW).context

    assert [(row["title"], row["count"], row["figure"]) for row in context["overdue"]] == [
        ("Bright Futures", 6, 6),
        ("Steppe Legal Aid", 2, "<5"),
    ]
    assert [
        (row["region"].code, row["needs"], row["full"], row["waitlist"]) for row in context["constrained_regions"]
    ] == [("KZ-75", 7, 1, 1)]
    assert [(row["title"], row["figure"]) for row in context["missed_check_ins"]] == [("Almaty probation office", "<5")]
    assert context["missed_check_ins"][0]["count"] == 2
    assert context["awaiting_approval"] == 1
    # Not verified in 12 months: the coordination office, prison and probation office (never), Steppe (400 days ago).
    assert context["unverified"] == 4
    # Their services: Steppe's legal advice and shelter (verification is recorded on the organisation).
    assert context["unverified_services"] == 2
    assert context["members_awaiting_approval"] == 1


def test_the_pipeline_counts_sent_referrals_per_month_by_status_now(cast):
    context = signed_in(cast.kz_coordinator).get(OVERVIEW).context

    figures = pipeline_figures(context)
    assert [month.strftime("%Y-%m") for month in context["pipeline"]["months"]] == months()
    assert "draft" not in figures
    assert figures["sent"] == [0, 0, 0, 0, 0, 9]
    assert figures["accepted"] == [0, 0, 0, 0, 5, 0]
    assert figures["declined"] == [0, 0, 0, 0, "<5", 0]
    # The referral completed seven months ago is outside the trend.
    assert figures["completed"] == [0, 0, 0, "<5", 0, 0]
    assert figures["expired"] == [0] * 6


def test_the_page_shows_the_figures_with_links_to_the_lists_behind_them(cast):
    html = signed_in(cast.kz_coordinator).get(OVERVIEW).content.decode()

    rows = table_rows(html)
    assert ["Bright Futures", "6"] in rows
    assert ["Steppe Legal Aid", "<5"] in rows
    assert ["Almaty (city)", "7", "1", "1"] in rows
    assert ["Almaty probation office", "<5"] in rows
    assert ["Sent", "0", "0", "0", "0", "0", "9"] in rows
    assert f'href="{REFERRALS}?organisation={cast.bright_futures.pk}&amp;overdue=on">6</a>' in html
    assert f'href="{REFERRALS}?status=accepted&amp;month={months()[-2]}">5</a>' in html
    assert f'href="{ORGANISATIONS}?unverified=on"' in html
    assert 'href="/admin/reports/workflow/"' in html
    assert 'href="/admin/members/"' in html


def test_the_overview_shows_no_person_and_nothing_of_another_country(cast):
    html = signed_in(cast.kz_coordinator).get(OVERVIEW).content.decode()

    assert LAST_NAME not in html
    assert "-TEST-" not in html
    for first_name in FIRST_NAMES:
        assert not re.search(rf"\b{first_name}\b", html), first_name
    assert "Tigris" not in html


@pytest.mark.parametrize(
    "url", [OVERVIEW, REFERRALS, ORGANISATIONS, "/reporting/overview/IQ/", "/reporting/overview/IQ/referrals/"]
)
@pytest.mark.parametrize("who", ["social_worker", "caseworker", "outsider"])
def test_anyone_but_the_countrys_coordinator_gets_404(cast, url, who):
    if url.startswith("/reporting/overview/IQ/"):
        who = "kz_coordinator"
    user = getattr(cast, who)

    response = signed_in(user).get(url)

    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=user, action="access.denied", object_type="reporting.country").exists()


def test_the_start_page_of_someone_who_coordinates_no_country_is_404(cast):
    assert signed_in(cast.caseworker).get("/reporting/overview/").status_code == 404


def test_an_unknown_country_is_404(cast):
    assert signed_in(cast.kz_coordinator).get("/reporting/overview/XX/").status_code == 404


def test_the_iraqi_coordinator_sees_iraq_only(cast):
    http = signed_in(cast.iq_coordinator)

    context = http.get("/reporting/overview/IQ/").context

    assert [row["title"] for row in context["overdue"]] == ["Tigris Aid"]
    assert context["members_awaiting_approval"] == 1
    assert http.get(OVERVIEW).status_code == 404


def test_signed_out_visitors_are_sent_to_sign_in(client, cast):
    response = client.get(OVERVIEW)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# The lists behind the figures ------------------------------------------------------------------


def listed(http, url: str) -> list[list[str]]:
    response = http.get(url)
    assert response.status_code == 200
    return table_rows(response.content.decode())[1:]


def test_the_overdue_referrals_of_an_organisation_list_organisation_service_sent_date_days_overdue_and_status(cast):
    rows = listed(signed_in(cast.kz_coordinator), f"{REFERRALS}?organisation={cast.steppe.pk}&overdue=on")

    sent_on = timezone.localtime(start_of(trend_months(timezone.localdate())[-1])).strftime("%b. %-d, %Y")
    assert rows == [["Steppe Legal Aid", "Legal advice", sent_on.replace("May.", "May"), "3", "Sent"]] * 2


@pytest.mark.parametrize(
    ("query", "count"),
    [
        ("", 17),
        ("?status=sent", 9),
        ("?overdue=on", 8),
        ("?status=accepted&month={last_month}", 5),
        ("?status=completed&month={two_months_ago}", 1),
        ("?month={this_month}", 9),
    ],
)
def test_the_referral_list_filters_by_status_organisation_month_and_overdue(cast, query, count):
    this_month, last_month, two_months_ago = months()[-1:-4:-1]
    query = query.format(this_month=this_month, last_month=last_month, two_months_ago=two_months_ago)

    response = signed_in(cast.kz_coordinator).get(REFERRALS + query)

    assert response.context["page_obj"].paginator.count == count


def test_the_referral_list_shows_no_person_and_is_audited(cast):
    response = signed_in(cast.kz_coordinator).get(REFERRALS)
    html = response.content.decode()

    assert LAST_NAME not in html
    assert "-TEST-" not in html
    assert "Tigris" not in html
    event = AuditEvent.objects.get(actor=cast.kz_coordinator, action="referral.list")
    assert event.object_id == "country:KZ"
    assert sorted(event.detail["ids"]) == sorted(str(referral.pk) for referral in response.context["page_obj"])


@pytest.mark.parametrize(
    "query", ["?organisation={tigris}", "?status=draft", "?status=nonsense", "?month=2026-13", "?organisation=abc"]
)
def test_the_referral_list_refuses_another_countrys_organisation_and_unknown_values(cast, query):
    response = signed_in(cast.kz_coordinator).get(REFERRALS + query.format(tigris=cast.tigris.pk))

    assert response.status_code == 404


def test_the_organisation_list_shows_those_not_verified_in_twelve_months(cast):
    rows = listed(signed_in(cast.kz_coordinator), f"{ORGANISATIONS}?unverified=on")

    assert [row[0] for row in rows] == [
        "Almaty probation office",
        "Almaty women's colony",
        "National coordination office",
        "Steppe Legal Aid",
    ]


def test_the_unverified_services_figure_links_to_the_organisations_listing_them(cast):
    http = signed_in(cast.kz_coordinator)
    html = http.get(OVERVIEW).content.decode()
    listed_rows = listed(http, f"{ORGANISATIONS}?unverified=on")

    assert re.search(
        rf'"overview-number">2</span>\s*<a href="{ORGANISATIONS}\?unverified=on">'
        "Services of organisations not verified in the last 12 months</a>",
        html,
    )
    # Each organisation with its listed services: the two of Steppe are the figure's two.
    assert [(row[0], row[3]) for row in listed_rows if row[3] != "0"] == [("Steppe Legal Aid", "2")]


def test_the_organisation_list_refuses_an_unknown_kind(cast):
    assert signed_in(cast.kz_coordinator).get(f"{ORGANISATIONS}?kind=spaceship").status_code == 404


# Queries ---------------------------------------------------------------------------------------


def grow(cast) -> None:
    """More of everything the overview counts: referrals in other months, needs, missed check-ins."""
    today = timezone.localdate()
    for number in range(20, 30):
        client = new_client(cast.prison, cast.social_worker, number, "KZ-75")
        Need.objects.create(client=client, category=pathway("housing"))
        month = start_of(trend_months(today)[number % 6])
        referral(client, cast.legal_aid, cast.social_worker, ReferralStatus.SENT, month, response_due=today)
        referral(client, cast.literacy, cast.social_worker, ReferralStatus.EXPIRED, month)
        case = SupervisionCase.objects.create(
            client=client, probation_office=cast.prison, opened_on=today, handed_over_by=cast.social_worker
        )
        CheckIn.objects.create(case=case, due_on=today, status=CheckInStatus.MISSED)
    assert Region.objects.filter(code="KZ-75").exists()


def test_the_overview_asks_the_same_number_of_queries_however_much_data(cast, django_assert_num_queries):
    http = signed_in(cast.kz_coordinator)
    http.get(OVERVIEW)  # content types and the like, cached once per process

    # The session and the user; the country check; the eight figures (managed countries, then
    # membership requests); the header's roles.
    with django_assert_num_queries(15):
        http.get(OVERVIEW)
    grow(cast)
    with django_assert_num_queries(15):
        assert http.get(OVERVIEW).status_code == 200


def test_the_referral_list_asks_the_same_number_of_queries_however_many_referrals(cast, django_assert_num_queries):
    http = signed_in(cast.kz_coordinator)
    http.get(REFERRALS)

    with django_assert_num_queries(10):
        http.get(REFERRALS)
    grow(cast)
    with django_assert_num_queries(10):
        assert http.get(REFERRALS).status_code == 200


# Signing in ------------------------------------------------------------------------------------


def test_the_coordinator_lands_on_the_overview_of_their_country(cast):
    http = signed_in(cast.kz_coordinator)

    response = http.get("/workspace/", follow=True)

    assert response.redirect_chain[-1] == (OVERVIEW, 302)
    assert response.status_code == 200
    assert [row["figure"] for row in response.context["overdue"]] == [6, "<5"]


def test_the_coordinators_header_has_no_notifications_link(cast):
    html = signed_in(cast.kz_coordinator).get(OVERVIEW).content.decode()

    nav = re.search(r'<nav aria-label="Main">(.*?)</nav>', html, flags=re.DOTALL)
    assert nav
    assert 'href="/workspace/"' in nav.group(1)
    assert "/notifications/" not in nav.group(1)


def test_a_day_shorter_months_trend_still_has_six_months():
    assert [month.strftime("%Y-%m") for month in trend_months(datetime.date(2026, 3, 31))] == [
        "2025-10",
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
        "2026-03",
    ]
