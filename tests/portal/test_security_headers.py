"""Security headers: CSP, framing, sniffing, referrer, HSTS, and no-store wherever a person is shown.

Production settings are checked in a subprocess by Django's own deploy checks, which must pass
without a single warning.
"""

import os
import subprocess
import sys

from django.conf import settings

from tests.aftercare.notes_cast import build_team, signed_in
from tests.shared_casts import shared_fixture

team = shared_fixture(build_team, name="team")


def directives(response) -> dict[str, str]:
    policy = response["Content-Security-Policy"]
    return {part.split()[0]: part.strip() for part in policy.split(";") if part.strip()}


def cache_control(response) -> list[str]:
    return [directive.strip() for directive in response["Cache-Control"].split(",")]


def pages_showing_a_person(team) -> list[str]:
    return [f"/clients/{team.client.pk}/", f"/clients/{team.client.pk}/case/", "/api/clients"]


def test_pages_and_api_answers_that_show_a_person_are_never_stored(team):
    http = signed_in(team.social_worker)

    for path in pages_showing_a_person(team):
        response = http.get(path)
        assert response.status_code == 200, path
        assert "no-store" in cache_control(response), path


def test_the_api_is_never_stored_even_when_it_refuses(client, db):
    response = client.get("/api/clients")

    assert response.status_code == 401
    assert "no-store" in cache_control(response)


def test_every_page_forbids_framing_sniffing_and_foreign_referrers(team):
    response = signed_in(team.social_worker).get(f"/clients/{team.client.pk}/")

    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def test_the_content_security_policy_allows_nothing_inline_and_no_other_host(team):
    policy = directives(signed_in(team.social_worker).get(f"/clients/{team.client.pk}/case/"))

    assert policy["default-src"] == "default-src 'self'"
    assert policy["script-src"] == "script-src 'self'"
    assert policy["style-src"] == "style-src 'self'"
    assert policy["frame-ancestors"] == "frame-ancestors 'none'"
    assert policy["object-src"] == "object-src 'none'"


def test_only_the_wagtail_admin_may_run_inline_scripts_and_styles(team):
    admin = directives(signed_in(team.social_worker).get("/admin/"))

    assert admin["script-src"] == "script-src 'self' 'unsafe-inline'"
    assert admin["style-src"] == "style-src 'self' 'unsafe-inline'"
    assert admin["frame-ancestors"] == "frame-ancestors 'none'"
    assert admin["default-src"] == "default-src 'self'"


def test_hsts_is_sent_on_https_under_the_production_value(client, settings, db):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True

    response = client.get("/healthz", secure=True)

    assert response["Strict-Transport-Security"].startswith("max-age=31536000; includeSubDomains")


def test_the_wagtail_update_check_and_gravatar_are_off():
    assert settings.WAGTAIL_ENABLE_UPDATE_CHECK is False
    assert settings.WAGTAIL_GRAVATAR_PROVIDER_URL is None


PRODUCTION = {
    "PORTAL_ENV": "production",
    "SECRET_KEY": "k3y-" + "x9Z!" * 16,
    "DATABASE_URL": "postgres://portal@db.internal/portal",
    "REDIS_URL": "redis://cache.internal:6379/0",
    "ALLOWED_HOSTS": "portal.example.org",
    "BASE_URL": "https://portal.example.org",
}


def production_run(*arguments: str, **environment: str) -> subprocess.CompletedProcess:
    inherited = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "SECURE_"))}
    return subprocess.run(  # noqa: S603 - our own interpreter and manage.py
        [sys.executable, *arguments],
        env=inherited | PRODUCTION | environment,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
    )


def test_the_deploy_checks_pass_without_a_warning_under_production_settings():
    result = production_run("manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr


def test_the_proxy_ssl_header_is_trusted_only_when_the_deployment_names_it():
    script = "from portal import settings; print(getattr(settings, 'SECURE_PROXY_SSL_HEADER', None))"

    assert production_run("-c", script).stdout.strip() == "None"
    named = production_run("-c", script, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO")
    assert named.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https')"
    malformed = production_run("-c", script, SECURE_PROXY_SSL_HEADER="X-Forwarded-Proto")
    assert malformed.returncode != 0
    assert "SECURE_PROXY_SSL_HEADER" in malformed.stderr
