"""The supervision side of the staff API gives what its pages give: the caseload with the same filters,
a case with its plan and check-ins, the same changes through the same verbs, the user's alerts."""

import datetime
from dataclasses import dataclass

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.actions import add_goal, record_check_in, review_goal
from aftercare.models import Alert, CheckInStatus, GoalStatus, SupervisionCase
from portal.foundation.models import AuditEvent
from referrals.actions import set_need
from referrals.models import Outcome
from tests.aftercare.supervision_cast import Cast, build_cast, open_case
from tests.factories import pathway
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db
NAMES = ("Aigerim", "Timur", "Saule", "Nurlan", "Madina")


@dataclass
class World:
    cast: Cast
    cases: dict[str, SupervisionCase]


def build_world() -> World:
    """The caseload of test_supervision_caseload: five cases of office A, each standing out in one way."""
    cast = build_cast()
    today = timezone.localdate()
    cases = {name: open_case(cast, first_name=name, officer=cast.officer) for name in NAMES}
    SupervisionCase.objects.filter(pk=cases["Timur"].pk).update(officer=cast.officer_2)
    SupervisionCase.objects.filter(pk=cases["Saule"].pk).update(officer=None)
    past = today - datetime.timedelta(days=1)
    add_goal(cast.officer, cases["Nurlan"], pathway=pathway("health"), description="Doctor", target_date=past)
    achieved = add_goal(
        cast.officer, cases["Aigerim"], pathway=pathway("legal-aid"), description="ID", target_date=past
    )
    review_goal(cast.officer, achieved, status=GoalStatus.ACHIEVED, achievement=Outcome.ACHIEVED)
    record_check_in(cast.officer, cases["Madina"].check_ins.first(), status=CheckInStatus.MISSED)
    SupervisionCase.objects.filter(pk=cases["Madina"].pk).update(opened_on=datetime.date(2025, 6, 1))
    cases["other office"] = open_case(cast, first_name="Ruslan", office=cast.office_b, officer=cast.office_b_officer)
    return World(cast, {name: SupervisionCase.objects.get(pk=case.pk) for name, case in cases.items()})


world = shared_fixture(build_world, name="world")


def signed_in(client, user):
    client.force_login(user)
    return client


# The caseload ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"officer": "officer_2"},
        {"officer": "none"},
        {"goals_overdue": "true"},
        {"missed_check_ins": "true"},
        {"released_after": "2025-05-01", "released_before": "2025-07-01"},
        {"released_after": "2026-01-01"},
    ],
)
def test_the_api_caseload_lists_what_the_page_lists_under_each_filter(client, world, query):
    if query.get("officer") == "officer_2":
        query = {"officer": world.cast.officer_2.pk}
    signed_in(client, world.cast.officer)
    page_query = {name: "on" if value == "true" else value for name, value in query.items()}
    page = client.get(reverse("aftercare:caseload"), page_query)
    api = client.get("/api/cases", query)
    assert api.status_code == 200
    shown = [case.client.reference for case in page.context["page_obj"].object_list]
    assert [item["client"]["reference"] for item in api.json()["items"]] == shown
    assert api.json()["counts"] == page.context["counts"]
    assert api.json()["count"] == len(shown)


def test_the_api_caseload_is_audited_as_the_page_audits_it(client, world):
    signed_in(client, world.cast.supervisor)
    client.get(reverse("aftercare:caseload"))
    client.get("/api/cases")
    page_event, api_event = AuditEvent.objects.filter(actor=world.cast.supervisor, action="case.list").order_by("at")
    assert (api_event.object_type, api_event.object_id) == (page_event.object_type, page_event.object_id)
    assert sorted(api_event.detail["ids"]) == sorted(page_event.detail["ids"])
    assert len(api_event.detail["ids"]) == len(NAMES)


def test_an_officer_of_another_office_is_refused_as_a_filter_with_the_field_named(client, world):
    signed_in(client, world.cast.officer)
    response = client.get("/api/cases", {"officer": world.cast.office_b_officer.pk})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["officer"]


@pytest.mark.parametrize("who", ["outsider", "caseworker", "iq_officer"])
def test_users_without_cases_get_an_empty_caseload(client, world, who):
    response = signed_in(client, getattr(world.cast, who)).get("/api/cases")
    assert response.json()["items"] == []
    assert "Aigerim" not in response.content.decode()


def test_the_caseload_query_count_does_not_grow_with_the_cases(client, world, django_assert_num_queries):
    signed_in(client, world.cast.officer)
    client.get("/api/cases")  # the session is read once per client
    with django_assert_num_queries(6):
        assert client.get("/api/cases").json()["count"] == len(NAMES)
    for index in range(12):
        open_case(world.cast, first_name=f"Person{index}", officer=world.cast.officer_2)
    with django_assert_num_queries(6):
        assert client.get("/api/cases").json()["count"] == len(NAMES) + 12


# A case ----------------------------------------------------------------------------------------------


def test_the_api_case_shows_the_plan_and_check_ins_of_the_page_and_is_audited_alike(client, world):
    case = world.cases["Aigerim"]
    signed_in(client, world.cast.officer)
    page = client.get(reverse("aftercare:case_detail", kwargs={"pk": case.pk}))
    api = client.get(f"/api/cases/{case.pk}").json()
    page_goals = [planned.goal for _pathway, goals in page.context["plan"] for planned in goals]
    assert [goal["id"] for goal in api["goals"]] == [goal.pk for goal in page_goals]
    assert [len(goal["reviews"]) for goal in api["goals"]] == [len(goal.history) for goal in page_goals]
    assert api["goals"][0]["status"] == GoalStatus.ACHIEVED
    assert [(c["id"], c["due_on"]) for c in api["check_ins"]] == [
        (booked.check_in.pk, booked.check_in.due_on.isoformat()) for booked in page.context["check_ins"]
    ]
    assert api["officer"] == {"id": world.cast.officer.pk, "name": "Dana Seitova"}
    assert api["client"]["reference"] == case.client.reference
    assert api["editable"] is page.context["editable"] is True
    views = AuditEvent.objects.filter(actor=world.cast.officer, action="case.view", object_id=str(case.pk))
    assert views.count() == 2


def test_a_case_of_another_office_answers_404_and_the_holding_prison_reads_but_cannot_change(client, world):
    case = world.cases["Aigerim"]
    assert signed_in(client, world.cast.office_b_officer).get(f"/api/cases/{case.pk}").status_code == 404
    signed_in(client, world.cast.social_worker)
    assert client.get(f"/api/cases/{case.pk}").json()["editable"] is False
    response = client.post(f"/api/cases/{case.pk}/check-ins", {"due_on": "2026-05-01"}, content_type="application/json")
    assert response.status_code == 403
    assert not case.check_ins.filter(due_on="2026-05-01").exists()


def test_the_case_query_count_does_not_grow_with_goals_and_check_ins(client, world, django_assert_num_queries):
    case = world.cases["Nurlan"]
    signed_in(client, world.cast.officer)
    client.get(f"/api/cases/{case.pk}")
    with django_assert_num_queries(9):
        client.get(f"/api/cases/{case.pk}")
    for index in range(5):
        goal = add_goal(world.cast.officer, case, pathway=pathway("housing"), description=f"Flat {index}")
        review_goal(world.cast.officer, goal, status=GoalStatus.IN_PROGRESS, achievement="")
    with django_assert_num_queries(9):
        assert len(client.get(f"/api/cases/{case.pk}").json()["goals"]) == 6


# Changes -------------------------------------------------------------------------------------------


def post(client, path, body, method="post"):
    return getattr(client, method)(path, body, content_type="application/json")


def test_the_supervisor_assigns_an_officer_of_the_office_only(client, world):
    case = world.cases["Saule"]
    signed_in(client, world.cast.supervisor)
    other = post(client, f"/api/cases/{case.pk}/officer", {"officer": world.cast.office_b_officer.pk}, "put")
    assert other.status_code == 400
    assert list(other.json()["errors"]) == ["officer"]
    response = post(client, f"/api/cases/{case.pk}/officer", {"officer": world.cast.officer_2.pk}, "put")
    assert response.status_code == 200
    assert response.json()["officer"]["id"] == world.cast.officer_2.pk
    case.refresh_from_db()
    assert case.officer == world.cast.officer_2
    event = AuditEvent.objects.filter(action="case.assign_officer", object_id=str(case.pk)).latest("at")
    assert (event.actor, event.detail["officer"]) == (world.cast.supervisor, world.cast.officer_2.pk)


def test_a_goal_is_added_and_reviewed_through_the_verbs_with_each_refusal_naming_its_field(client, world):
    case = world.cases["Timur"]
    need = set_need(world.cast.social_worker, case.client, category=pathway("housing"), priority="high")
    signed_in(client, world.cast.officer)
    path = f"/api/cases/{case.pk}/goals"
    unknown = post(client, path, {"pathway": "flying", "description": "Fly"})
    assert (unknown.status_code, list(unknown.json()["errors"])) == (400, ["pathway"])
    off_pathway = post(client, path, {"pathway": "health", "description": "Doctor", "need_id": need.pk})
    assert (off_pathway.status_code, list(off_pathway.json()["errors"])) == (400, ["need"])
    created = post(client, path, {"pathway": "housing", "description": "A flat", "need_id": need.pk})
    assert created.status_code == 201
    goal = created.json()
    assert (goal["pathway"], goal["need_id"], goal["status"]) == ("housing", need.pk, GoalStatus.NOT_STARTED)
    review = {"status": "achieved", "achievement": "achieved", "note": "Keys handed over."}
    reviewed = post(client, f"{path}/{goal['id']}/reviews", review)
    assert reviewed.status_code == 201
    assert [r["status"] for r in reviewed.json()["reviews"]] == ["not_started", "achieved"]
    other_case_goal = world.cases["Aigerim"].goals.get()
    assert post(client, f"{path}/{other_case_goal.pk}/reviews", review).status_code == 404


def test_check_ins_are_scheduled_and_recorded_and_a_missed_one_alerts_as_on_the_page(client, world):
    case = world.cases["Aigerim"]
    signed_in(client, world.cast.officer)
    created = post(client, f"/api/cases/{case.pk}/check-ins", {"due_on": "2026-06-01", "note": "Bring ID."})
    assert created.status_code == 201
    outcome = f"/api/cases/{case.pk}/check-ins/{created.json()['id']}/outcome"
    undated = post(client, outcome, {"status": "rescheduled"})
    assert (undated.status_code, list(undated.json()["errors"])) == (400, ["rescheduled_to"])
    scheduled = post(client, outcome, {"status": "scheduled"})
    assert (scheduled.status_code, list(scheduled.json()["errors"])) == (400, ["status"])
    missed = post(client, outcome, {"status": "missed", "note": "No answer."})
    assert missed.status_code == 200
    assert (missed.json()["status"], missed.json()["recorded_by"]["id"]) == ("missed", world.cast.officer.pk)
    assert post(client, outcome, {"status": "attended"}).status_code == 404  # recorded already, as on the page
    alerted = set(Alert.objects.filter(check_in_id=created.json()["id"]).values_list("user__username", flat=True))
    assert alerted == {"officer", "supervisor"}


# Alerts ---------------------------------------------------------------------------------------------


def test_the_api_alerts_are_the_pages_and_are_marked_read_alike(client, world):
    case = world.cases["Aigerim"]
    for check_in in case.check_ins.all()[:2]:
        record_check_in(world.cast.officer, check_in, status=CheckInStatus.MISSED)
    signed_in(client, world.cast.supervisor)
    page = client.get(reverse("aftercare:alert_list"))
    api = client.get("/api/alerts").json()
    assert [alert["id"] for alert in api["items"]] == [alert.pk for alert in page.context["page_obj"].object_list]
    assert api["unread"] == page.context["unread"] == 3
    assert api["items"][0]["client_reference"] in {c.client.reference for c in world.cases.values()}
    first = api["items"][0]["id"]
    assert post(client, "/api/alerts/read", {"alerts": [first]}).json() == {"count": 1}
    assert post(client, "/api/alerts/read", {}).json() == {"count": 2}
    assert client.get("/api/alerts").json()["unread"] == 0
    assert Alert.objects.filter(user=world.cast.officer, read_at__isnull=True).count() == 3


def test_the_alerts_page_is_audited_as_the_api_audits_it(client, world):
    record_check_in(world.cast.officer, world.cases["Aigerim"].check_ins.first(), status=CheckInStatus.MISSED)
    signed_in(client, world.cast.supervisor)
    client.get(reverse("aftercare:alert_list"))
    client.get("/api/alerts")
    page_event, api_event = AuditEvent.objects.filter(actor=world.cast.supervisor, action="alert.list").order_by("at")
    assert (page_event.object_type, page_event.object_id) == (api_event.object_type, api_event.object_id)
    assert page_event.detail["ids"] == api_event.detail["ids"] != []


def test_someone_elses_alert_is_left_unread(client, world):
    alert = Alert.objects.filter(user=world.cast.officer).first()
    signed_in(client, world.cast.supervisor)
    assert post(client, "/api/alerts/read", {"alerts": [alert.pk]}).json() == {"count": 0}
    alert.refresh_from_db()
    assert alert.read_at is None
