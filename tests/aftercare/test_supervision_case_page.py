"""The supervision case page /cases/<id>/: officer, plan with goal reviews, check-ins; who may see and change it."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from aftercare.actions import add_goal, review_goal
from aftercare.models import Alert, CheckInStatus, Goal, GoalStatus
from portal.foundation.models import AuditEvent, Decision
from referrals.forms import pathways
from referrals.models import Outcome
from tests.aftercare.supervision_cast import build_cast, open_case
from tests.factories import pathway
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db


cast = shared_fixture(build_cast, name="cast")


@pytest.fixture
def case(cast):
    return open_case(cast, officer=cast.officer)


def url(name: str, case, **kwargs) -> str:
    return reverse(f"aftercare:{name}", kwargs={"pk": case.pk, **kwargs})


def first_scheduled(case):
    return case.check_ins.filter(status=CheckInStatus.SCHEDULED).order_by("due_on").first()


def test_the_officer_sees_the_client_the_plan_by_pathway_and_the_forms(client, cast, case):
    client.force_login(cast.officer)
    response = client.get(url("case_detail", case))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    page = response.content.decode()
    pathway_names = [escape(term.name) for term in pathways()]
    for text in (case.client.reference, "Aigerim", "Nurlanova", "Dana Seitova", *pathway_names):
        assert text in page, text
    assert {"officer_form", "goal_form", "check_in_form"} <= response.context.keys()
    assert 'id="case-notes"' in page


def test_the_prison_reads_the_case_but_may_not_change_it(client, cast, case):
    client.force_login(cast.social_worker)
    response = client.get(url("case_detail", case))
    assert response.status_code == 200
    assert "goal_form" not in response.context
    assert reverse("aftercare:goal_add", kwargs={"pk": case.pk}) not in response.content.decode()
    data = {"pathway": pathway("health").pk, "description": "See a doctor"}
    assert client.post(url("goal_add", case), data).status_code == 403
    assert not case.goals.exists()


@pytest.mark.parametrize("who", ["outsider", "caseworker", "iq_officer", "office_b_officer"])
def test_users_outside_the_case_get_404_and_the_denial_is_audited(client, cast, case, who):
    user = getattr(cast, who)
    client.force_login(user)
    assert client.get(url("case_detail", case)).status_code == 404
    data = {"pathway": pathway("health").pk, "description": "See a doctor"}
    assert client.post(url("goal_add", case), data).status_code == 404
    check_in = first_scheduled(case)
    assert client.post(url("check_in_record", case, check_in_id=check_in.pk), {"status": "missed"}).status_code == 404
    assert not case.goals.exists()
    assert (
        AuditEvent.objects.filter(
            actor=user, action="access.denied", outcome=Decision.DENIED, object_id=str(case.pk)
        ).count()
        == 3
    )


def test_anonymous_users_are_sent_to_sign_in(client, case):
    assert client.get(url("case_detail", case))["Location"].startswith(reverse("login"))


def test_write_endpoints_accept_post_only(client, cast, case):
    client.force_login(cast.officer)
    assert client.get(url("goal_add", case)).status_code == 405
    assert client.post(url("case_detail", case)).status_code == 405


def test_the_supervisor_assigns_an_officer_of_the_office(client, cast, case):
    client.force_login(cast.supervisor)
    response = client.post(url("officer_assign", case), {"officer": cast.officer_2.pk})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.officer == cast.officer_2


def test_an_officer_of_another_office_cannot_be_assigned(client, cast, case):
    client.force_login(cast.supervisor)
    response = client.post(url("officer_assign", case), {"officer": cast.office_b_officer.pk})
    assert response.status_code == 400
    assert response.context["officer_form"].errors["officer"]
    case.refresh_from_db()
    assert case.officer == cast.officer


def test_goals_are_added_and_reviewed_keeping_their_history(client, cast, case):
    client.force_login(cast.officer)
    target = timezone.localdate() + datetime.timedelta(days=60)
    response = client.post(
        url("goal_add", case),
        {"pathway": pathway("employment").pk, "description": "Finish the welding course", "target_date": target},
    )
    assert response.status_code == 302
    goal = case.goals.get()
    assert (goal.pathway, goal.target_date, goal.status) == (pathway("employment"), target, GoalStatus.NOT_STARTED)
    review = url("goal_review", case, goal_id=goal.pk)
    halfway = {"status": GoalStatus.IN_PROGRESS, "achievement": Outcome.PARTLY, "note": "Half way"}
    assert client.post(review, halfway).status_code == 302
    assert client.post(review, {"status": GoalStatus.ACHIEVED, "achievement": Outcome.ACHIEVED}).status_code == 302
    goal.refresh_from_db()
    assert (goal.status, goal.achievement) == (GoalStatus.ACHIEVED, Outcome.ACHIEVED)
    history = list(goal.reviews.values_list("status", "achievement"))
    assert history == [
        (GoalStatus.NOT_STARTED, ""),
        (GoalStatus.IN_PROGRESS, Outcome.PARTLY),
        (GoalStatus.ACHIEVED, Outcome.ACHIEVED),
    ]
    page = client.get(url("case_detail", case)).content.decode()
    assert page.count('class="progress-mark level-') == 3
    assert "progress-mark level-partly status-in_progress" in page
    assert "progress-mark level-achieved status-achieved" in page


def test_an_invalid_goal_or_review_is_refused(client, cast, case):
    client.force_login(cast.officer)
    response = client.post(url("goal_add", case), {"pathway": "astrology", "description": ""})
    assert response.status_code == 400
    assert set(response.context["goal_form"].errors) == {"pathway", "description"}
    goal = add_goal(cast.officer, case, pathway=pathway("health"), description="See a doctor")
    response = client.post(url("goal_review", case, goal_id=goal.pk), {"status": GoalStatus.ACHIEVED, "achievement": 9})
    assert response.status_code == 400
    assert goal.reviews.count() == 1


def test_a_goal_of_another_case_is_not_found(client, cast, case):
    other = open_case(cast, first_name="Timur", sex="male", officer=cast.officer)
    goal = add_goal(cast.officer, other, pathway=pathway("health"), description="See a doctor")
    client.force_login(cast.officer)
    response = client.post(
        url("goal_review", case, goal_id=goal.pk), {"status": GoalStatus.ACHIEVED, "achievement": Outcome.ACHIEVED}
    )
    assert response.status_code == 404
    assert goal.reviews.count() == 1


def test_overdue_goals_are_highlighted(client, cast, case):
    past = timezone.localdate() - datetime.timedelta(days=1)
    late = add_goal(cast.officer, case, pathway=pathway("health"), description="See a doctor", target_date=past)
    done = add_goal(cast.officer, case, pathway=pathway("legal-aid"), description="Get an ID card", target_date=past)
    review_goal(cast.officer, done, status=GoalStatus.ACHIEVED, achievement=Outcome.ACHIEVED)
    client.force_login(cast.officer)
    page = client.get(url("case_detail", case)).content.decode()
    assert f'class="goal goal-overdue" id="goal-{late.pk}"' in page
    assert f'class="goal" id="goal-{done.pk}"' in page


def test_a_check_in_is_marked_attended(client, cast, case):
    check_in = first_scheduled(case)
    client.force_login(cast.officer)
    data = {"status": "attended", "note": "Fine"}
    response = client.post(url("check_in_record", case, check_in_id=check_in.pk), data)
    assert response.status_code == 302
    check_in.refresh_from_db()
    assert (check_in.status, check_in.note, check_in.recorded_by) == (CheckInStatus.ATTENDED, "Fine", cast.officer)
    assert not Alert.objects.exists()


def test_a_missed_check_in_alerts_the_officer_and_the_offices_supervisor(client, cast, case):
    check_in = first_scheduled(case)
    client.force_login(cast.officer_2)  # anyone of the office may record it; the case's officer is alerted
    response = client.post(url("check_in_record", case, check_in_id=check_in.pk), {"status": "missed"})
    assert response.status_code == 302
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.MISSED
    alerts = Alert.objects.filter(check_in=check_in, kind=Alert.Kind.MISSED_CHECK_IN, case=case)
    assert set(alerts.values_list("user__username", flat=True)) == {"officer", "supervisor"}


def test_a_rescheduled_check_in_needs_a_new_date_and_books_it(client, cast, case):
    check_in = first_scheduled(case)
    record = url("check_in_record", case, check_in_id=check_in.pk)
    client.force_login(cast.officer)
    response = client.post(record, {"status": "rescheduled"})
    assert response.status_code == 400
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.SCHEDULED
    new_date = check_in.due_on + datetime.timedelta(days=3)
    assert client.post(record, {"status": "rescheduled", "rescheduled_to": new_date}).status_code == 302
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.RESCHEDULED
    assert case.check_ins.filter(due_on=new_date, status=CheckInStatus.SCHEDULED, from_template=False).exists()


def test_only_a_scheduled_check_in_can_be_recorded(client, cast, case):
    check_in = first_scheduled(case)
    record = url("check_in_record", case, check_in_id=check_in.pk)
    client.force_login(cast.officer)
    assert client.post(record, {"status": "attended"}).status_code == 302
    assert client.post(record, {"status": "missed"}).status_code == 404
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.ATTENDED


def test_a_check_in_is_added_by_hand(client, cast, case):
    client.force_login(cast.officer)
    day = datetime.date(2026, 4, 20)
    assert client.post(url("check_in_add", case), {"due_on": day, "note": "Family visit"}).status_code == 302
    added = case.check_ins.get(due_on=day)
    assert (added.status, added.from_template, added.note) == (CheckInStatus.SCHEDULED, False, "Family visit")
    assert client.post(url("check_in_add", case), {"due_on": "soon"}).status_code == 400
    assert case.check_ins.count() == 7


def test_goals_of_a_case_are_listed_only_on_it(client, cast, case):
    other = open_case(cast, first_name="Timur", sex="male", officer=cast.officer)
    add_goal(cast.officer, other, pathway=pathway("health"), description="Other person's goal")
    client.force_login(cast.officer)
    assert "Other person&#x27;s goal" not in client.get(url("case_detail", case)).content.decode()
    assert Goal.objects.count() == 1


def too_long(model, field: str) -> str:
    return "x" * (model._meta.get_field(field).max_length + 1)


def test_every_free_text_field_of_the_case_page_has_a_limit_named_in_its_error(client, cast, case):
    from aftercare.models import CheckIn, GoalReview

    client.force_login(cast.officer)
    goal = add_goal(cast.officer, case, pathway=pathway("health"), description="See a doctor")
    check_in = first_scheduled(case)
    posts = [
        (url("goal_add", case), Goal, "description", {"pathway": pathway("health").pk}),
        (
            url("goal_review", case, goal_id=goal.pk),
            GoalReview,
            "note",
            {"status": "in_progress", "achievement": Outcome.PARTLY},
        ),
        (url("check_in_add", case), CheckIn, "note", {"due_on": timezone.localdate().isoformat()}),
        (url("check_in_record", case, check_in_id=check_in.pk), CheckIn, "note", {"status": "attended"}),
    ]
    for target, model, field, data in posts:
        limit = model._meta.get_field(field).max_length

        response = client.post(target, {**data, field: too_long(model, field)})

        assert response.status_code == 400, target
        assert f"can be at most {limit} characters" in response.content.decode(), target
    assert goal.reviews.count() == 1
    assert case.goals.count() == 1
    check_in.refresh_from_db()
    assert check_in.status == CheckInStatus.SCHEDULED


def test_the_verbs_refuse_free_text_over_its_limit_whatever_the_caller(cast, case):
    from django.core.exceptions import ValidationError

    from aftercare.actions import add_check_in
    from aftercare.models import CheckIn

    goal = add_goal(cast.officer, case, pathway=pathway("health"), description="See a doctor")
    with pytest.raises(ValidationError) as long_goal:
        add_goal(cast.officer, case, pathway=pathway("health"), description=too_long(Goal, "description"))
    with pytest.raises(ValidationError) as long_review:
        review_goal(cast.officer, goal, status=GoalStatus.IN_PROGRESS, achievement=Outcome.PARTLY, note="x" * 100_000)
    with pytest.raises(ValidationError) as long_check_in:
        add_check_in(cast.officer, case, due_on=timezone.localdate(), note=too_long(CheckIn, "note"))

    assert "description" in long_goal.value.message_dict
    assert "note" in long_review.value.message_dict
    assert "note" in long_check_in.value.message_dict


@pytest.mark.parametrize("write", ["officer_assign", "goal_add", "check_in_add"])
def test_a_reader_who_may_not_change_the_case_gets_a_403_page_saying_so_and_one_audited_refusal(
    client, cast, case, write
):
    client.force_login(cast.social_worker)
    response = client.post(url(write, case), {"description": "See a doctor"})
    assert response.status_code == 403
    assert "Only the probation office of this case can change it." in response.content.decode()
    refusals = AuditEvent.objects.filter(actor=cast.social_worker, outcome=Decision.DENIED, object_id=str(case.pk))
    assert list(refusals.values_list("action", flat=True)) == ["access.refused"]
