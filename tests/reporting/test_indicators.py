"""Every indicator against the figures of tests/reporting/reporting_cast.py, computed by hand there."""

import datetime

import pytest

from referrals.models import Referral
from reporting.access import scope_of
from reporting.indicators import Criteria, build_report
from tests.factories import pathway
from tests.reporting.reporting_cast import build_cast
from tests.shared_casts import shared_fixture

cast = shared_fixture(build_cast, name="cast")
pytestmark = pytest.mark.django_db
PERIOD = Criteria(start=datetime.date(2026, 1, 1), end=datetime.date(2026, 3, 31))
COLUMNS = ("female", "male", "under_18", "18_24", "25_plus", "total")


def values(table, row):
    return tuple(table.cell(row, column).value for column in COLUMNS)


@pytest.fixture
def report(cast):
    return build_report(scope_of(cast.coordinator), PERIOD)


def test_referrals_by_status_by_sex_and_age_band(report):
    table = report.tables["referrals"]
    assert values(table, "sent") == (0, 1, 0, 0, 1, 1)
    assert values(table, "accepted") == (4, 1, 0, 0, 5, 5)
    assert values(table, "declined") == (1, 2, 0, 1, 2, 3)
    assert values(table, "completed") == (1, 1, 1, 1, 0, 2)
    assert values(table, "total") == (6, 5, 1, 2, 8, 11)
    assert values(table, "expired") == values(table, "withdrawn") == (0, 0, 0, 0, 0, 0)


def test_declined_referrals_by_reason(report):
    table = report.tables["decline_reasons"]
    assert values(table, "no_capacity") == (0, 2, 0, 0, 2, 2)
    assert values(table, "not_eligible") == (1, 0, 0, 1, 0, 1)


def test_acceptance_rate_and_answer_times(report):
    table = report.tables["answers"]
    assert table.cell("acceptance_rate", "total").value == pytest.approx(70.0)
    assert table.cell("median_days", "total").value == pytest.approx(4.5)
    assert table.cell("p90_days", "total").value == pytest.approx(8.2)
    # Women: 1 2 3 4 5 8 (4 of 6 accepted... f6 accepted too: 5 of 6); median 3.5.
    assert table.cell("acceptance_rate", "female").value == pytest.approx(100 * 5 / 6)
    assert table.cell("median_days", "female").value == pytest.approx(3.5)


def test_monthly_trend(report):
    table = report.tables["trend"]
    assert [row for row, _label in table.rows] == ["2026-01", "2026-02", "2026-03"]
    assert values(table, "2026-02") == (6, 5, 1, 2, 8, 11)
    assert values(table, "2026-01") == (0, 0, 0, 0, 0, 0)


def test_referral_outcomes_by_pathway(report):
    table = report.tables["referral_outcomes"]
    assert values(table, "education:achieved") == (1, 1, 1, 1, 0, 2)
    assert values(table, "education:partly") == (0, 0, 0, 0, 0, 0)


def test_goal_achievement_by_pathway(report):
    table = report.tables["goals"]
    assert values(table, "education:achieved") == (1, 0, 0, 0, 1, 1)
    assert values(table, "employment:not_achieved") == (0, 1, 0, 0, 1, 1)
    assert values(table, "total") == (1, 1, 0, 0, 2, 2)


def test_release_readiness(report):
    table = report.tables["release"]
    assert values(table, "True") == (1, 0, 0, 0, 1, 1)
    assert values(table, "False") == (0, 1, 0, 0, 1, 1)
    assert values(table, "total") == (1, 1, 0, 0, 2, 2)


def test_aftercare_cases_and_check_ins(report):
    assert values(report.tables["supervision"], "total") == (1, 1, 0, 0, 2, 2)
    check_ins = report.tables["check_ins"]
    assert values(check_ins, "attended") == (2, 0, 0, 0, 2, 2)
    assert values(check_ins, "missed") == (1, 0, 0, 0, 1, 1)


def test_the_network_answers_per_organisation(report):
    table = report.tables["response_times"]
    by_name = {str(label): row for row, label in table.rows}
    new_dawn, bright_path = by_name["New Dawn"], by_name["Bright Path"]
    assert table.cell(new_dawn, "received").value == 10
    assert table.cell(new_dawn, "acceptance_rate").value == pytest.approx(70.0)
    assert table.cell(new_dawn, "median_days").value == pytest.approx(4.5)
    assert table.cell(bright_path, "received").value == 1
    assert table.cell(bright_path, "median_days").value is None


def test_the_network_services_and_organisations(report):
    services = report.tables["services"]
    assert services.cell("education", "accepting").value >= 1
    assert services.cell("employment", "total").value >= 1


def test_filters_narrow_every_count(cast):
    women = build_report(scope_of(cast.coordinator), Criteria(PERIOD.start, PERIOD.end, sex="female"))
    assert values(women.tables["referrals"], "total") == (6, 0, 0, 2, 4, 6)
    assert values(women.tables["check_ins"], "total") == (3, 0, 0, 0, 3, 3)
    assert values(women.tables["supervision"], "total") == (1, 0, 0, 0, 1, 1)
    assert values(women.tables["release"], "total") == (1, 0, 0, 0, 1, 1)
    young = build_report(scope_of(cast.coordinator), Criteria(PERIOD.start, PERIOD.end, age_band="18_24"))
    assert values(young.tables["referrals"], "total") == (2, 0, 0, 2, 0, 2)
    earlier = build_report(scope_of(cast.coordinator), Criteria(datetime.date(2025, 1, 1), datetime.date(2025, 12, 31)))
    assert values(earlier.tables["referrals"], "total") == (0,) * 6


def test_the_category_narrows_release_readiness_supervision_and_check_ins(cast):
    """Release readiness counts the clients with a high-priority need of the category, ready when each of
    those needs had a referral accepted before release; supervision cases and their check-ins count the
    clients with a need of the category. Employment: only m2 (high employment need, no referral)."""
    employment = Criteria(PERIOD.start, PERIOD.end, category=pathway("employment"))
    report = build_report(scope_of(cast.coordinator), employment)
    assert values(report.tables["release"], "True") == (0,) * 6
    assert values(report.tables["release"], "False") == (0, 1, 0, 0, 1, 1)
    assert values(report.tables["supervision"], "total") == (0, 1, 0, 0, 1, 1)
    assert values(report.tables["check_ins"], "total") == (0,) * 6  # m2's case has none
    # Education: f1 (accepted before release: ready) and m2 (declined: not ready), both with f1's check-ins.
    education = Criteria(PERIOD.start, PERIOD.end, category=pathway("education"))
    report = build_report(scope_of(cast.coordinator), education)
    assert values(report.tables["release"], "True") == (1, 0, 0, 0, 1, 1)
    assert values(report.tables["release"], "False") == (0, 1, 0, 0, 1, 1)
    assert values(report.tables["supervision"], "total") == (1, 1, 0, 0, 2, 2)
    assert values(report.tables["check_ins"], "attended") == (2, 0, 0, 0, 2, 2)
    assert values(report.tables["check_ins"], "missed") == (1, 0, 0, 0, 1, 1)


@pytest.mark.parametrize(("user", "queries"), [("coordinator", 10), ("caseworker", 4)])
def test_the_report_counts_the_referrals_in_one_pass(cast, django_assert_num_queries, user, queries):
    """The tables of referrals (by status, by decline reason, per month, by pathway and outcome) add up the
    counts of one grouped query; the answers, goals, release, aftercare and network tables take one query
    each, the names of the pathways one."""
    scope = scope_of(getattr(cast, user))
    with django_assert_num_queries(queries):
        build_report(scope, PERIOD)


def test_the_period_runs_from_midnight_of_its_first_day_to_the_end_of_its_last(cast):
    """The period's bounds are instants (midnight in the portal's time zone), so that PostgreSQL can estimate
    and index them: a referral sent at the first midnight or the last instant counts, at the next midnight not."""
    first, last, after = Referral.objects.filter(client__country="KZ").exclude(sent_at=None).order_by("pk")[:3]
    utc = datetime.UTC
    for referral, sent_at in (
        (first, datetime.datetime(2026, 1, 1, tzinfo=utc)),
        (last, datetime.datetime(2026, 3, 31, 23, 59, 59, 999999, tzinfo=utc)),
        (after, datetime.datetime(2026, 4, 1, tzinfo=utc)),
    ):
        Referral.objects.filter(pk=referral.pk).update(sent_at=sent_at)
    report = build_report(scope_of(cast.coordinator), PERIOD)
    assert report.tables["referrals"].cell("total", "total").value == 10
    trend = report.tables["trend"]
    assert [trend.cell(month, "total").value for month in ("2026-01", "2026-02", "2026-03")] == [1, 8, 1]
