"""Nobody gives themself a role that reads person data: such a grant waits, granting nothing,
until a second national coordinator of the country (or a superuser) approves it; audited."""

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.test import Client as HttpClient

from cso_directory.access import PERSON_DATA_ROLES
from cso_directory.actions import (
    add_membership,
    approve_membership_request,
    change_membership,
    invite_member,
    refuse_membership_request,
)
from cso_directory.models import Membership, MembershipRequest
from portal.foundation.models import AuditEvent
from portal.foundation.roles import Role
from tests.referrals.api_cast import build_cast, make_user, member
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_cast, name="cast")

MEMBERS = "/admin/members/"


def signed_in(user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


def clients_seen_by(user: User) -> int:
    return signed_in(user).get("/api/clients").json()["count"]


def ask_for_self(client: HttpClient, user: User, organisation, role: Role):
    """The probe's steps: /admin/members/new/, one's own username, a role in a prison."""
    return client.post(
        f"{MEMBERS}new/",
        {
            "username": user.username,
            "first_name": "",
            "last_name": "",
            "email": "",
            "organisation": organisation.pk,
            "role": role,
        },
    )


def second_coordinator(cast) -> User:
    return member("second-coordinator", cast.coordinator.memberships.get().organisation, Role.NATIONAL_COORDINATOR)


def audited(action: str) -> list[tuple]:
    return [
        (event.actor, event.detail["user"], event.detail["role"]) for event in AuditEvent.objects.filter(action=action)
    ]


def test_a_coordinator_giving_themself_a_prison_role_in_the_admin_reads_nothing_until_a_second_coordinator_approves(
    cast,
):
    second = second_coordinator(cast)
    requester = signed_in(cast.coordinator)
    assert clients_seen_by(cast.coordinator) == 0

    response = ask_for_self(requester, cast.coordinator, cast.prison, Role.PRISON_SOCIAL_WORKER)

    assert response.status_code == 302
    assert not Membership.objects.filter(user=cast.coordinator, organisation=cast.prison).exists()
    assert clients_seen_by(cast.coordinator) == 0
    pending = MembershipRequest.objects.get(user=cast.coordinator)
    assert audited("membership.request") == [(cast.coordinator, cast.coordinator.pk, Role.PRISON_SOCIAL_WORKER)]

    listing = requester.get(MEMBERS).content.decode()
    assert "Awaiting approval" in listing and "second-coordinator" in listing
    assert f"requests/{pending.pk}/approve/" not in listing
    refused = requester.post(f"{MEMBERS}requests/{pending.pk}/approve/")
    assert (refused.status_code, refused.url) == (302, "/admin/")  # the Wagtail admin's answer to PermissionDenied
    assert MembershipRequest.objects.filter(pk=pending.pk).exists()
    assert clients_seen_by(cast.coordinator) == 0

    approver = signed_in(second)
    assert f"requests/{pending.pk}/approve/" in approver.get(MEMBERS).content.decode()
    assert approver.post(f"{MEMBERS}requests/{pending.pk}/approve/").status_code == 302

    assert clients_seen_by(cast.coordinator) == 1
    assert not MembershipRequest.objects.exists()
    assert audited("membership.request.approve") == [(second, cast.coordinator.pk, Role.PRISON_SOCIAL_WORKER)]


def test_changing_ones_own_membership_into_a_prison_role_waits_for_approval(cast):
    second = second_coordinator(cast)
    own = cast.coordinator.memberships.get()
    requester = signed_in(cast.coordinator)

    response = requester.post(
        f"{MEMBERS}edit/{own.pk}/", {"organisation": cast.prison.pk, "role": Role.PRISON_SOCIAL_WORKER}
    )

    assert response.status_code == 302
    own.refresh_from_db()
    assert own.role == Role.NATIONAL_COORDINATOR
    assert clients_seen_by(cast.coordinator) == 0
    pending = MembershipRequest.objects.get(user=cast.coordinator)
    assert pending.membership == own

    signed_in(second).post(f"{MEMBERS}requests/{pending.pk}/approve/")

    own.refresh_from_db()
    assert (own.organisation_id, own.role) == (cast.prison.pk, Role.PRISON_SOCIAL_WORKER)
    assert clients_seen_by(cast.coordinator) == 1


def test_approving_a_change_into_a_membership_granted_meanwhile_keeps_both_as_they_are(cast):
    second = second_coordinator(cast)
    own = cast.coordinator.memberships.get()
    requested = change_membership(own, organisation=cast.prison, role=Role.PRISON_SOCIAL_WORKER, actor=cast.coordinator)
    granted = add_membership(cast.coordinator, cast.prison, Role.PRISON_SOCIAL_WORKER, actor=second)

    approved = approve_membership_request(requested, actor=second)

    own.refresh_from_db()
    assert approved == granted
    assert own.role == Role.NATIONAL_COORDINATOR
    assert not MembershipRequest.objects.exists()
    assert audited("membership.request.approve") == [(second, cast.coordinator.pk, Role.PRISON_SOCIAL_WORKER)]


def test_a_refused_request_grants_nothing_and_is_audited(cast):
    second = second_coordinator(cast)
    ask_for_self(signed_in(cast.coordinator), cast.coordinator, cast.prison, Role.PRISON_SOCIAL_WORKER)
    pending = MembershipRequest.objects.get()

    response = signed_in(second).post(f"{MEMBERS}requests/{pending.pk}/refuse/")

    assert response.status_code == 302
    assert not MembershipRequest.objects.exists()
    assert clients_seen_by(cast.coordinator) == 0
    assert audited("membership.request.refuse") == [(second, cast.coordinator.pk, Role.PRISON_SOCIAL_WORKER)]


def test_a_superuser_may_approve_and_another_countrys_coordinator_sees_nothing(cast):
    request = invite_member(
        username=cast.coordinator.username,
        organisation=cast.prison,
        role=Role.PRISON_SOCIAL_WORKER,
        actor=cast.coordinator,
    )
    iraqi = member("iq-coordinator", cast.foreign_user.memberships.get().organisation, Role.NATIONAL_COORDINATOR)

    foreign = signed_in(iraqi)
    assert "Awaiting approval" not in foreign.get(MEMBERS).content.decode()
    assert foreign.post(f"{MEMBERS}requests/{request.pk}/approve/").status_code == 404
    assert clients_seen_by(cast.coordinator) == 0

    superuser = User.objects.create_superuser("root", "root@example.org")
    assert signed_in(superuser).post(f"{MEMBERS}requests/{request.pk}/approve/").status_code == 302
    assert clients_seen_by(cast.coordinator) == 1


@pytest.mark.parametrize("role", sorted(PERSON_DATA_ROLES))
def test_the_actions_never_let_anyone_grant_themself_a_role_that_reads_person_data(cast, role):
    organisation = cast.prison

    with pytest.raises(PermissionDenied):
        add_membership(cast.coordinator, organisation, role, actor=cast.coordinator)
    requested = invite_member(
        username=cast.coordinator.username, organisation=organisation, role=role, actor=cast.coordinator
    )

    assert isinstance(requested, MembershipRequest)
    assert not Membership.objects.filter(user=cast.coordinator, role=role).exists()
    with pytest.raises(PermissionDenied):
        approve_membership_request(requested, actor=cast.coordinator)
    with pytest.raises(PermissionDenied):
        refuse_membership_request(requested, actor=cast.coordinator)
    with pytest.raises(PermissionDenied):
        approve_membership_request(requested, actor=cast.social_worker)  # not a coordinator
    assert MembershipRequest.objects.filter(pk=requested.pk).exists()


def test_a_self_requested_change_keeps_the_membership_as_it_is(cast):
    own = cast.coordinator.memberships.get()

    requested = change_membership(own, organisation=cast.cso, role=Role.CSO_CASEWORKER, actor=cast.coordinator)

    assert isinstance(requested, MembershipRequest)
    own.refresh_from_db()
    assert (own.organisation_id, own.role) == (requested.membership.organisation_id, Role.NATIONAL_COORDINATOR)


def test_roles_that_read_no_person_data_and_grants_to_others_are_not_held_back(cast):
    editor_role = invite_member(
        username=cast.coordinator.username, organisation=cast.cso, role=Role.CSO_EDITOR, actor=cast.coordinator
    )
    newcomer = make_user("newcomer")
    granted = invite_member(
        username=newcomer.username, organisation=cast.prison, role=Role.PRISON_SOCIAL_WORKER, actor=cast.coordinator
    )

    assert isinstance(editor_role, Membership) and isinstance(granted, Membership)
    assert clients_seen_by(newcomer) == 1
    assert not MembershipRequest.objects.exists()


def test_the_person_data_roles_are_every_role_but_editing_coordinating_and_viewing_figures():
    assert set(Role) - PERSON_DATA_ROLES == {Role.CSO_EDITOR, Role.NATIONAL_COORDINATOR, Role.INTERNATIONAL_VIEWER}


def test_the_members_list_costs_the_same_queries_however_many_requests_await(cast, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    second = second_coordinator(cast)
    approver = signed_in(second)

    def queries_of_the_list() -> int:
        with CaptureQueriesContext(connection) as context:
            assert approver.get(MEMBERS).status_code == 200
        return len(context)

    invite_member(
        username=cast.coordinator.username,
        organisation=cast.prison,
        role=Role.PRISON_SOCIAL_WORKER,
        actor=cast.coordinator,
    )
    one = queries_of_the_list()
    for number in range(3):
        worker = make_user(f"asker-{number}")  # no membership: the list of members stays as it was
        invite_member(username=worker.username, organisation=cast.cso, role=Role.CSO_CASEWORKER, actor=worker)

    assert MembershipRequest.objects.count() == 4
    with django_assert_num_queries(one):
        assert approver.get(MEMBERS).status_code == 200


@pytest.mark.django_db(transaction=True)
def test_in_the_browser_the_second_coordinator_sees_the_request_and_approves_it(live_server, page):
    from playwright.sync_api import expect

    from tests.factories import make_organisation

    password = "a-long-password-1"
    office = make_organisation("KZ", title="National coordination office", kind="coordination")
    prison = make_organisation("KZ", title="Almaty women's colony", kind="prison")
    requester = User.objects.create_user("first-coordinator", password=password)
    second = User.objects.create_user("second-coordinator", password=password)
    for coordinator in (requester, second):
        add_membership(coordinator, office, Role.NATIONAL_COORDINATOR)
    invite_member(username=requester.username, organisation=prison, role=Role.PRISON_SOCIAL_WORKER, actor=requester)

    def sign_in(user: User) -> None:
        page.context.clear_cookies()
        page.goto(f"{live_server.url}/accounts/login/?next=/admin/members/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_url("**/admin/members/")

    sign_in(requester)
    row = page.locator("tr.membership-request")
    expect(page.get_by_role("heading", name="Awaiting approval")).to_be_visible()
    expect(row).to_contain_text("Prison social worker")
    expect(row.locator(".approvers")).to_have_text("second-coordinator; or a superuser")
    expect(row).to_contain_text("Waiting for another coordinator")
    expect(row.get_by_role("button", name="Approve")).to_have_count(0)

    sign_in(second)
    approve = page.locator("tr.membership-request").get_by_role("button", name="Approve")
    expect(approve).to_be_visible()
    approve.click()
    expect(page.get_by_text("first-coordinator is now Prison social worker in Almaty women's colony.")).to_be_visible()
    expect(page.locator("tr.membership-request")).to_have_count(0)
    assert Membership.objects.filter(user=requester, organisation=prison, role=Role.PRISON_SOCIAL_WORKER).exists()
