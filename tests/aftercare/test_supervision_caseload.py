"""The probation caseload /caseload/: the office's cases, each filter narrowing, constant query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from aftercare.actions import add_goal, record_check_in, review_goal
from aftercare.models import CheckInStatus, GoalStatus
from portal.foundation.models import AuditEvent
from referrals.models import Outcome
from tests.aftercare.supervision_cast import build_cast, open_case
from tests.factories import pathway
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db
CASELOAD = reverse("aftercare:caseload")
NAMES = ("Aigerim", "Timur", "Saule", "Nurlan", "Madina")


cast = shared_fixture(build_cast, name="cast")


@pytest.fixture
def cases(cast):
    """Five cases of office A, each standing out in one way, and one case of office B."""
    today = timezone.localdate()
    cases = {name: open_case(cast, first_name=name, officer=cast.officer) for name in NAMES}
    cases["Timur"].officer = cast.officer_2
    cases["Timur"].save(update_fields=["officer"])
    cases["Saule"].officer = None
    cases["Saule"].save(update_fields=["officer"])
    past = today - datetime.timedelta(days=1)
    add_goal(cast.officer, cases["Nurlan"], pathway=pathway("health"), description="Doctor", target_date=past)
    achieved = add_goal(
        cast.officer, cases["Aigerim"], pathway=pathway("legal-aid"), description="ID", target_date=past
    )
    review_goal(cast.officer, achieved, status=GoalStatus.ACHIEVED, achievement=Outcome.ACHIEVED)
    missed = cases["Madina"].check_ins.first()
    record_check_in(cast.officer, missed, status=CheckInStatus.MISSED)
    cases["Madina"].opened_on = datetime.date(2025, 6, 1)
    cases["Madina"].save(update_fields=["opened_on"])
    cases["other office"] = open_case(cast, first_name="Ruslan", office=cast.office_b, officer=cast.office_b_officer)
    return cases


def listed(response) -> set[str]:
    return {case.client.first_name for case in response.context["page_obj"].object_list}


def test_probation_staff_see_their_offices_cases_with_counts(client, cast, cases):
    client.force_login(cast.supervisor)
    response = client.get(CASELOAD)
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    assert listed(response) == set(NAMES)
    assert response.context["counts"] == {"total": 5, "with_overdue_goals": 1, "with_missed_check_ins": 1}
    event = AuditEvent.objects.get(actor=cast.supervisor, action="case.list")
    assert sorted(event.detail["ids"]) == sorted(str(cases[name].pk) for name in NAMES)


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"officer": "officer_2"}, {"Timur"}),
        ({"officer": "none"}, {"Saule"}),
        ({"goals_overdue": "on"}, {"Nurlan"}),
        ({"missed_check_ins": "on"}, {"Madina"}),
        ({"released_after": "2025-05-01", "released_before": "2025-07-01"}, {"Madina"}),
        ({"released_after": "2026-01-01"}, {"Aigerim", "Timur", "Saule", "Nurlan"}),
    ],
)
def test_each_filter_narrows_the_caseload(client, cast, cases, query, expected):
    if query.get("officer") == "officer_2":
        query = {"officer": cast.officer_2.pk}
    client.force_login(cast.officer)
    response = client.get(CASELOAD, query)
    assert response.status_code == 200
    assert listed(response) == expected
    assert response.context["counts"]["total"] == len(expected)


def test_an_officer_of_another_office_cannot_be_chosen(client, cast, cases):
    client.force_login(cast.officer)
    response = client.get(CASELOAD, {"officer": cast.office_b_officer.pk})
    assert response.context["form"].errors["officer"]
    assert listed(response) == set()


@pytest.mark.parametrize("who", ["outsider", "caseworker", "iq_officer"])
def test_users_without_cases_see_an_empty_caseload(client, cast, cases, who):
    client.force_login(getattr(cast, who))
    response = client.get(CASELOAD)
    assert response.status_code == 200
    assert listed(response) == set()
    assert "Aigerim" not in response.content.decode()


def test_the_caseload_needs_a_login_and_answers_get_only(client, cast):
    assert client.get(CASELOAD)["Location"].startswith(reverse("login"))
    client.force_login(cast.officer)
    assert client.post(CASELOAD).status_code == 405


def caseload_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(CASELOAD, {"released_after": "2020-01-01"})
    assert response.status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_cases(client, cast):
    client.force_login(cast.officer)
    for index in range(3):
        open_case(cast, first_name=f"Person{index}", officer=cast.officer)
    few = caseload_queries(client)
    long_ago = datetime.date(2020, 1, 2)
    for index in range(3, 30):
        case = open_case(cast, first_name=f"Person{index}", officer=cast.officer_2)
        add_goal(cast.officer, case, pathway=pathway("health"), description="Doctor", target_date=long_ago)
    many = caseload_queries(client)
    assert few == many
