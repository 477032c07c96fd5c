"""One password-reset flow for everyone: the portal's, throttled per address and per IP address,
with the same answer for a known, an unknown and a throttled request."""

import re

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail

from portal.foundation.models import AuditEvent, Decision

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return User.objects.create_user("staff", password="a-long-password-1", email="staff@example.org", is_staff=True)


def ask_for_a_reset(client, email: str, ip: str = "127.0.0.1"):
    return client.post("/accounts/password_reset/", {"email": email}, follow=True, REMOTE_ADDR=ip)


def without_csrf_tokens(response) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", response.content.decode())


@pytest.mark.parametrize("path", ["/admin/password_reset/", "/admin/password_reset/done/"])
def test_wagtails_own_reset_flow_is_closed(client, staff, path):
    assert client.get(path).status_code == 404
    assert client.post(path, {"email": "staff@example.org"}).status_code == 404
    assert mail.outbox == []


def test_one_address_gets_a_limited_number_of_links_then_the_same_answer_and_no_mail(client, staff):
    limit = settings.PASSWORD_RESET_LIMIT_PER_ADDRESS
    answers = [ask_for_a_reset(client, "staff@example.org", ip=f"192.0.2.{number}") for number in range(limit + 2)]

    assert len(mail.outbox) == limit
    assert {(answer.status_code, answer.redirect_chain[-1][0]) for answer in answers} == {
        (200, "/accounts/password_reset/done/")
    }
    assert len({without_csrf_tokens(answer) for answer in answers}) == 1


def test_the_address_is_counted_whatever_its_case(client, staff):
    for number in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS + 1):
        ask_for_a_reset(client, "Staff@Example.org" if number % 2 else "staff@example.org", ip=f"192.0.2.{number}")

    assert len(mail.outbox) == settings.PASSWORD_RESET_LIMIT_PER_ADDRESS


def test_one_ip_address_asking_for_many_addresses_is_throttled(client, db):
    limit = settings.PASSWORD_RESET_LIMIT_PER_IP
    for number in range(limit + 2):
        User.objects.create_user(f"staff{number}", password="a-long-password-1", email=f"staff{number}@example.org")

    answers = [ask_for_a_reset(client, f"staff{number}@example.org") for number in range(limit + 2)]

    assert len(mail.outbox) == limit
    assert len({without_csrf_tokens(answer) for answer in answers}) == 1
    assert ask_for_a_reset(client, "staff0@example.org", ip="198.51.100.1").status_code == 200
    assert len(mail.outbox) == limit + 1


def test_unknown_addresses_count_towards_the_ip_limit_too(client, staff):
    for number in range(settings.PASSWORD_RESET_LIMIT_PER_IP):
        ask_for_a_reset(client, f"nobody{number}@example.org")

    ask_for_a_reset(client, "staff@example.org")

    assert mail.outbox == []


def test_throttled_requests_are_audited_without_the_address(client, staff):
    for number in range(settings.PASSWORD_RESET_LIMIT_PER_ADDRESS + 1):
        ask_for_a_reset(client, "staff@example.org", ip=f"192.0.2.{number}")

    event = AuditEvent.objects.get(action="password_reset.throttled")
    assert (event.outcome, event.ip, event.actor) == (Decision.DENIED, f"192.0.2.{number}", None)
    assert "staff@example.org" not in str(event.detail)
