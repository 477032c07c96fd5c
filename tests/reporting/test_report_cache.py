"""A built report is served from the cache until the figures behind it change (reporting/report_cache.py).

The cast (tests/reporting/reporting_cast.py): 11 referrals in KZ in February 2026, one of them to
Bright Path's "Job search" still waiting for an answer, and one in IQ.
"""

import datetime

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from aftercare.actions import erase_client
from cso_directory.actions import set_service_capacity
from cso_directory.models import ServicePage
from referrals.actions import take_referral_step
from referrals.models import Referral, ReferralStatus
from reporting.access import scope_of
from reporting.indicators import Criteria, Report
from reporting.report_cache import COUNTRY_OF, counted_models, country_of, report_for
from tests.reporting.reporting_cast import PERIOD, build_cast
from tests.reporting.test_dashboards import browser, figures_table, forget_reports
from tests.shared_casts import shared_fixture

cast = shared_fixture(build_cast, name="cast")
pytestmark = pytest.mark.django_db
REFERRALS = f"/reporting/dashboards/referrals/?{PERIOD}"
NETWORK = f"/reporting/dashboards/network/?{PERIOD}"


def report_queries(http: HttpClient, path: str) -> list[str]:
    """The queries of a request that read referrals, as the report's do."""
    with CaptureQueriesContext(connection) as queries:
        assert http.get(path).status_code == 200
    return [query["sql"] for query in queries.captured_queries if '"referrals_referral"' in query["sql"]]


def test_a_second_request_reads_the_report_from_the_cache(cast):
    http = browser(cast.coordinator)

    assert report_queries(http, REFERRALS) != []
    assert report_queries(http, REFERRALS) == []
    assert report_queries(http, f"/reporting/dashboards/outcomes/?{PERIOD}") == []  # one report, every group
    assert report_queries(http, f"{REFERRALS}&sex=female") != []  # other filters, another report


def test_a_dashboard_read_from_the_cache_asks_only_the_pages_own_queries(cast, django_assert_num_queries):
    """9 of test_dashboards' 19: the session and the user, the user's scope (2) and what the filters and
    the page show; not the report's 10."""
    http = browser(cast.coordinator)
    http.get(REFERRALS)
    with django_assert_num_queries(9):
        assert http.get(REFERRALS).status_code == 200


def test_a_referral_answered_after_the_first_request_shows_at_once(cast):
    http = browser(cast.coordinator)
    before = figures_table(http.get(REFERRALS), "referrals")
    waiting = Referral.objects.get(service__title="Job search", status=ReferralStatus.SENT)

    take_referral_step(cast.other_caseworker, waiting, "accept")
    after = figures_table(http.get(REFERRALS), "referrals")
    forget_reports()

    assert after != before
    assert after == figures_table(http.get(REFERRALS), "referrals")  # as a report built afresh


def test_a_referral_answered_in_one_country_leaves_the_reports_of_another_cached(cast):
    iraq, everywhere = browser(cast.foreign_coordinator), browser(cast.viewer)
    for http in (iraq, everywhere):
        report_queries(http, REFERRALS)
    waiting = Referral.objects.get(service__title="Job search", status=ReferralStatus.SENT)

    take_referral_step(cast.other_caseworker, waiting, "accept")  # in Kazakhstan

    assert report_queries(iraq, REFERRALS) == []
    assert report_queries(everywhere, REFERRALS) != []


def test_every_counted_record_leads_to_its_clients_country(cast):
    """A model the figures count must say how it reaches its client's country (COUNTRY_OF): without it
    the reports of its country would not be built again after it changes."""
    assert {model._meta.label_lower for model in counted_models()} == COUNTRY_OF.keys()
    referral = Referral.objects.filter(client__country="IQ").first()
    assert country_of(referral) == "IQ"
    assert country_of(referral.events.first()) == "IQ"


def test_the_api_answer_is_kept_with_the_report_and_follows_a_change(cast):
    http = browser(cast.coordinator)
    path = f"/api/reporting/referrals?{PERIOD}"
    first = http.get(path).json()
    assert report_queries(http, path) == []
    assert http.get(path).json() == first

    waiting = Referral.objects.get(service__title="Job search", status=ReferralStatus.SENT)
    take_referral_step(cast.other_caseworker, waiting, "accept")

    assert http.get(path).json() != first


def test_a_capacity_change_shows_at_once_on_the_network_dashboard(cast):
    http = browser(cast.coordinator)
    before = figures_table(http.get(NETWORK), "services")
    literacy = ServicePage.objects.get(title="Literacy classes")

    set_service_capacity(cast.editor, literacy, "full")
    after = figures_table(http.get(NETWORK), "services")

    education = "Education and literacy"
    assert [row for row in before if row[0] == education] == [[education, "1", "0", "0", "1"]]
    assert [row for row in after if row[0] == education] == [[education, "0", "0", "1", "1"]]


def test_an_erasure_moves_the_figures_on(cast):
    """Erasure keeps only the birth year: the age band may change, so the report is built again."""
    http = browser(cast.coordinator)
    http.get(REFERRALS)
    erase_client(cast.clients["f1"])

    assert report_queries(http, REFERRALS) != []


def test_a_dashboards_charts_and_tables_are_rendered_apart_per_group_and_language(cast):
    """They are rendered once per report (reporting.report_cache.rendered_for) and kept in the cache."""
    http = browser(cast.coordinator)
    period = Criteria(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    pages = {}
    for language in ("en", "ar"):
        http.cookies["django_language"] = language
        for group in ("referrals", "outcomes"):
            html = http.get(f"/reporting/dashboards/{group}/?{PERIOD}").content.decode()
            with translation.override(language):
                titles = [table.title for table in report_for(scope_of(cast.coordinator), period).of_group(group)]
            pages[language, group] = html
            assert titles and all(f">{title}</h2>" in html for title in titles), (language, group)
    assert len({html.split("<main", 1)[1] for html in pages.values()}) == 4


def built(scope, criteria) -> tuple[Report, int]:
    """The report and the number of queries it took."""
    with CaptureQueriesContext(connection) as queries:
        report = report_for(scope, criteria)
    return report, len(queries)


def test_reports_are_kept_apart_by_scope_and_language(cast):
    period = Criteria(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
    coordinators, first = built(scope_of(cast.coordinator), period)
    viewers, viewers_queries = built(scope_of(cast.viewer), period)
    with translation.override("ar"):
        _arabic, arabic_queries = built(scope_of(cast.coordinator), period)
    again, again_queries = built(scope_of(cast.coordinator), period)

    assert first > 0 and viewers_queries > 0 and arabic_queries > 0 and again_queries == 0
    assert coordinators.tables["referrals"].cell("total", "total").value == 11
    assert viewers.tables["referrals"].cell("total", "total").value == 12  # and the Iraqi one
    assert again.tables["referrals"].cell("total", "total").value == 11
