"""Who viewed a client's record: for the supervisors of their probation office and the national
coordinators of their country; 404 (audited) for everyone else; filterable, paged, exportable."""

import csv
import io

import pytest
from django.test import Client as HttpClient

from portal.foundation.audit import record_event
from portal.foundation.models import AuditEvent, Decision
from portal.foundation.roles import Role
from referrals.actions import set_need
from referrals.models import Priority
from tests.factories import make_organisation, pathway
from tests.referrals.conftest import make_user

pytestmark = pytest.mark.django_db

BROWSER = "Mozilla/5.0 (X11; Linux x86_64) InspectorTest/1.0"
FORMULA_AGENT = '=HYPERLINK("http://evil.example")'


@pytest.fixture
def overseers(cast):
    kz_office = make_organisation("KZ", title="Kazakhstan coordination office", kind="coordination")
    iq_office = make_organisation("IQ", title="Iraq coordination office", kind="coordination")
    return {
        "supervisor": make_user("supervisor", cast.kz_probation, Role.PROBATION_SUPERVISOR),
        "coordinator": make_user("kz-coordinator", kz_office, Role.NATIONAL_COORDINATOR),
        "iq_coordinator": make_user("iq-coordinator", iq_office, Role.NATIONAL_COORDINATOR),
    }


def signed_in(user, **headers) -> HttpClient:
    http = HttpClient(**headers)
    http.force_login(user)
    return http


def log_url(client) -> str:
    return f"/clients/{client.pk}/access-log/"


@pytest.fixture
def viewed(cast, canary):
    """The canary's record, read by the social worker from a known address and browser."""
    signed_in(cast.social_worker, HTTP_USER_AGENT=BROWSER, REMOTE_ADDR="10.1.2.3").get(f"/clients/{canary.pk}/")
    return canary


@pytest.mark.parametrize("who", ["supervisor", "coordinator"])
def test_supervisors_and_coordinators_see_who_viewed_from_where(overseers, viewed, cast, who):
    response = signed_in(overseers[who]).get(log_url(viewed))

    body = response.content.decode()
    assert response.status_code == 200
    assert "social-worker" in body
    assert "client.view" in body
    assert "10.1.2.3" in body
    assert BROWSER in body
    assert "referral.list" not in body  # listings that did not show this client are not theirs


@pytest.mark.parametrize("who", ["iq_coordinator", "probation_officer", "social_worker", "caseworker_a", "outsider"])
def test_everyone_else_gets_404_and_the_attempt_is_audited(overseers, viewed, cast, who):
    user = overseers.get(who) or getattr(cast, who)

    page = signed_in(user).get(log_url(viewed))
    api = signed_in(user).get(f"/api/clients/{viewed.pk}/access-log")

    assert page.status_code == 404
    assert api.status_code == 404
    denials = AuditEvent.objects.filter(actor=user, outcome=Decision.DENIED, object_id=str(viewed.pk))
    assert denials.count() == 2


def test_reading_the_log_is_itself_audited_and_shows_in_it(overseers, viewed):
    http = signed_in(overseers["supervisor"])
    http.get(log_url(viewed))

    assert AuditEvent.objects.filter(actor=overseers["supervisor"], action="client.access_log.view").count() == 1
    assert "client.access_log.view" in http.get(log_url(viewed)).content.decode()


def test_the_log_lists_reads_of_records_about_the_client_and_the_listings_that_showed_them(overseers, cast, canary):
    set_need(cast.social_worker, canary, category=pathway("education"), priority=Priority.HIGH)
    signed_in(cast.social_worker).get("/clients/")
    signed_in(cast.social_worker).get(f"/api/clients/{canary.pk}/consents")

    actions = [
        event["action"]
        for event in signed_in(overseers["supervisor"])
        .get(f"/api/clients/{canary.pk}/access-log", {"per_page": 200})
        .json()["items"]
    ]

    assert {"need.set", "client.list", "consent.view", "consent.record", "client.create"} <= set(actions)


def test_filters_by_who_action_and_period(overseers, viewed, cast):
    signed_in(cast.probation_officer).get(f"/clients/{viewed.pk}/")
    http = signed_in(overseers["supervisor"])
    api = f"/api/clients/{viewed.pk}/access-log"

    by_who = http.get(api, {"who": "probation", "per_page": 200}).json()["items"]
    by_action = http.get(api, {"action": "client.view", "per_page": 200}).json()["items"]
    before = http.get(api, {"period_before": "2000-01-01"}).json()
    page = http.get(log_url(viewed), {"who": "probation-officer", "action": "client.view"}).content.decode()

    assert {item["who"] for item in by_who} == {"probation-officer"}
    assert {item["action"] for item in by_action} == {"client.view"}
    assert {item["who"] for item in by_action} == {"social-worker", "probation-officer"}
    assert before["count"] == 0
    assert "social-worker" not in page
    assert "probation-officer" in page


def test_a_malformed_filter_is_a_clear_4xx_in_the_api(overseers, viewed):
    response = signed_in(overseers["supervisor"]).get(
        f"/api/clients/{viewed.pk}/access-log", {"period_after": "yesterday"}
    )

    assert response.status_code == 422
    assert "period_after" in response.content.decode()


def test_the_page_costs_the_same_queries_for_few_and_many_events(overseers, viewed, django_assert_num_queries):
    http = signed_in(overseers["supervisor"])
    http.get(log_url(viewed))  # settle the session
    with django_assert_num_queries(11):
        http.get(log_url(viewed))
    for _ in range(40):
        record_event(overseers["coordinator"], "client.view", viewed)
    with django_assert_num_queries(11):
        http.get(log_url(viewed))


def test_the_csv_export_has_every_access_with_spreadsheet_safe_cells_and_is_audited(overseers, cast, canary):
    signed_in(cast.social_worker, HTTP_USER_AGENT=FORMULA_AGENT).get(f"/clients/{canary.pk}/")

    response = signed_in(overseers["coordinator"]).get(log_url(canary), {"format": "csv"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    views = [row for row in rows if row["action"] == "client.view"]
    assert [row["who"] for row in views] == ["social-worker"]
    assert views[0]["user_agent"] == f"'{FORMULA_AGENT}"
    assert AuditEvent.objects.filter(actor=overseers["coordinator"], action="client.access_log.export").count() == 1


def test_the_client_page_links_to_the_log_only_for_who_may_see_it(overseers, cast, canary):
    link = f'href="{log_url(canary)}"'

    assert link in signed_in(overseers["supervisor"]).get(f"/clients/{canary.pk}/").content.decode()
    assert link not in signed_in(cast.probation_officer).get(f"/clients/{canary.pk}/").content.decode()
    assert link not in signed_in(cast.social_worker).get(f"/clients/{canary.pk}/").content.decode()
