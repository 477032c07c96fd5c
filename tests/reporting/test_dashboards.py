"""The dashboards, their exports and the API: who sees which figures, suppression everywhere, no names.

The cast (tests/reporting/reporting_cast.py) holds 11 referrals in KZ in February 2026, most
cells of 1 to 4, and one in IQ.
"""

import csv
import datetime
import html
import io
import re

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from aftercare.models import CheckIn, CheckInStatus, SupervisionCase
from cso_directory.models import OrganisationPage
from portal.foundation import caching
from referrals.models import Client, Need
from reporting.access import scope_of
from reporting.indicators import Criteria, build_report
from reporting.report_cache import every_casework
from tests.factories import make_organisation, pathway
from tests.reporting.reporting_cast import CLIENT_NAMES, PERIOD, build_cast, build_iraq
from tests.shared_casts import shared_fixture

cast = shared_fixture(build_cast, name="cast")
pytestmark = pytest.mark.django_db
GROUPS = ("referrals", "outcomes", "release", "aftercare", "network")


def browser(user) -> HttpClient:
    http = HttpClient()
    http.force_login(user)
    return http


def page_text(response) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode()))


def figures_table(response, key: str) -> list[list[str]]:
    """The rows of the table `key` on a dashboard, as text cells."""
    section = response.content.decode().split(f'id="table-{key}"', 1)[1].split("</table>", 1)[0]
    return [
        [
            html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", section, re.S)
    ]


# Who sees what --------------------------------------------------------------------------------


def test_the_coordinator_sees_every_dashboard_of_their_country_and_no_name(cast):
    http = browser(cast.coordinator)
    for group in GROUPS:
        response = http.get(f"/reporting/dashboards/{group}/?{PERIOD}")
        assert response.status_code == 200, group
        text = page_text(response)
        for name in (*CLIENT_NAMES, "F1", "M2"):
            assert name not in text, (group, name)
        for client in Client.objects.all():
            assert client.reference not in text and str(client.pk) not in text
    made = figures_table(http.get(f"/reporting/dashboards/referrals/?{PERIOD}"), "referrals")[-1]
    assert made == ["Referrals made", "6", "5", "<5", "<5", "8", "11"]


def test_the_coordinator_sees_nothing_of_another_country(cast):
    kz = browser(cast.coordinator)
    assert kz.get(f"/reporting/dashboards/referrals/?{PERIOD}&country=IQ").status_code == 200  # not a choice:
    assert "Select a valid choice" in kz.get(f"/reporting/dashboards/referrals/?{PERIOD}&country=IQ").content.decode()
    iq = browser(cast.foreign_coordinator)
    made = figures_table(iq.get(f"/reporting/dashboards/referrals/?{PERIOD}"), "referrals")[-1]
    assert made == ["Referrals made", "0", "<5", "0", "0", "<5", "<5"]  # the one Iraqi referral only


def test_the_viewer_sees_every_country_in_aggregate(cast):
    http = browser(cast.viewer)
    made = figures_table(http.get(f"/reporting/dashboards/referrals/?{PERIOD}"), "referrals")[-1]
    assert made[-1] == "12"  # 11 in KZ and 1 in IQ
    kz_only = figures_table(http.get(f"/reporting/dashboards/referrals/?{PERIOD}&country=KZ"), "referrals")[-1]
    assert kz_only[-1] == "11"
    assert http.get("/reporting/dashboards/aftercare/").status_code == 200
    for path in ("/clients/", "/inbox/", "/caseload/"):
        response = http.get(path)
        assert response.status_code != 200 or "Zhuldyzkanar" not in response.content.decode()


def test_a_cso_sees_only_the_referrals_it_received(cast):
    new_dawn = browser(cast.caseworker)
    made = figures_table(new_dawn.get(f"/reporting/dashboards/referrals/?{PERIOD}"), "referrals")[-1]
    assert made[-1] == "10"
    bright_path = browser(cast.other_caseworker)
    made = figures_table(bright_path.get(f"/reporting/dashboards/referrals/?{PERIOD}"), "referrals")[-1]
    assert made[-1] == "<5"
    network = bright_path.get(f"/reporting/dashboards/network/?{PERIOD}").content.decode()
    assert "Bright Path" in network and "New Dawn" not in network
    for group in ("release", "aftercare"):
        assert bright_path.get(f"/reporting/dashboards/{group}/").status_code == 404
    assert browser(cast.editor).get(f"/reporting/dashboards/referrals/?{PERIOD}").status_code == 200


def test_people_outside_the_reporting_roles_get_404(cast):
    http = browser(cast.social_worker)
    assert http.get("/reporting/dashboards/").status_code == 404
    assert http.get("/reporting/dashboards/referrals/").status_code == 404
    assert http.get("/reporting/dashboards/referrals/referrals.csv").status_code == 404
    assert http.get("/api/reporting/referrals").status_code == 404
    assert browser(cast.coordinator).get("/reporting/dashboards/nothing/").status_code == 404


def test_the_header_links_the_reports_for_the_roles_that_see_them(cast):
    for user in (cast.coordinator, cast.viewer, cast.caseworker):
        assert 'href="/reporting/dashboards/"' in browser(user).get("/clients/").content.decode()
    assert 'href="/reporting/dashboards/"' not in browser(cast.social_worker).get("/clients/").content.decode()


# Suppression on pages, charts, exports and API -------------------------------------------------


def test_small_counts_are_less_than_5_in_the_table_and_the_chart(cast):
    response = browser(cast.coordinator).get(f"/reporting/dashboards/referrals/?{PERIOD}")
    rows = {row[0]: row[1:] for row in figures_table(response, "referrals")[1:]}
    assert rows["Accepted"] == ["<5", "<5", "0", "0", "5", "5"]
    assert rows["Declined"] == ["<5", "<5", "0", "<5", "<5", "<5"]
    chart = response.content.decode().split('id="table-referrals"', 1)[1].split("</svg>", 1)[0]
    assert "&lt;5</text>" in chart
    values = re.findall(r'class="chart-value">([^<]*)</text>', chart)
    assert "1" not in values and "2" not in values and "3" not in values and "4" not in values


def assert_no_hidden_cell_derivable(rows: list[list], columns: int) -> None:
    """Within each row of (sex: 2 cells, age: 3 cells, total), no lone hidden cell next to shown ones."""
    for row in rows:
        cells = row[1:]
        for group in (cells[0:2] + [cells[-1]], cells[2:5] + [cells[-1]]):
            hidden = [cell for cell in group if cell in ("<5", "x")]
            assert len(hidden) != 1, row
    for column in range(1, columns + 1):
        cells = [row[column] for row in rows]
        hidden = [cell for cell in cells if cell in ("<5", "x")]
        assert len(hidden) != 1, (column, cells)


def test_no_suppressed_cell_can_be_worked_out_from_the_totals_on_the_page(cast):
    response = browser(cast.coordinator).get(f"/reporting/dashboards/referrals/?{PERIOD}")
    rows = figures_table(response, "referrals")[1:]
    assert_no_hidden_cell_derivable(rows, 6)
    report = build_report(scope_of(cast.coordinator), Criteria(datetime.date(2026, 1, 1), datetime.date(2026, 3, 31)))
    reasons = report.tables["decline_reasons"]
    declined_shown = [not report.tables["referrals"].cell("declined", key).hidden for key in ("female", "male")]
    for column, shown in zip(("female", "male"), declined_shown, strict=True):
        hidden_reasons = [row for row, _l in reasons.rows if reasons.cell(row, column).hidden]
        assert not (shown and len(hidden_reasons) == 1)


def test_exports_show_the_same_suppressed_table_with_filters_and_the_rule(cast):
    http = browser(cast.coordinator)
    lines = list(
        csv.reader(
            io.StringIO(http.get(f"/reporting/dashboards/referrals/referrals.csv?{PERIOD}").content.decode("utf-8-sig"))
        )
    )
    assert lines[0] == ["Referrals by status"]
    assert ["From month", "2026-01"] in lines and ["To month", "2026-03"] in lines
    assert any(line[0] == "Suppression" and "<5" in line[1] for line in lines if line)
    assert ["Referrals made", "6", "5", "<5", "<5", "8", "11"] in lines
    response = http.get(f"/reporting/dashboards/referrals/referrals.xlsx?{PERIOD}")
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell for cell in row] for row in sheet.iter_rows(values_only=True)]
    assert ["Referrals made", 6, 5, "<5", "<5", 8, 11] in [list(row) for row in rows]
    assert http.get(f"/reporting/dashboards/referrals/goals.csv?{PERIOD}").status_code == 404  # not on this page
    assert http.get(f"/reporting/dashboards/referrals/referrals.pdf?{PERIOD}").status_code == 404


def test_exports_are_formula_safe(cast):
    OrganisationPage.objects.filter(title="Bright Path").update(title="=HYPERLINK(1)")
    lines = browser(cast.coordinator).get(f"/reporting/dashboards/network/response_times.csv?{PERIOD}")
    assert "'=HYPERLINK(1)" in lines.content.decode("utf-8-sig")


def test_the_api_answers_the_same_suppressed_tables(cast):
    http = browser(cast.coordinator)
    answer = http.get(f"/api/reporting/referrals?{PERIOD}").json()
    referrals = next(table for table in answer["tables"] if table["key"] == "referrals")
    made = next(row for row in referrals["rows"] if row["key"] == "total")
    assert made["cells"] == {"female": 6, "male": 5, "under_18": "<5", "18_24": "<5", "25_plus": 8, "total": 11}
    assert "<5" in answer["suppression"]
    assert browser(cast.caseworker).get("/api/reporting/aftercare").status_code == 404
    bad = http.get("/api/reporting/referrals?start=March")
    assert bad.status_code == 400 and "start" in bad.json()["errors"]
    for name in CLIENT_NAMES:
        assert name not in http.get(f"/api/reporting/outcomes?{PERIOD}").content.decode()


def test_invalid_filters_say_so_on_the_page(cast):
    response = browser(cast.coordinator).get("/reporting/dashboards/referrals/?start=never")
    assert response.status_code == 200
    assert "Give a month as YYYY-MM." in response.content.decode()


# Query counts -----------------------------------------------------------------------------------


def grow(cast) -> None:
    """Six times as many Iraqi clients, referrals and organisations; each client released with a high
    need, on supervision, with a missed check-in in the period."""
    build_iraq(prefix="more", clients=6)
    office = make_organisation("IQ", title="more probation office", kind="probation")
    for client in Client.objects.filter(prison__title="more Basra prison"):
        Need.objects.create(client=client, category=pathway("education"), priority="high")
        case = SupervisionCase.objects.create(
            client=client,
            probation_office=office,
            opened_on=datetime.date(2026, 2, 20),
            handed_over_by=cast.social_worker,
        )
        CheckIn.objects.create(case=case, due_on=datetime.date(2026, 3, 3), status=CheckInStatus.MISSED)


def forget_reports() -> None:
    """The next request builds its report again, not read from the cache."""
    for generation in every_casework():
        caching.move_on(generation)


@pytest.mark.parametrize("group", GROUPS)
@pytest.mark.parametrize("category", ["", "&category=education"])
def test_the_dashboard_query_count_does_not_grow_with_the_data(cast, django_assert_num_queries, group, category):
    http = browser(cast.viewer)
    path = f"/reporting/dashboards/{group}/?{PERIOD}{category}"
    http.get(path)  # the session and the caches
    forget_reports()
    with CaptureQueriesContext(connection) as small:
        http.get(path)
    grow(cast)
    with django_assert_num_queries(len(small)):
        assert http.get(path).status_code == 200


def test_a_dashboard_asks_the_users_scope_once_and_counts_the_referrals_in_one_pass(cast, django_assert_num_queries):
    """19: the session and the user, the user's scope (asked once: 2), the report (10, as in test_indicators)
    and what the filters and the page show."""
    http = browser(cast.coordinator)
    path = f"/reporting/dashboards/referrals/?{PERIOD}"
    http.get(path)  # the caches
    forget_reports()
    with django_assert_num_queries(19):
        assert http.get(path).status_code == 200


def test_the_category_filter_says_what_it_narrows_on_the_dashboard(cast):
    text = page_text(browser(cast.coordinator).get(f"/reporting/dashboards/release/?{PERIOD}"))

    assert (
        "Release readiness: clients with a high-priority need of this category, ready when each such need had "
        "a referral accepted before release."
    ) in html.unescape(text)
    assert "Supervision cases and check-ins: of clients with a need of this category." in html.unescape(text)
