"""Signing in lands each role on its own start page; a forgotten password is reset by e-mail."""

import re

import pytest
from django.contrib.auth.models import User
from django.core import mail

from cso_directory.actions import add_membership
from portal.foundation.roles import Role
from tests.factories import make_organisation

PASSWORD = "a-long-password-1"


def member(username: str, organisation, role: Role) -> User:
    user = User.objects.create_user(username, password=PASSWORD, email=f"{username}@example.org")
    add_membership(user, organisation, role)
    return user


def without_csrf_tokens(response) -> str:
    """The page, less the one-time CSRF tokens of its forms (the language switcher's too)."""
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


def sign_in(client, username: str, next_url: str | None = None):
    data = {"username": username, "password": PASSWORD}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/accounts/login/", data)


@pytest.fixture
def organisations(db):
    return {
        "prison": make_organisation("KZ", title="Almaty Correctional Colony", kind="prison", regions=["KZ-75"]),
        "probation": make_organisation("KZ", title="Almaty Probation Office", kind="probation", regions=["KZ-75"]),
        "cso": make_organisation("KZ", title="Bright Futures", regions=["KZ-75"]),
    }


@pytest.mark.parametrize(
    ("organisation", "role", "start"),
    [
        ("prison", Role.PRISON_SOCIAL_WORKER, "/clients/"),
        ("cso", Role.CSO_CASEWORKER, "/inbox/"),
        ("probation", Role.PROBATION_OFFICER, "/caseload/"),
        ("probation", Role.PROBATION_SUPERVISOR, "/caseload/"),
        # Coordinators start on their country's overview; editors on the admin dashboard.
        ("cso", Role.NATIONAL_COORDINATOR, "/reporting/overview/"),
        ("cso", Role.CSO_EDITOR, "/admin/"),
    ],
)
def test_each_role_lands_on_its_own_start_page(client, organisations, organisation, role, start):
    member("staff", organisations[organisation], role)

    response = client.get(sign_in(client, "staff")["Location"])

    assert response.status_code == 302
    assert response["Location"] == start


def test_someone_without_a_role_lands_on_the_public_home_page(client, db):
    User.objects.create_user("visitor", password=PASSWORD)

    assert client.get(sign_in(client, "visitor")["Location"])["Location"] == "/"


def test_a_safe_next_wins_over_the_start_page(client, organisations):
    member("staff", organisations["cso"], Role.CSO_CASEWORKER)

    assert sign_in(client, "staff", next_url="/notifications/")["Location"] == "/notifications/"


def test_an_unsafe_next_is_ignored(client, organisations):
    member("staff", organisations["cso"], Role.CSO_CASEWORKER)

    landing = sign_in(client, "staff", next_url="https://evil.example.com/")["Location"]

    assert "evil" not in landing
    assert client.get(landing)["Location"] == "/inbox/"


def test_the_sign_in_page_links_to_the_password_reset(client, db):
    assert 'href="/accounts/password_reset/"' in client.get("/accounts/login/").content.decode()


def test_a_known_address_gets_a_reset_link_that_lets_the_person_choose_a_password(client, organisations):
    member("staff", organisations["cso"], Role.CSO_CASEWORKER)

    response = client.post("/accounts/password_reset/", {"email": "staff@example.org"})

    assert response.status_code == 302
    assert response["Location"] == "/accounts/password_reset/done/"
    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["staff@example.org"]
    assert "staff" in email.body
    link = re.search(r"https?://[^/\s]+(/accounts/reset/\S+/)", email.body)
    assert link is not None
    form_page = client.get(link.group(1), follow=True)
    assert "Choose your password" in form_page.content.decode()
    saved = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "another-long-password-2", "new_password2": "another-long-password-2"},
    )
    assert saved["Location"] == "/accounts/reset/done/"
    signed_in = client.post("/accounts/login/", {"username": "staff", "password": "another-long-password-2"})
    assert signed_in.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(username="staff").pk)


def test_an_unknown_address_sends_nothing_yet_answers_the_same(client, organisations):
    member("staff", organisations["cso"], Role.CSO_CASEWORKER)

    unknown = client.post("/accounts/password_reset/", {"email": "nobody@example.org"}, follow=True)
    assert mail.outbox == []
    known = client.post("/accounts/password_reset/", {"email": "staff@example.org"}, follow=True)
    assert len(mail.outbox) == 1

    assert unknown.redirect_chain == known.redirect_chain
    assert without_csrf_tokens(unknown) == without_csrf_tokens(known)
    assert "If an account uses this address" in without_csrf_tokens(unknown)
