"""A CSO changes its service's capacity at once, audited; only coordinators change an organisation's kind."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cso_directory.actions import add_membership, set_service_capacity
from cso_directory.models import OrganisationPage, ServicePage
from portal.foundation.models import AuditEvent
from portal.foundation.roles import Role
from tests.cso_directory.admin_cast import build_cast, make_user, organisation_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def cast():
    return build_cast()


def capacity_url(service) -> str:
    return f"/admin/directory/services/{service.pk}/capacity/"


def live(service) -> ServicePage:
    return ServicePage.objects.get(pk=service.pk)


def test_an_editor_sets_the_capacity_at_once_without_publishing_pending_changes(client, cast):
    service = cast.service_a
    service.description = "A draft nobody approved yet."
    service.save_revision(user=cast.editor)
    client.force_login(cast.editor)

    form = client.get(capacity_url(service))
    assert form.status_code == 200
    assert "Literacy classes" in form.content.decode()
    response = client.post(capacity_url(service), {"capacity": "full"})

    assert response.status_code == 302
    service = live(service)
    assert service.capacity == "full"
    assert service.description == "Literacy classes for adults."
    assert service.has_unpublished_changes
    latest = service.get_latest_revision().content
    assert latest["capacity"] == "full"
    assert latest["description"] == "A draft nobody approved yet."
    event = AuditEvent.objects.get(action="directory.service_capacity_set")
    assert event.actor == cast.editor
    assert event.object_id == str(service.pk)
    assert event.detail == {"previous": "accepting", "capacity": "full"}


def test_the_editor_finds_the_capacity_form_in_the_admin(client, cast):
    client.force_login(cast.editor)
    body = client.get(f"/admin/pages/{cast.org_a.pk}/").content.decode()
    assert capacity_url(cast.service_a) in body


def test_the_countrys_coordinator_may_set_the_capacity(cast):
    set_service_capacity(cast.kz_coordinator, cast.service_a, "waitlist")
    assert live(cast.service_a).capacity == "waitlist"


def test_another_organisations_editor_gets_404_and_changes_nothing(client, cast):
    other_editor = make_user("bravo-editor")
    add_membership(other_editor, cast.org_b, Role.CSO_EDITOR)
    for user in (other_editor, cast.iq_coordinator):
        client.force_login(user)
        assert client.get(capacity_url(cast.service_a)).status_code == 404
        assert client.post(capacity_url(cast.service_a), {"capacity": "full"}).status_code == 404
    assert live(cast.service_a).capacity == "accepting"
    assert not AuditEvent.objects.filter(action="directory.service_capacity_set").exists()


def test_the_verb_refuses_outsiders_and_unknown_capacities(cast):
    with pytest.raises(PermissionDenied):
        set_service_capacity(cast.outsider, cast.service_a, "full")
    with pytest.raises(ValidationError):
        set_service_capacity(cast.editor, cast.service_a, "overflowing")
    assert live(cast.service_a).capacity == "accepting"


def test_a_user_without_admin_access_cannot_reach_the_form(client, cast):
    client.force_login(cast.outsider)
    response = client.post(capacity_url(cast.service_a), {"capacity": "full"})
    assert response.status_code in (302, 403, 404)
    assert live(cast.service_a).capacity == "accepting"


def test_an_editor_cannot_change_the_organisations_kind(client, cast):
    client.force_login(cast.editor)
    edit_url = f"/admin/pages/{cast.org_a.pk}/edit/"
    form = client.get(edit_url).context["form"]
    assert form.fields["kind"].disabled

    response = client.post(edit_url, organisation_form(cast.org_a, kind="prison", title="Alpha, renamed"))

    assert response.status_code == 302
    latest = OrganisationPage.objects.get(pk=cast.org_a.pk).get_latest_revision().content
    assert latest["title"] == "Alpha, renamed"
    assert latest["kind"] == "cso"


def test_the_coordinator_changes_the_kind(client, cast):
    client.force_login(cast.kz_coordinator)
    edit_url = f"/admin/pages/{cast.org_a.pk}/edit/"
    assert not client.get(edit_url).context["form"].fields["kind"].disabled
    client.post(edit_url, organisation_form(cast.org_a, kind="probation"))
    assert OrganisationPage.objects.get(pk=cast.org_a.pk).get_latest_revision().content["kind"] == "probation"
