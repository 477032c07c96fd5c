"""One vocabulary: a goal's pathway is the pathway term its needs use, a goal answers a need, one outcome scale."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from aftercare.actions import add_goal, review_goal
from aftercare.models import GoalStatus
from referrals.actions import set_need
from referrals.models import Outcome, Priority
from tests.aftercare.supervision_cast import build_cast, open_case
from tests.factories import pathway

pytestmark = pytest.mark.django_db

# The values the goal fields held before they used the pathway taxonomy and the shared outcome.
OLD_PATHWAYS = {"accommodation", "education_work", "family", "finance_documents", "health", "legal", "attitudes"}
OLD_ACHIEVEMENTS = {0, 1, 2, 3, 4}
OLD_STATUSES = {"not_started", "in_progress", "achieved", "not_achieved"}

MIGRATION = "0004_goal_pathway_and_outcome_values"
migration = importlib.import_module(f"aftercare.migrations.{MIGRATION}")


@pytest.fixture
def cast():
    return build_cast()


@pytest.fixture
def case(cast):
    return open_case(cast, officer=cast.officer)


def goal_add(case) -> str:
    return reverse("aftercare:goal_add", kwargs={"pk": case.pk})


def test_a_goal_can_be_linked_to_the_need_it_answers(client, cast, case):
    need = set_need(cast.social_worker, case.client, category=pathway("housing"), priority=Priority.HIGH)
    client.force_login(cast.officer)
    form_page = client.get(reverse("aftercare:case_detail", kwargs={"pk": case.pk})).content.decode()
    assert f'<option value="{need.pk}">' in form_page
    data = {"pathway": pathway("housing").pk, "need": need.pk, "description": "Find a room"}
    assert client.post(goal_add(case), data).status_code == 302
    goal = case.goals.get()
    assert (goal.pathway, goal.need) == (pathway("housing"), need)
    assert list(need.goals.all()) == [goal]
    page = client.get(reverse("aftercare:case_detail", kwargs={"pk": case.pk})).content.decode()
    assert "Answers the need: Housing (High)" in page


def test_a_goal_answers_only_a_need_of_its_client_and_its_pathway(client, cast, case):
    other = open_case(cast, first_name="Timur", sex="male", officer=cast.officer)
    foreign = set_need(cast.social_worker, other.client, category=pathway("housing"), priority=Priority.HIGH)
    with pytest.raises(ValidationError) as refused:
        add_goal(cast.officer, case, pathway=pathway("housing"), need=foreign, description="Find a room")
    assert set(refused.value.message_dict) == {"need"}
    own = set_need(cast.social_worker, case.client, category=pathway("health"), priority=Priority.LOW)
    with pytest.raises(ValidationError) as refused:
        add_goal(cast.officer, case, pathway=pathway("housing"), need=own, description="Find a room")
    assert set(refused.value.message_dict) == {"need"}
    client.force_login(cast.officer)
    response = client.post(goal_add(case), {"pathway": pathway("housing").pk, "need": foreign.pk, "description": "x"})
    assert response.status_code == 400
    assert set(response.context["goal_form"].errors) == {"need"}
    assert not case.goals.exists()


def test_goal_achievement_uses_the_referral_outcome(cast, case):
    goal = add_goal(cast.officer, case, pathway=pathway("health"), description="See a doctor")
    assert goal.achievement == ""
    goal = review_goal(cast.officer, goal, status=GoalStatus.IN_PROGRESS, achievement=Outcome.PARTLY)
    assert list(goal.reviews.values_list("achievement", flat=True)) == ["", Outcome.PARTLY]
    with pytest.raises(ValidationError):
        review_goal(cast.officer, goal, status=GoalStatus.ACHIEVED, achievement="4")


def test_the_migration_maps_every_old_pathway_to_a_pathway_term():
    assert set(migration.PATHWAY_TERMS) == OLD_PATHWAYS
    for code in migration.PATHWAY_TERMS.values():
        assert pathway(code).code == code
    for term in migration.OLD_PATHWAYS_OF_TERMS:
        assert pathway(term)
    assert set(migration.OLD_PATHWAYS_OF_TERMS.values()) <= OLD_PATHWAYS


def test_the_migration_maps_every_old_achievement_to_an_outcome():
    outcomes = {migration.outcome_of(level, status) for level in OLD_ACHIEVEMENTS for status in OLD_STATUSES}
    assert outcomes == {"", *Outcome.values}
    assert migration.outcome_of(4, "achieved") == Outcome.ACHIEVED
    assert migration.outcome_of(2, "in_progress") == Outcome.PARTLY
    assert migration.outcome_of(0, "not_started") == ""
    assert migration.outcome_of(0, "not_achieved") == Outcome.NOT_ACHIEVED


@pytest.mark.django_db(transaction=True)
def test_the_migration_moves_existing_goals_and_reviews_forward(cast):
    case = open_case(cast, officer=cast.officer)
    before, after = (
        [("aftercare", "0002_free_text_limits")],
        [("aftercare", "0005_goal_drop_old_pathway_and_achievement")],
    )
    executor = MigrationExecutor(connection)
    executor.migrate(before)
    old = executor.loader.project_state(before).apps
    goal = old.get_model("aftercare", "Goal").objects.create(
        case_id=case.pk, pathway="finance_documents", description="ID card", status="in_progress", achievement=3
    )
    old.get_model("aftercare", "GoalReview").objects.create(
        goal_id=goal.pk, status="not_achieved", achievement=0, reviewed_by_id=cast.officer.pk
    )
    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    moved = new.get_model("aftercare", "Goal").objects.get(pk=goal.pk)
    assert (moved.pathway_id, moved.achievement, moved.need_id) == (pathway("legal-aid").pk, Outcome.PARTLY, None)
    review = new.get_model("aftercare", "GoalReview").objects.get(goal_id=goal.pk)
    assert review.achievement == Outcome.NOT_ACHIEVED
