"""Names and note text never reach the logs (SECURITY.md 16), whatever the flow: recording a
client, referring, taking a step, writing notes on the page, in the API and live on the socket,
refused input, a 404 and a server error. Every logger is captured at DEBUG."""

import json
import logging
import uuid

import pytest
from channels.db import database_sync_to_async
from django.db import connection, connections
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from aftercare.actions import add_case_note
from cso_directory.models import OrganisationPage
from referrals.models import Client, Referral
from tests.aftercare.notes_cast import build_team
from tests.aftercare.test_audit_failure import refuse_audit_of
from tests.aftercare.test_notes_consumer import catch_up, connected, notes_path, received
from tests.factories import make_service
from tests.shared_casts import shared_fixture

NAME = "Canarinova"
FIRST_NAME = "Kanareyka"
NOTE = "CANARY-NOTE-5be1 lives behind the bakery"
CANARIES = (NAME, FIRST_NAME, NOTE)

team = shared_fixture(build_team, name="team")


@pytest.fixture
def logs(caplog):
    """Every record at DEBUG: on the root logger, where all propagate, and on Django's, which is at INFO by default."""
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="django")
    return caplog


def assert_no_canary(logs) -> None:
    for record in logs.records:
        text = f"{logs.handler.format(record)} {record.args!r} {vars(record)!r}"
        for canary in CANARIES:
            assert canary not in text, f"{canary!r} logged by {record.name}: {text}"


def signed_in(user) -> HttpClient:
    http = HttpClient(raise_request_exception=False)
    http.force_login(user)
    return http


def record_clients(team) -> Client:
    page = signed_in(team.social_worker)
    person = {"prison": team.prison.pk, "first_name": FIRST_NAME, "last_name": NAME, "sex": "female"}
    assert page.post("/clients/new/", {**person, "birth_date": "not a date"}).status_code == 400
    assert page.post("/clients/new/", {**person, "birth_date": "1990-01-02"}).status_code == 302
    api_person = {"prison_id": team.prison.pk, "first_name": FIRST_NAME, "last_name": NAME, "sex": "female"}
    bad = page.post("/api/clients", {**api_person, "birth_date": "never"}, content_type="application/json")
    assert bad.status_code == 422
    duplicate = page.post("/api/clients", {**api_person, "birth_date": "1990-01-02"}, content_type="application/json")
    assert duplicate.status_code == 409
    return Client.objects.get(last_name=NAME)


def refer_and_step(team, client: Client) -> None:
    page = signed_in(team.social_worker)
    consent = {"organisation_kinds": ["cso"], "given_on": "2026-01-10", "method": "signed_form"}
    assert page.post(f"/api/clients/{client.pk}/consents", consent, content_type="application/json").status_code == 201
    service = make_service(OrganisationPage.objects.get(pk=team.cso.pk), title="Job club")
    draft = page.post(
        "/api/referrals",
        {"client_id": str(client.pk), "service_id": service.pk, "note": NOTE},
        content_type="application/json",
    )
    assert draft.status_code == 201, draft.content
    referral = Referral.objects.get(pk=draft.json()["id"])
    too_long = {"action": "send", "override_reason": NOTE * 500}
    assert page.post(
        f"/api/referrals/{referral.pk}/transitions", too_long, content_type="application/json"
    ).status_code in (400, 422)
    assert (
        page.post(
            f"/api/referrals/{referral.pk}/transitions", {"action": "send"}, content_type="application/json"
        ).status_code
        == 200
    )
    referral.refresh_from_db()
    accepted = signed_in(team.caseworker).post(
        f"/referrals/{referral.pk}/accept/", {"expected_version": referral.version, "note": NOTE}
    )
    assert accepted.status_code == 302


def write_notes(team) -> None:
    page = signed_in(team.social_worker)
    form = {"body": NOTE, "visibility": "team", "idempotency_key": uuid.uuid4()}
    assert page.post(f"/clients/{team.client.pk}/notes/", form).status_code == 302
    assert page.post(f"/clients/{team.client.pk}/notes/", {**form, "visibility": "nobody"}).status_code == 400
    api = f"/api/clients/{team.client.pk}/notes"
    assert page.post(api, {"body": NOTE}, content_type="application/json").status_code == 201
    assert page.post(api, {"body": NOTE * 5000}, content_type="application/json").status_code == 422
    outsider = signed_in(team.outsider)
    assert outsider.post(api, {"body": NOTE}, content_type="application/json").status_code == 404
    assert outsider.get(f"/clients/{team.client.pk}/").status_code == 404


def fail_a_note_on_the_server(team) -> None:
    refuse_audit_of("case_note.add")
    response = signed_in(team.social_worker).post(
        f"/api/clients/{team.client.pk}/notes", {"body": NOTE}, content_type="application/json"
    )
    assert response.status_code == 500


@pytest.mark.django_db
def test_no_name_or_note_text_in_the_logs_of_pages_and_api(team, logs):
    # Queries are logged as with DEBUG on (the demo) or while a query count is measured.
    with CaptureQueriesContext(connection):
        client = record_clients(team)
        refer_and_step(team, client)
        write_notes(team)
        fail_a_note_on_the_server(team)

    assert {"django.db.backends", "django.request"} <= {record.name for record in logs.records}
    assert_no_canary(logs)


@pytest.fixture
async def live_team():
    yield await database_sync_to_async(build_team)()
    await database_sync_to_async(connections.close_all)()


@pytest.mark.django_db(transaction=True)
async def test_no_name_or_note_text_in_the_logs_of_the_notes_socket(live_team, logs):
    communicator = await connected(notes_path(live_team.client), live_team.caseworker)
    try:
        await catch_up(communicator, 0)
        await database_sync_to_async(add_case_note)(live_team.social_worker, live_team.client, body=NOTE)
        assert NOTE in [note["body"] for note in await received(communicator)]
        await communicator.send_to(text_data=json.dumps({"type": NOTE, "after": NAME}))  # malformed: closes
        await communicator.receive_nothing(timeout=0.5)
    finally:
        await communicator.disconnect()

    assert_no_canary(logs)
