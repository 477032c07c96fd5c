"""An action whose audit event cannot be written does not happen, and a read that cannot be
audited shows nothing: on the pages and in the API alike.

A trigger made for the test refuses to insert audit events of one action, as a full disk or a
revoked privilege would; it is rolled back with the test's transaction.
"""

import uuid

import pytest
from django.db import connection
from django.test import Client as HttpClient

from aftercare.models import CaseNote
from referrals.models import Referral, ReferralEvent, ReferralStatus
from tests.aftercare.notes_cast import CANARY_LAST_NAME, build_team
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

team = shared_fixture(build_team, name="team")
LOST_NOTE = "This note must not be stored."


def refuse_audit_of(action: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            """
            CREATE FUNCTION pg_temp.refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$
            BEGIN RAISE EXCEPTION 'the audit store is unavailable'; END; $$;
            """
        )
        cursor.execute(
            """
            CREATE TRIGGER refuse_audit BEFORE INSERT ON portal_auditevent FOR EACH ROW
            WHEN (NEW.action = %s) EXECUTE FUNCTION pg_temp.refuse_audit();
            """,
            [action],
        )


def signed_in(user) -> HttpClient:
    """Errors answer as they would in production: a 500 page, not an exception in the test."""
    http = HttpClient(raise_request_exception=False)
    http.force_login(user)
    return http


def test_a_note_whose_audit_fails_is_not_stored_from_the_page(team):
    refuse_audit_of("case_note.add")

    response = signed_in(team.social_worker).post(
        f"/clients/{team.client.pk}/notes/", {"body": LOST_NOTE, "visibility": "team", "idempotency_key": uuid.uuid4()}
    )

    assert response.status_code == 500
    assert not CaseNote.objects.filter(body=LOST_NOTE).exists()


def test_a_note_whose_audit_fails_is_not_stored_from_the_api(team):
    refuse_audit_of("case_note.add")

    response = signed_in(team.social_worker).post(
        f"/api/clients/{team.client.pk}/notes", {"body": LOST_NOTE}, content_type="application/json"
    )

    assert response.status_code == 500
    assert not CaseNote.objects.filter(body=LOST_NOTE).exists()


def assert_referral_not_started(referral: Referral) -> None:
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert not ReferralEvent.objects.filter(referral=referral, verb="start").exists()


def test_a_referral_step_whose_audit_fails_is_not_taken_on_the_page(team):
    refuse_audit_of("referral.start")

    response = signed_in(team.caseworker).post(
        f"/referrals/{team.referral.pk}/start/", {"expected_version": team.referral.version}
    )

    assert response.status_code == 500
    assert_referral_not_started(team.referral)


def test_a_referral_step_whose_audit_fails_is_not_taken_in_the_api(team):
    refuse_audit_of("referral.start")

    response = signed_in(team.caseworker).post(
        f"/api/referrals/{team.referral.pk}/transitions", {"action": "start"}, content_type="application/json"
    )

    assert response.status_code == 500
    assert_referral_not_started(team.referral)


@pytest.mark.parametrize("path", ["/clients/{pk}/", "/api/clients/{pk}"])
def test_a_client_whose_read_cannot_be_audited_is_not_shown(team, path):
    refuse_audit_of("client.view")

    response = signed_in(team.social_worker).get(path.format(pk=team.client.pk))

    assert response.status_code == 500
    assert CANARY_LAST_NAME not in response.content.decode()
