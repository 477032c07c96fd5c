"""A WebSocket opens only from an allowed full origin (scheme, host and port), refused before accept.

The allow-list is settings.WEBSOCKET_ALLOWED_ORIGINS: BASE_URL's origin and CSRF_TRUSTED_ORIGINS
unless listed in the environment; the test tier adds the test client's http://testserver.
"""

import json
import os
import subprocess
import sys

import pytest
from django.conf import settings

from portal.foundation.realtime import allowed_origin
from tests.aftercare import test_notes_consumer as notes_sockets
from tests.aftercare.test_notes_consumer import CLOSE_BAD_MESSAGE, CLOSE_TOO_LARGE, accepted, close_code, connected
from tests.aftercare.test_notes_consumer import communicator_for as socket_for

# The notes socket tests' fixtures: the committed cast, and a channel layer per test.
team = notes_sockets.team
own_channel_layer = notes_sockets.own_channel_layer


@pytest.mark.django_db(transaction=True)
async def test_only_the_exact_allowed_origin_opens_a_socket(team, settings):
    settings.WEBSOCKET_ALLOWED_ORIGINS = ["https://portal.example.org"]
    refused = {
        b"https://evil.example": "a foreign origin",
        b"http://portal.example.org": "the wrong scheme",
        b"https://portal.example.org:8443": "the wrong port",
        b"https://portal.example.org.evil.example": "a host that only starts alike",
        b"https://sub.portal.example.org": "a subdomain",
        b"null": "an opaque origin",
    }
    for origin, why in refused.items():
        assert not await accepted(await socket_for("/ws/me/", team.caseworker, origin=origin)), why
    assert not await accepted(await socket_for("/ws/me/", team.caseworker, origin=None)), "no Origin at all"

    for origin in (b"https://portal.example.org", b"https://portal.example.org:443", b"HTTPS://Portal.Example.org"):
        assert await accepted(await socket_for("/ws/me/", team.caseworker, origin=origin)), origin


def test_the_origin_rule_compares_scheme_host_and_port(settings):
    settings.WEBSOCKET_ALLOWED_ORIGINS = ["http://127.0.0.1:8000"]

    assert allowed_origin("http://127.0.0.1:8000")
    assert not allowed_origin("http://127.0.0.1:8001")
    assert not allowed_origin("http://127.0.0.1")
    assert not allowed_origin("https://127.0.0.1:8000")
    assert not allowed_origin("http://localhost:8000")
    assert not allowed_origin("http://127.0.0.1:8000/path")
    assert not allowed_origin("http://127.0.0.1:99999")
    assert not allowed_origin(None)


def origins_under(environment: dict[str, str]) -> list[str]:
    script = "import json; from portal import settings; print(json.dumps(settings.WEBSOCKET_ALLOWED_ORIGINS))"
    result = subprocess.run(  # noqa: S603 - our own interpreter and settings
        [sys.executable, "-c", script],
        env={key: value for key, value in os.environ.items() if key not in ("BASE_URL", "CSRF_TRUSTED_ORIGINS")}
        | environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_production_allows_the_base_urls_origin_and_the_trusted_csrf_origins_only():
    production = {
        "PORTAL_ENV": "production",
        "SECRET_KEY": "x" * 60,
        "ALLOWED_HOSTS": "portal.example.org",
        "BASE_URL": "https://portal.example.org/some/path",
        "CSRF_TRUSTED_ORIGINS": "https://admin.example.org",
    }

    assert origins_under(production) == ["https://portal.example.org", "https://admin.example.org"]
    listed = origins_under(production | {"WEBSOCKET_ALLOWED_ORIGINS": "https://ws.example.org:8443"})
    assert listed == ["https://ws.example.org:8443"]


@pytest.mark.django_db(transaction=True)
async def test_the_user_socket_refuses_oversized_and_any_other_frames(team):
    for frame, expected_code in {"x" * (1024 * 1024 + 1): CLOSE_TOO_LARGE, "{}": CLOSE_BAD_MESSAGE}.items():
        communicator = await connected("/ws/me/", team.caseworker)
        try:
            await communicator.send_to(text_data=frame)
            assert await close_code(communicator, timeout=2) == expected_code
        finally:
            await communicator.disconnect()
