"""Sessions end: after 30 minutes without a request, 12 hours after signing in, and at sign-out.

A timed-out page request is signed out and sent to sign in; the API answers 401. The session id
changes at sign-in, and a cookie replayed after sign-out no longer signs anyone in.
"""

import json
import os
import subprocess
import sys

from django.conf import settings
from django.test import Client as HttpClient

from accounts.sessions import LAST_SEEN_AT, SIGNED_IN_AT
from tests.aftercare.notes_cast import build_team, signed_in
from tests.shared_casts import shared_fixture

team = shared_fixture(build_team, name="team")
PASSWORD = "a-long-password-1"
MINUTE = 60
HOUR = 60 * MINUTE


def shift_session(http: HttpClient, **seconds_ago: int) -> None:
    """Move the session's clock back, as if its sign-in or last request were that long ago."""
    session = http.session
    for key, ago in seconds_ago.items():
        session[key] -= ago
    session.save()


def client_page(team) -> str:
    return f"/clients/{team.client.pk}/"


def test_a_recent_session_keeps_working_on_pages_and_the_api(team):
    http = signed_in(team.social_worker)
    shift_session(http, **{LAST_SEEN_AT: 29 * MINUTE, SIGNED_IN_AT: 11 * HOUR})

    assert http.get(client_page(team)).status_code == 200
    assert http.get("/api/clients").status_code == 200


def test_after_30_minutes_without_a_request_a_page_signs_out_and_sends_to_sign_in(team):
    http = signed_in(team.social_worker)
    session_key = http.session.session_key
    shift_session(http, **{LAST_SEEN_AT: 31 * MINUTE, SIGNED_IN_AT: 31 * MINUTE})

    response = http.get(client_page(team))

    assert response.status_code == 302
    assert response["Location"] == f"{settings.LOGIN_URL}?next={client_page(team)}"
    assert not http.session.exists(session_key), "the session is gone from the store"
    assert http.get(client_page(team)).status_code == 302


def test_12_hours_after_signing_in_the_session_ends_however_busy_it_was(team):
    http = signed_in(team.social_worker)
    shift_session(http, **{SIGNED_IN_AT: 12 * HOUR + 1})

    response = http.get(client_page(team))

    assert response.status_code == 302
    assert response["Location"].startswith(settings.LOGIN_URL)


def test_the_api_answers_401_to_a_timed_out_session(team):
    http = signed_in(team.social_worker)
    shift_session(http, **{LAST_SEEN_AT: 31 * MINUTE})

    response = http.get("/api/clients")

    assert response.status_code == 401
    assert http.get("/api/clients").status_code == 401, "signed out, not only refused once"


def test_a_request_moves_the_idle_deadline_on(team):
    http = signed_in(team.social_worker)
    shift_session(http, **{LAST_SEEN_AT: 20 * MINUTE, SIGNED_IN_AT: 20 * MINUTE})
    assert http.get(client_page(team)).status_code == 200

    shift_session(http, **{LAST_SEEN_AT: 20 * MINUTE, SIGNED_IN_AT: 20 * MINUTE})

    assert http.get(client_page(team)).status_code == 200, "40 minutes since sign-in, 20 since the last request"


def test_the_session_id_changes_at_sign_in_and_a_cookie_replayed_after_sign_out_is_refused(team):
    team.social_worker.set_password(PASSWORD)
    team.social_worker.save()
    http = HttpClient()
    http.get("/accounts/login/")
    http.session.save()
    anonymous_key = http.cookies["sessionid"].value

    http.post("/accounts/login/", {"username": team.social_worker.username, "password": PASSWORD})
    signed_in_key = http.cookies["sessionid"].value
    assert signed_in_key != anonymous_key
    assert http.get(client_page(team)).status_code == 200

    http.post("/accounts/logout/")
    replay = HttpClient()
    replay.cookies["sessionid"] = signed_in_key

    assert replay.get(client_page(team)).status_code == 302
    assert replay.get("/api/clients").status_code == 401


def test_the_session_cookie_lasts_no_longer_than_the_absolute_timeout():
    assert settings.SESSION_COOKIE_AGE == 12 * HOUR
    assert settings.SESSION_IDLE_TIMEOUT == 30 * MINUTE


def test_both_timeouts_are_set_from_the_environment():
    environment = os.environ | {"SESSION_IDLE_TIMEOUT_MINUTES": "15", "SESSION_ABSOLUTE_TIMEOUT_HOURS": "8"}
    script = (
        "import json; from portal import settings as s; "
        "print(json.dumps([s.SESSION_IDLE_TIMEOUT, s.SESSION_ABSOLUTE_TIMEOUT, s.SESSION_COOKIE_AGE]))"
    )

    output = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", script], env=environment, cwd=settings.BASE_DIR, capture_output=True, text=True
    )

    assert output.returncode == 0, output.stderr
    assert json.loads(output.stdout) == [15 * MINUTE, 8 * HOUR, 8 * HOUR]


def test_a_malformed_timeout_stops_with_a_message_naming_the_variable():
    environment = os.environ | {"SESSION_IDLE_TIMEOUT_MINUTES": "half an hour"}

    result = subprocess.run(
        [sys.executable, "-c", "import portal.settings"],
        env=environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )

    assert result.returncode != 0
    assert "SESSION_IDLE_TIMEOUT_MINUTES" in result.stderr
