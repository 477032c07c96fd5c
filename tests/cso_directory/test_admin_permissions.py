"""The Wagtail admin: editors edit only their own organisation; coordinators manage their country's members."""

import re
from io import BytesIO

import pytest
from django.contrib.auth.models import User
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images.models import Image
from wagtail.models import GroupPagePermission
from wagtail.test.utils.form_data import inline_formset, nested_form_data

from cso_directory.actions import add_membership, remove_membership
from cso_directory.models import CountryDirectoryPage, DirectoryIndexPage, Membership
from cso_directory.site_tree import LOGO_COLLECTION
from portal.foundation.models import AuditEvent
from portal.foundation.roles import Role
from tests.cso_directory.admin_cast import IQ_CANARY, build_cast, make_user, organisation_form
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

MEMBERS = "/admin/members/"
ADMIN_HOME = "/admin/"
NEW_PASSWORD = "a long passphrase for the portal"


cast = shared_fixture(build_cast, name="cast")


def edit_url(page) -> str:
    return f"/admin/pages/{page.pk}/edit/"


def signed_in(client, user):
    client.force_login(user)
    return client


def invitation(organisation, **changes) -> dict:
    return {
        "username": "new-editor",
        "first_name": "Aigerim",
        "last_name": "Nurlanovna",
        "email": "aigerim@example.org",
        "organisation": organisation.pk,
        "role": Role.CSO_EDITOR,
        **changes,
    }


def png_upload() -> SimpleUploadedFile:
    buffer = BytesIO()
    PILImage.new("RGB", (8, 8), "teal").save(buffer, "PNG")
    return SimpleUploadedFile("logo.png", buffer.getvalue(), content_type="image/png")


# Editors and pages


def test_editor_opens_the_edit_views_of_their_organisation_and_its_service(client, cast):
    signed_in(client, cast.editor)

    assert client.get(edit_url(cast.org_a)).status_code == 200
    assert client.get(edit_url(cast.service_a)).status_code == 200


@pytest.mark.parametrize("organisation", ["org_b", "iq_org"])
def test_editor_is_turned_away_from_other_organisations(client, cast, organisation):
    signed_in(client, cast.editor)

    response = client.get(edit_url(getattr(cast, organisation)))

    # Wagtail answers a PermissionDenied in its admin with a redirect to the dashboard.
    assert response.status_code == 302
    assert response["Location"] == ADMIN_HOME


def test_editor_cannot_save_another_organisations_page(client, cast):
    signed_in(client, cast.editor)

    response = client.post(edit_url(cast.org_b), organisation_form(cast.org_b, title="Hijacked"))

    assert response.status_code == 302
    cast.org_b.refresh_from_db()
    assert cast.org_b.title == "Bravo Family House"
    assert cast.org_b.get_latest_revision().content["title"] == "Bravo Family House"


def test_editor_cannot_publish(client, cast):
    signed_in(client, cast.editor)

    response = client.post(
        edit_url(cast.org_a), {**organisation_form(cast.org_a, title="Alpha, renamed"), "action-publish": "1"}
    )

    assert response.status_code == 302
    cast.org_a.refresh_from_db()
    assert cast.org_a.title == "Alpha Reintegration Centre"
    assert cast.org_a.has_unpublished_changes
    assert cast.org_a.get_latest_revision().content["title"] == "Alpha, renamed"


def test_exploring_the_country_takes_the_editor_to_their_organisation(client, cast):
    signed_in(client, cast.editor)

    response = client.get(f"/admin/pages/{cast.org_a.get_parent().pk}/")

    assert response.status_code == 302
    assert response["Location"] == f"/admin/pages/{cast.org_a.pk}/"


def test_editor_uploads_a_logo_into_the_logo_collection(client, cast):
    signed_in(client, cast.editor)

    chooser = client.get("/admin/images/chooser/")
    response = client.post("/admin/images/add/", {"title": "Alpha logo", "file": png_upload()})

    assert chooser.status_code == 200
    assert response.status_code == 302
    assert Image.objects.get(title="Alpha logo").collection.name == LOGO_COLLECTION


def test_outsider_has_no_admin(client, cast):
    signed_in(client, cast.outsider)

    response = client.get(edit_url(cast.org_a))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_removing_an_editors_membership_denies_the_very_next_request(client, cast):
    signed_in(client, cast.editor)
    assert client.get(edit_url(cast.org_a)).status_code == 200

    remove_membership(cast.editor_membership)
    response = client.get(edit_url(cast.org_a))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# Coordinators and members


def test_members_area_is_for_coordinators_only(client, cast):
    signed_in(client, cast.editor)

    response = client.get(MEMBERS)
    dashboard = client.get(ADMIN_HOME)

    assert response.status_code == 302
    assert response["Location"] == ADMIN_HOME
    assert MEMBERS not in dashboard.content.decode()


def test_coordinator_lists_only_their_countrys_members(client, cast):
    signed_in(client, cast.kz_coordinator)

    response = client.get(MEMBERS)

    content = response.content.decode()
    assert response.status_code == 200
    assert "kz-editor" in content
    assert content.count(IQ_CANARY) == 0
    assert MEMBERS in client.get(ADMIN_HOME).content.decode()


def test_superuser_lists_the_members_of_every_country(client, cast):
    signed_in(client, User.objects.create_superuser("root", "root@example.org"))

    response = client.get(MEMBERS)

    assert IQ_CANARY in response.content.decode()
    assert "kz-editor" in response.content.decode()


def test_members_listing_takes_the_same_queries_for_more_members(client, cast):
    signed_in(client, cast.kz_coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get(MEMBERS)
    for number in range(3):
        add_membership(make_user(f"kz-caseworker-{number}"), cast.org_b, Role.CSO_CASEWORKER)

    with CaptureQueriesContext(connection) as more:
        response = client.get(MEMBERS)

    assert "kz-caseworker-2" in response.content.decode()
    assert len(more) == len(few)


def test_coordinator_searching_finds_no_member_of_another_country(client, cast):
    signed_in(client, cast.kz_coordinator)

    canary_search = client.get(f"{MEMBERS}results/", {"q": "canary"})
    editor_search = client.get(f"{MEMBERS}results/", {"q": "editor"})

    assert canary_search.status_code == 200
    assert canary_search.content.decode().count(IQ_CANARY) == 0
    assert "kz-editor" in editor_search.content.decode()
    assert "kz-coordinator" not in editor_search.content.decode()


@pytest.mark.parametrize("view", ["edit", "delete", "history", "usage"])
def test_another_countrys_membership_answers_404(client, cast, view):
    signed_in(client, cast.kz_coordinator)

    response = client.get(f"{MEMBERS}{view}/{cast.iq_member.pk}/")

    assert response.status_code == 404


def test_deleting_another_countrys_membership_answers_404_and_keeps_it(client, cast):
    signed_in(client, cast.kz_coordinator)

    response = client.post(f"{MEMBERS}delete/{cast.iq_member.pk}/")

    assert response.status_code == 404
    assert Membership.objects.filter(pk=cast.iq_member.pk).exists()


def test_coordinator_opens_and_changes_a_membership_of_their_country(client, cast):
    signed_in(client, cast.kz_coordinator)
    url = f"{MEMBERS}edit/{cast.editor_membership.pk}/"

    page = client.get(url)
    response = client.post(url, {"organisation": cast.org_b.pk, "role": Role.CSO_EDITOR})

    assert page.status_code == 200
    assert response.status_code == 302
    cast.org_a.refresh_from_db()
    cast.org_b.refresh_from_db()
    assert cast.editor.groups.filter(pk=cast.org_b.editors_id).exists()
    assert not cast.editor.groups.filter(pk=cast.org_a.editors_id).exists()


def test_coordinator_cannot_move_a_membership_to_another_country(client, cast):
    signed_in(client, cast.kz_coordinator)

    response = client.post(
        f"{MEMBERS}edit/{cast.editor_membership.pk}/", {"organisation": cast.iq_org.pk, "role": Role.CSO_EDITOR}
    )

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    cast.editor_membership.refresh_from_db()
    assert cast.editor_membership.organisation_id == cast.org_a.pk


def test_creating_a_member_of_another_countrys_organisation_is_refused(client, cast):
    signed_in(client, cast.kz_coordinator)

    response = client.post(f"{MEMBERS}new/", invitation(cast.iq_org))

    assert response.status_code == 200
    assert "organisation" in response.context["form"].errors
    assert not User.objects.filter(username="new-editor").exists()
    assert len(mail.outbox) == 0


def test_adding_a_user_of_another_country_is_refused_with_a_clear_message(client, cast):
    signed_in(client, cast.kz_coordinator)

    response = client.post(f"{MEMBERS}new/", invitation(cast.org_a, username=IQ_CANARY))

    assert response.status_code == 200
    assert response.context["form"].errors["username"] == [
        f"The user {IQ_CANARY} is managed outside your country, so you cannot add them here."
    ]
    assert not Membership.objects.filter(user__username=IQ_CANARY, organisation=cast.org_a).exists()


def test_adding_a_superuser_is_refused(client, cast):
    User.objects.create_superuser("root", "root@example.org")
    signed_in(client, cast.kz_coordinator)

    response = client.post(f"{MEMBERS}new/", invitation(cast.org_a, username="root"))

    assert response.status_code == 200
    assert "username" in response.context["form"].errors
    assert not Membership.objects.filter(user__username="root").exists()


def test_inviting_a_new_user_creates_them_and_emails_one_password_link(
    client, cast, django_capture_on_commit_callbacks
):
    signed_in(client, cast.kz_coordinator)
    form = client.get(f"{MEMBERS}new/")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(f"{MEMBERS}new/", invitation(cast.org_a))

    assert form.status_code == 200
    assert list(form.context["form"].fields["organisation"].queryset) == [cast.org_a, cast.org_b, cast.kz_office]
    assert response.status_code == 302
    user = User.objects.get(username="new-editor")
    assert not user.has_usable_password()
    assert (user.first_name, user.last_name, user.email) == ("Aigerim", "Nurlanovna", "aigerim@example.org")
    assert Membership.objects.filter(user=user, organisation=cast.org_a, role=Role.CSO_EDITOR).exists()
    cast.org_a.refresh_from_db()
    assert user.groups.filter(pk=cast.org_a.editors_id).exists()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["aigerim@example.org"]
    link = re.search(r"https?://\S+(/accounts/reset/\S+/)", mail.outbox[0].body)
    assert link is not None


def test_the_invitation_link_sets_a_password_once(client, cast, django_capture_on_commit_callbacks):
    signed_in(client, cast.kz_coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(f"{MEMBERS}new/", invitation(cast.org_a))
    link = re.search(r"https?://\S+(/accounts/reset/\S+/)", mail.outbox[0].body).group(1)
    client.logout()

    # Django swaps the token in the link for one kept in the session, then shows the form there.
    form = client.get(link, follow=True)
    saved = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    second_use = client.get(link, follow=True)

    assert form.context["validlink"] is True
    assert saved.status_code == 302
    assert User.objects.get(username="new-editor").check_password(NEW_PASSWORD)
    assert second_use.context["validlink"] is False


def test_new_user_needs_an_email(client, cast):
    signed_in(client, cast.kz_coordinator)

    response = client.post(f"{MEMBERS}new/", invitation(cast.org_a, email=""))

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert not User.objects.filter(username="new-editor").exists()


def test_existing_user_of_the_country_gets_a_membership_and_no_email(client, cast, django_capture_on_commit_callbacks):
    signed_in(client, cast.kz_coordinator)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            f"{MEMBERS}new/", invitation(cast.org_b, username="kz-editor", email="attacker@example.org")
        )

    assert response.status_code == 302
    assert Membership.objects.filter(user=cast.editor, organisation=cast.org_b, role=Role.CSO_EDITOR).exists()
    cast.editor.refresh_from_db()
    assert cast.editor.email == "kz-editor@example.org"
    assert len(mail.outbox) == 0


def test_user_without_memberships_can_be_added(client, cast):
    signed_in(client, cast.kz_coordinator)

    response = client.post(f"{MEMBERS}new/", invitation(cast.org_a, username="outsider", role=Role.CSO_CASEWORKER))

    assert response.status_code == 302
    assert Membership.objects.filter(user=cast.outsider, organisation=cast.org_a).exists()


def test_duplicate_membership_is_refused(client, cast):
    signed_in(client, cast.kz_coordinator)

    response = client.post(f"{MEMBERS}new/", invitation(cast.org_a, username="kz-editor"))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["kz-editor already has this role in this organisation."]


def test_coordinator_removes_a_membership_and_its_edit_rights(client, cast):
    signed_in(client, cast.kz_coordinator)

    response = client.post(f"{MEMBERS}delete/{cast.editor_membership.pk}/")

    assert response.status_code == 302
    assert not Membership.objects.filter(pk=cast.editor_membership.pk).exists()
    assert not cast.editor.groups.exists()


def test_iq_coordinator_cannot_edit_kazakh_pages(client, cast):
    signed_in(client, cast.iq_coordinator)

    response = client.get(edit_url(cast.org_a))

    assert response.status_code == 302
    assert response["Location"] == ADMIN_HOME


def test_a_country_page_made_in_the_admin_gets_its_coordinators_and_workflow(client):
    CountryDirectoryPage.objects.get(country="TJ").delete()
    directory = DirectoryIndexPage.objects.get()
    signed_in(client, User.objects.create_superuser("root", "root@example.org"))

    response = client.post(
        f"/admin/pages/add/cso_directory/countrydirectorypage/{directory.pk}/",
        nested_form_data({"title": "Tajikistan", "slug": "tj", "country": "TJ", "comments": inline_formset([])}),
    )

    assert response.status_code == 302
    page = CountryDirectoryPage.objects.get(country="TJ")
    assert page.coordinators.name == "Coordinators TJ"
    assert page.get_workflow().tasks.get().specific.groups.get() == page.coordinators
    assert GroupPagePermission.objects.filter(group=page.coordinators, page=page).count() == 3


def test_a_membership_changed_in_the_admin_is_audited_naming_the_coordinator(client, cast):
    signed_in(client, cast.kz_coordinator)
    membership = cast.editor_membership

    response = client.post(f"{MEMBERS}edit/{membership.pk}/", {"organisation": cast.org_b.pk, "role": Role.CSO_EDITOR})

    assert response.status_code == 302
    changes = AuditEvent.objects.filter(action="membership.change", object_id=str(membership.pk))
    assert list(changes.values_list("actor", "channel")) == [(cast.kz_coordinator.pk, "web")]
