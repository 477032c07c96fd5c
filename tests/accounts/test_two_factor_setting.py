"""PORTAL_REQUIRE_TWO_FACTOR: on in production unless the environment says otherwise, off in the demo
and the tests; a malformed value stops the process naming the variable."""

import os
import subprocess
import sys

import pytest
from django.conf import settings

PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "a-secret-for-this-test-only",
    "DATABASE_URL": "postgres://portal@127.0.0.1/portal",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


def settings_in(**environment: str) -> subprocess.CompletedProcess:
    ours = {*PRODUCTION, "PORTAL_REQUIRE_TWO_FACTOR"}
    env = {name: value for name, value in os.environ.items() if name not in ours} | environment
    return subprocess.run(
        [sys.executable, "-c", "from portal import settings as s; print(s.PORTAL_REQUIRE_TWO_FACTOR)"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("environment", "required"),
    [
        (PRODUCTION, "True"),
        (PRODUCTION | {"PORTAL_REQUIRE_TWO_FACTOR": "false"}, "False"),
        ({"PORTAL_ENV": "demo"}, "False"),
        ({"PORTAL_ENV": "demo", "PORTAL_REQUIRE_TWO_FACTOR": "true"}, "True"),
        ({"PORTAL_ENV": "test"}, "False"),
    ],
)
def test_the_default_follows_the_tier_and_the_environment_wins(environment, required):
    result = settings_in(**environment)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == required


def test_a_malformed_value_stops_with_a_message_naming_the_variable():
    result = settings_in(**PRODUCTION, PORTAL_REQUIRE_TWO_FACTOR="sometimes")

    assert result.returncode != 0
    assert "PORTAL_REQUIRE_TWO_FACTOR" in result.stderr
