"""Case notes in the staff JSON API: GET with after=, POST with an idempotency key, and who sees what."""

import re
import uuid

import pytest
from django.test import Client as HttpClient
from wagtail.models import APIToken

from aftercare.actions import add_case_note
from aftercare.models import CaseNote, NoteVisibility
from portal.foundation.models import AuditEvent, Decision
from tests.aftercare.notes_cast import PRISON_ONLY_NOTE, TEAM_NOTE, build_team, signed_in
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db


team = shared_fixture(build_team, name="team")


def with_token(user) -> HttpClient:
    _token, plaintext = APIToken.create_token(user=user, name="tests")
    return HttpClient(headers={"Authorization": f"Bearer {plaintext}"})


def notes_url(client) -> str:
    return f"/api/clients/{client.pk}/notes"


def bodies(response) -> list[str]:
    return [note["body"] for note in response.json()]


def test_the_prison_reads_all_its_notes_in_sequence_and_after_a_number(team):
    http = signed_in(team.social_worker)

    everything = http.get(notes_url(team.client))
    after_first = http.get(notes_url(team.client), {"after": team.team_note.sequence})

    assert everything.status_code == 200
    assert [(note["sequence"], note["body"]) for note in everything.json()] == [
        (team.team_note.sequence, TEAM_NOTE),
        (team.prison_note.sequence, PRISON_ONLY_NOTE),
    ]
    assert bodies(after_first) == [PRISON_ONLY_NOTE]
    assert http.get(notes_url(team.client), {"after": team.prison_note.sequence}).json() == []


def test_a_cso_on_the_team_never_reads_organisation_only_notes_of_others(team):
    response = with_token(team.caseworker).get(notes_url(team.client))

    assert response.status_code == 200
    assert bodies(response) == [TEAM_NOTE]
    assert PRISON_ONLY_NOTE not in response.content.decode()


def test_the_prison_never_reads_a_csos_organisation_only_note(team):
    add_case_note(team.caseworker, team.client, body="CSO internal", visibility=NoteVisibility.ORGANISATION)

    assert "CSO internal" not in bodies(signed_in(team.social_worker).get(notes_url(team.client)))
    assert "CSO internal" in bodies(signed_in(team.caseworker).get(notes_url(team.client)))


@pytest.mark.parametrize("who", ["other_caseworker", "outsider"])
def test_users_outside_the_case_team_get_404_and_the_denial_is_audited(team, who):
    user = getattr(team, who)
    http = signed_in(user)

    read = http.get(notes_url(team.client))
    write = http.post(notes_url(team.client), {"body": "Let me in"}, content_type="application/json")

    assert (read.status_code, write.status_code) == (404, 404)
    assert read.json() == http.get(f"/api/clients/{uuid.uuid4()}/notes").json()
    assert not CaseNote.objects.filter(body="Let me in").exists()
    assert AuditEvent.objects.filter(actor=user, outcome=Decision.DENIED, object_id=team.client.pk).count() == 2


@pytest.mark.parametrize("who", ["other_caseworker", "outsider"])
def test_a_refused_note_through_the_api_is_audited_once_and_writes_nothing(team, who):
    user = getattr(team, who)
    notes_before = CaseNote.objects.count()

    response = signed_in(user).post(notes_url(team.client), {"body": "Let me in"}, content_type="application/json")

    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=user, outcome=Decision.DENIED).count() == 1
    assert CaseNote.objects.count() == notes_before


def test_without_sign_in_the_api_answers_401(team):
    assert HttpClient().get(notes_url(team.client)).status_code == 401


def test_a_post_adds_a_note_and_its_retry_adds_nothing(team):
    http = with_token(team.caseworker)
    payload = {"body": "Came to the first session.", "idempotency_key": str(uuid.uuid4())}

    first = http.post(notes_url(team.client), payload, content_type="application/json")
    retry = http.post(notes_url(team.client), payload, content_type="application/json")

    assert (first.status_code, retry.status_code) == (201, 200)
    assert first.json() == retry.json()
    assert first.json()["organisation"] == team.cso.title
    assert first.json()["visibility"] == "team"
    assert CaseNote.objects.filter(body="Came to the first session.").count() == 1


def test_an_amendment_links_to_the_note_it_amends_and_both_stay(team):
    http = signed_in(team.social_worker)

    response = http.post(
        notes_url(team.client),
        {"body": "Correction: keys on Tuesday.", "amends": str(team.team_note.pk)},
        content_type="application/json",
    )

    assert response.status_code == 201
    assert response.json()["amends"] == str(team.team_note.pk)
    assert bodies(http.get(notes_url(team.client)))[0] == TEAM_NOTE


def test_refused_writes_answer_400_with_field_errors_and_write_nothing(team):
    http = signed_in(team.caseworker)
    key = uuid.uuid4()
    add_case_note(team.social_worker, team.client, body="Theirs", idempotency_key=key)
    other_key = {"body": "Mine", "idempotency_key": str(key)}
    count = CaseNote.objects.count()

    empty = http.post(notes_url(team.client), {"body": "   "}, content_type="application/json")
    amending_hidden = {"body": "Amending", "amends": str(team.prison_note.pk)}
    hidden_note = http.post(notes_url(team.client), amending_hidden, content_type="application/json")
    someone_elses_key = http.post(notes_url(team.client), other_key, content_type="application/json")

    assert empty.status_code == hidden_note.status_code == someone_elses_key.status_code == 400
    assert list(empty.json()["errors"]) == ["body"]
    assert list(hidden_note.json()["errors"]) == ["amends"]
    assert list(someone_elses_key.json()["errors"]) == ["idempotency_key"]
    assert "Theirs" not in someone_elses_key.content.decode()
    assert CaseNote.objects.count() == count


@pytest.mark.parametrize(
    "payload",
    [{}, {"body": "x", "visibility": "everyone"}, {"body": "x", "idempotency_key": "not-a-uuid"}, {"body": ["x"]}],
)
def test_malformed_input_answers_422_and_writes_nothing(team, payload):
    count = CaseNote.objects.count()

    response = signed_in(team.social_worker).post(notes_url(team.client), payload, content_type="application/json")

    assert response.status_code == 422
    assert CaseNote.objects.count() == count


def test_the_notes_are_in_the_openapi_schema():
    paths = HttpClient().get("/api/openapi.json").json()["paths"]

    assert set(paths["/api/clients/{client_id}/notes"]) == {"get", "post"}


def staff_api_operations() -> list[tuple[str, str]]:
    """(method, URL) of every operation of the staff API's schema, path parameters filled with well-formed values."""
    samples = {"uuid": str(uuid.uuid4()), "integer": "1"}
    operations = []
    for template, methods in HttpClient().get("/api/openapi.json").json()["paths"].items():
        for method, operation in methods.items():
            kinds = {
                parameter["name"]: parameter["schema"].get("format") or parameter["schema"].get("type")
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "path"
            }
            url = re.sub(r"{(\w+)}", lambda match, kinds=kinds: samples.get(kinds[match.group(1)], "x"), template)
            operations.append((method.upper(), url))
    return operations


def test_anonymous_calls_without_a_csrf_cookie_answer_401_on_every_staff_api_operation():
    http = HttpClient(enforce_csrf_checks=True)
    operations = staff_api_operations()

    answers = {
        (method, url): http.generic(method, url, "{}", content_type="application/json").status_code
        for method, url in operations
    }

    assert {method for method, _url in answers} >= {"GET", "POST"}
    assert {operation: status for operation, status in answers.items() if status != 401} == {}


def handover_api_url(client) -> str:
    return f"/api/clients/{client.pk}/handover"


def test_the_holding_prison_hands_over_through_the_api_and_an_outsider_gets_404():
    from aftercare.models import SupervisionCase
    from tests.aftercare.supervision_cast import RELEASE_DATE, build_cast, new_client

    cast = build_cast()
    person = new_client(cast)
    payload = {"probation_office": cast.office_a.pk, "release_date": RELEASE_DATE.isoformat(), "note": "Keen."}

    outsider = signed_in(cast.outsider).post(handover_api_url(person), payload, content_type="application/json")
    wrong_office = signed_in(cast.social_worker).post(
        handover_api_url(person), {**payload, "probation_office": cast.kz_prison.pk}, content_type="application/json"
    )
    done = signed_in(cast.social_worker).post(handover_api_url(person), payload, content_type="application/json")

    assert outsider.status_code == 404
    assert wrong_office.status_code == 400
    assert list(wrong_office.json()["errors"]) == ["probation_office"]
    assert done.status_code == 201
    case = SupervisionCase.objects.get(client=person)
    assert done.json()["id"] == str(case.pk)
    assert done.json()["opened_on"] == RELEASE_DATE.isoformat()
    assert case.handover_note == "Keen."
    assert AuditEvent.objects.filter(actor=cast.outsider, action="access.denied", object_id=str(person.pk)).exists()


def test_a_note_over_the_limit_is_refused_naming_the_field_and_the_limit(team):
    limit = CaseNote._meta.get_field("body").max_length
    http = signed_in(team.social_worker)
    count = CaseNote.objects.count()

    response = http.post(notes_url(team.client), {"body": "x" * (limit + 1)}, content_type="application/json")

    assert response.status_code == 422  # the schema refuses it before the verb is called
    assert "body" in response.content.decode()
    assert str(limit) in response.content.decode()
    assert CaseNote.objects.count() == count
