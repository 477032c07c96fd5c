"""Every change an editor makes waits for approval by a coordinator of the same country."""

import pytest
from wagtail.models import WorkflowState

from cso_directory.models import CountryDirectoryPage
from tests.cso_directory.admin_cast import build_cast, organisation_form
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

NEW_TITLE = "Alpha Centre for Returning Families"
OLD_TITLE = "Alpha Reintegration Centre"


cast = shared_fixture(build_cast, name="cast")


@pytest.fixture
def submitted(client, cast):
    """The editor renames organisation A and submits it for moderation."""
    client.force_login(cast.editor)
    response = client.post(
        f"/admin/pages/{cast.org_a.pk}/edit/", {**organisation_form(cast.org_a, title=NEW_TITLE), "action-submit": "1"}
    )
    assert response.status_code == 302
    client.logout()
    return WorkflowState.objects.get(base_content_type__model="page", object_id=str(cast.org_a.pk))


def approve_url(workflow_state) -> str:
    task_state = workflow_state.current_task_state
    return f"/admin/pages/workflow/action/{workflow_state.object_id}/approve/{task_state.pk}/"


def public_page(client, cast) -> str:
    client.logout()
    response = client.get(cast.org_a.url)
    assert response.status_code == 200
    return response.content.decode()


def test_submission_starts_the_kazakh_workflow_and_leaves_the_live_page_alone(client, cast, submitted):
    kz_workflow = CountryDirectoryPage.objects.get(country="KZ").get_workflow()

    assert submitted.status == WorkflowState.STATUS_IN_PROGRESS
    assert submitted.workflow == kz_workflow
    cast.org_a.refresh_from_db()
    assert cast.org_a.title == OLD_TITLE
    content = public_page(client, cast)
    assert OLD_TITLE in content
    assert NEW_TITLE not in content


def test_kazakh_coordinator_approves_and_the_change_goes_live(client, cast, submitted):
    client.force_login(cast.kz_coordinator)

    response = client.post(approve_url(submitted), {"comment": ""})

    assert response.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == WorkflowState.STATUS_APPROVED
    cast.org_a.refresh_from_db()
    assert cast.org_a.title == NEW_TITLE
    assert NEW_TITLE in public_page(client, cast)


def test_iraqi_coordinator_cannot_approve(client, cast, submitted):
    client.force_login(cast.iq_coordinator)

    response = client.post(approve_url(submitted), {"comment": ""})

    # Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard.
    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    submitted.refresh_from_db()
    assert submitted.status == WorkflowState.STATUS_IN_PROGRESS
    cast.org_a.refresh_from_db()
    assert cast.org_a.title == OLD_TITLE
    assert NEW_TITLE not in public_page(client, cast)


def test_editor_cannot_approve_their_own_change(client, cast, submitted):
    client.force_login(cast.editor)

    response = client.post(approve_url(submitted), {"comment": ""})

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    submitted.refresh_from_db()
    assert submitted.status == WorkflowState.STATUS_IN_PROGRESS


def test_kazakh_coordinator_sees_the_task_on_their_dashboard_and_the_iraqi_does_not(client, cast, submitted):
    client.force_login(cast.kz_coordinator)
    kz_dashboard = client.get("/admin/").content.decode()
    client.force_login(cast.iq_coordinator)
    iq_dashboard = client.get("/admin/").content.decode()

    assert NEW_TITLE in kz_dashboard
    assert NEW_TITLE not in iq_dashboard
