"""The case notes page and its form: who sees what, escaping, amendments, no inline script, PRG."""

import re
import uuid

import pytest
from django.test import Client as HttpClient

from aftercare.actions import add_case_note
from aftercare.models import CaseNote
from portal.foundation.models import AuditEvent, Decision
from tests.aftercare.notes_cast import (
    CANARY_FIRST_NAME,
    CANARY_LAST_NAME,
    CANARY_RISK,
    PRISON_ONLY_NOTE,
    TEAM_NOTE,
    build_team,
    signed_in,
)
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

SCRIPT_NOTE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


team = shared_fixture(build_team, name="team")


def page_url(client) -> str:
    return f"/clients/{client.pk}/case/"


def form_url(client) -> str:
    return f"/clients/{client.pk}/notes/"


def test_a_cso_sees_the_reference_and_team_notes_but_never_names_risk_or_the_prisons_own_notes(team):
    add_case_note(team.officer, team.client, body=SCRIPT_NOTE)

    response = signed_in(team.caseworker).get(page_url(team.client))
    html = response.content.decode()

    assert response.status_code == 200
    assert team.client.reference in html
    assert TEAM_NOTE in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;" in html
    for canary in (CANARY_FIRST_NAME, CANARY_LAST_NAME, CANARY_RISK, PRISON_ONLY_NOTE, SCRIPT_NOTE):
        assert canary not in html
    assert "no-store" in response["Cache-Control"]


def test_the_prison_sees_the_names_and_its_own_notes(team):
    html = signed_in(team.social_worker).get(page_url(team.client)).content.decode()

    assert CANARY_LAST_NAME in html
    assert PRISON_ONLY_NOTE in html
    assert CANARY_RISK not in html


def test_the_page_has_no_inline_script_and_configures_the_socket_with_data_attributes(team):
    html = signed_in(team.caseworker).get(page_url(team.client)).content.decode()

    scripts = re.findall(r"<script\b[^>]*>", html)
    assert scripts and all(re.search(r'\bsrc="[^"]+"', tag) and "defer" in tag for tag in scripts)
    assert re.search(r"\son[a-z]+\s*=", html) is None
    assert "javascript:" not in html
    assert f'data-socket-path="/ws/clients/{team.client.pk}/notes/"' in html
    assert f'data-last-sequence="{team.team_note.sequence}"' in html
    assert 'data-user-events="/ws/me/"' in html


@pytest.mark.parametrize("who", ["other_caseworker", "outsider"])
def test_users_outside_the_case_team_get_404_for_the_page_and_the_form(team, who):
    http = signed_in(getattr(team, who))

    page = http.get(page_url(team.client))
    post = http.post(form_url(team.client), note_form("Let me in"))

    assert (page.status_code, post.status_code) == (404, 404)
    assert not CaseNote.objects.filter(body="Let me in").exists()


@pytest.mark.parametrize("who", ["other_caseworker", "outsider"])
def test_a_refused_note_on_the_page_is_audited_once_and_writes_nothing(team, who):
    user = getattr(team, who)
    notes_before = CaseNote.objects.count()

    response = signed_in(user).post(form_url(team.client), note_form("Let me in"))

    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=user, outcome=Decision.DENIED).count() == 1
    assert CaseNote.objects.count() == notes_before


def test_without_sign_in_the_page_sends_to_the_login(team):
    response = HttpClient().get(page_url(team.client))

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_form_adds_a_note_once_and_redirects_back_to_the_notes(team):
    http = signed_in(team.caseworker)
    form = {"body": "Starts the course on Monday.", "visibility": "team", "idempotency_key": uuid.uuid4()}

    first = http.post(form_url(team.client), form)
    resubmitted = http.post(form_url(team.client), form)

    assert first.status_code == resubmitted.status_code == 302
    assert first["Location"] == f"/clients/{team.client.pk}/case/#case-notes"
    assert CaseNote.objects.filter(body="Starts the course on Monday.").count() == 1
    assert "Starts the course on Monday." in http.get(page_url(team.client)).content.decode()


def test_the_form_goes_back_to_the_page_it_was_on_but_never_elsewhere(team):
    http = signed_in(team.social_worker)
    case_url = f"/cases/{team.client.supervision_case.pk}/"

    local = http.post(form_url(team.client), note_form("One", next=case_url))
    foreign = http.post(form_url(team.client), note_form("Two", next="https://evil.example/"))

    assert local["Location"] == f"{case_url}#case-notes"
    assert foreign["Location"] == f"/clients/{team.client.pk}/case/#case-notes"


def note_form(body: str, **fields) -> dict:
    return {"body": body, "visibility": "team", "idempotency_key": uuid.uuid4(), **fields}


def test_an_invalid_note_shows_the_form_again_with_the_error(team):
    response = signed_in(team.caseworker).post(form_url(team.client), note_form("   "))

    assert response.status_code == 400
    assert 'role="alert"' in response.content.decode()


def test_a_cso_cannot_amend_a_note_it_cannot_see(team):
    response = signed_in(team.caseworker).post(form_url(team.client), note_form("Hm", amends=team.prison_note.pk))

    assert response.status_code == 400
    assert not CaseNote.objects.filter(body="Hm").exists()


def test_an_amendment_and_the_note_it_amends_link_to_each_other(team):
    http = signed_in(team.officer)
    http.post(form_url(team.client), note_form("Correction: keys on Tuesday.", amends=team.team_note.pk))
    amendment = CaseNote.objects.get(body="Correction: keys on Tuesday.")

    html = http.get(page_url(team.client)).content.decode()

    assert TEAM_NOTE in html and amendment.body in html
    assert f'href="#note-{team.team_note.pk}"' in html
    assert f'href="#note-{amendment.pk}"' in html


def next_field(html: str) -> str:
    match = re.search(r'<input type="hidden" name="next" value="([^"]*)"', html)
    assert match is not None
    return match.group(1)


@pytest.mark.parametrize("start", ["notes page", "case page"])
def test_after_an_invalid_note_the_next_valid_one_lands_on_the_page_it_started_from(team, start):
    http = signed_in(team.officer)
    start_url = page_url(team.client) if start == "notes page" else f"/cases/{team.client.supervision_case.pk}/"
    first_next = next_field(http.get(start_url).content.decode())

    refused = http.post(form_url(team.client), note_form("   ", next=first_next))
    saved = http.post(form_url(team.client), note_form("Second try", next=next_field(refused.content.decode())))

    assert refused.status_code == 400
    assert saved.status_code == 302
    assert saved["Location"] == f"{start_url}#case-notes"
    assert http.get(saved["Location"]).status_code == 200


def test_a_note_over_the_limit_shows_an_error_naming_the_limit(team):
    limit = CaseNote._meta.get_field("body").max_length

    response = signed_in(team.officer).post(form_url(team.client), note_form("x" * (limit + 1)))

    assert response.status_code == 400
    assert f"Note can be at most {limit} characters." in response.content.decode()
    assert not CaseNote.objects.filter(body="x" * (limit + 1)).exists()
