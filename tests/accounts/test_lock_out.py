"""Guessing passwords: a few failures lock the username out from that address, on every sign-in path,
with the same answer whether or not the username exists; every attempt is audited."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import RequestFactory

from portal.foundation.models import AuditEvent, Decision

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"
WRONG = "not-the-password-at-all"


@pytest.fixture
def staff(db):
    return User.objects.create_user("staff", password=PASSWORD, email="staff@example.org", is_staff=True)


def attempt(client, username: str, password: str, path: str = "/accounts/login/", **headers):
    return client.post(path, {"username": username, "password": password}, headers=headers)


def signed_in_as(client) -> str | None:
    return client.session.get("_auth_user_id")


def neutral(response, username: str) -> str:
    """The page, less what is meant to differ: the one-time CSRF tokens and the username typed."""
    page = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())
    return page.replace(f'value="{username}"', 'value=""')


def test_thirty_wrong_passwords_then_the_right_one_does_not_sign_in(client, staff):
    for _ in range(30):
        attempt(client, "staff", WRONG)

    response = attempt(client, "staff", PASSWORD)

    assert signed_in_as(client) is None
    assert response.status_code == 429
    assert "Too many failed sign-ins" in response.content.decode()


def test_the_lock_out_starts_after_the_configured_number_of_failures(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert attempt(client, "staff", WRONG).status_code == 200

    assert attempt(client, "staff", WRONG).status_code == 429
    assert attempt(client, "staff", PASSWORD).status_code == 429
    assert signed_in_as(client) is None


def test_a_success_before_the_limit_starts_the_count_again(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "staff", WRONG)
    assert attempt(client, "staff", PASSWORD).status_code == 302
    client.logout()

    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        attempt(client, "staff", WRONG)

    assert attempt(client, "staff", PASSWORD).status_code == 302


def test_a_real_and_an_unknown_username_get_the_same_answers(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        real = attempt(client, "staff", WRONG)
        unknown = attempt(client, "nobody", WRONG)

        assert real.status_code == unknown.status_code
        assert neutral(real, "staff") == neutral(unknown, "nobody")
    assert real.status_code == 429


def test_a_forged_forwarded_for_header_does_not_escape_the_lock_out(client, staff):
    for number in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "staff", WRONG, x_forwarded_for=f"203.0.113.{number}")

    assert attempt(client, "staff", PASSWORD, x_forwarded_for="198.51.100.7").status_code == 429


def test_the_owner_signing_in_from_elsewhere_is_not_locked_out_by_an_attacker(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "staff", WRONG)

    response = client.post("/accounts/login/", {"username": "staff", "password": PASSWORD}, REMOTE_ADDR="192.0.2.44")

    assert response.status_code == 302


def test_the_wagtail_admin_sign_in_is_the_portal_s_own(client, staff):
    response = client.get("/admin/login/?next=/admin/pages/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/admin/pages/"


def test_posting_to_the_wagtail_admin_sign_in_signs_no_one_in(client, staff):
    response = attempt(client, "staff", PASSWORD, path="/admin/login/")

    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/"
    assert signed_in_as(client) is None


def test_authenticate_without_a_request_is_refused_rather_than_left_unthrottled(staff):
    from axes.exceptions import AxesBackendRequestParameterRequired
    from django.contrib.auth import authenticate

    with pytest.raises(AxesBackendRequestParameterRequired):
        authenticate(username="staff", password=PASSWORD)

    assert authenticate(RequestFactory().post("/accounts/login/"), username="staff", password=PASSWORD) == staff


def test_failures_lock_outs_and_sign_ins_are_audited_without_the_password(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        attempt(client, "nobody", WRONG)
    attempt(client, "staff", PASSWORD)

    failures = AuditEvent.objects.filter(action="sign_in.failed")
    assert failures.count() == settings.AXES_FAILURE_LIMIT
    assert {(event.actor_id, event.outcome, event.detail["username"], event.ip) for event in failures} == {
        (None, Decision.DENIED, "nobody", "127.0.0.1")
    }
    lock_out = AuditEvent.objects.get(action="sign_in.locked_out")
    assert (lock_out.outcome, lock_out.detail["username"]) == (Decision.DENIED, "nobody")
    signed_in = AuditEvent.objects.get(action="sign_in")
    assert (signed_in.actor, signed_in.object_id, signed_in.outcome) == (staff, str(staff.pk), Decision.ALLOWED)
    for event in AuditEvent.objects.all():
        assert WRONG not in str(event.detail)
        assert PASSWORD not in str(event.detail)
