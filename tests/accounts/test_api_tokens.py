"""Personal API tokens: each staff member makes (with an expiry), lists and revokes their own;
expired and revoked tokens are refused with the reason; every use is audited."""

import re
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.test import Client as HttpClient
from django.utils import timezone
from wagtail.models import APIToken

from accounts.models import TokenExpiry
from accounts.tokens import create_token
from portal.foundation.models import AuditEvent, Decision

pytestmark = pytest.mark.django_db

PLAINTEXT = re.compile(r"wagtail_[0-9A-Za-z]{20,}")


def staff(username: str = "worker") -> User:
    return User.objects.create_user(username=username, email=f"{username}@example.org")


def signed_in(user: User) -> HttpClient:
    client = HttpClient()
    client.force_login(user)
    return client


def bearer(plaintext: str) -> HttpClient:
    return HttpClient(headers={"authorization": f"Bearer {plaintext}"})


def make_token(client: HttpClient, name: str = "nightly export", lifetime_days: int = 7) -> str:
    response = client.post("/accounts/tokens/", {"name": name, "lifetime_days": lifetime_days})
    assert response.status_code == 200
    return PLAINTEXT.search(response.content.decode()).group(0)


def token_events(action: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def test_a_token_made_on_the_page_is_shown_once_and_works_on_the_api():
    user = staff()
    client = signed_in(user)

    plaintext = make_token(client, "nightly export", 7)

    token = APIToken.objects.get(user=user)
    assert token.name == "nightly export"
    assert token.expiry.expires_at == token.created + timedelta(days=7)
    assert bearer(plaintext).get("/api/clients").status_code == 200
    listing = client.get("/accounts/tokens/").content.decode()
    assert plaintext not in listing
    assert not PLAINTEXT.search(listing)
    assert "nightly export" in listing and f"{token.prefix}…" in listing


@pytest.mark.parametrize("lifetime", ["", "0", "365", "never"])
def test_a_token_needs_one_of_the_offered_expiries(lifetime):
    client = signed_in(staff())

    response = client.post("/accounts/tokens/", {"name": "forever", "lifetime_days": lifetime})

    assert response.status_code == 200
    assert not PLAINTEXT.search(response.content.decode())
    assert not APIToken.objects.exists()


def test_creation_and_revocation_are_audited_without_the_secret():
    user = staff()
    client = signed_in(user)
    plaintext = make_token(client)
    token = APIToken.objects.get(user=user)

    response = client.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    created, revoked = token_events("api_token.create"), token_events("api_token.revoke")
    assert [(e.actor, e.object_id, e.detail["prefix"]) for e in created] == [(user, str(token.pk), token.prefix)]
    assert [(e.actor, e.object_id, e.detail["prefix"]) for e in revoked] == [(user, str(token.pk), token.prefix)]
    assert not AuditEvent.objects.filter(detail__icontains=plaintext).exists()


def test_every_request_a_token_authenticates_is_audited_once_by_prefix_never_by_secret():
    user = staff()
    made = create_token(user, name="script", lifetime_days=30)

    bearer(made.plaintext).get("/api/clients")
    bearer(made.plaintext).get("/api/referrals")

    uses = token_events("api_token.use")
    assert [(e.actor, e.object_type, e.object_id, e.channel, e.detail["path"]) for e in uses] == [
        (user, "wagtailcore.apitoken", str(made.token.pk), "api", "/api/clients"),
        (user, "wagtailcore.apitoken", str(made.token.pk), "api", "/api/referrals"),
    ]
    assert {e.detail["prefix"] for e in uses} == {made.token.prefix}
    assert made.plaintext not in str([e.detail for e in AuditEvent.objects.all()])


def test_a_session_request_is_not_audited_as_a_token_use():
    signed_in(staff()).get("/api/clients")

    assert token_events("api_token.use") == []


def test_an_expired_token_is_refused_with_the_reason_and_the_refusal_audited():
    user = staff()
    made = create_token(user, name="script", lifetime_days=7)
    TokenExpiry.objects.filter(token=made.token).update(expires_at=timezone.now() - timedelta(seconds=1))

    response = bearer(made.plaintext).get("/api/clients")

    assert response.status_code == 401
    assert response.json() == {"detail": "This API token has expired."}
    assert token_events("api_token.use") == []
    refusals = token_events("api_token.refused")
    assert [(e.actor, e.object_id, e.outcome) for e in refusals] == [(user, str(made.token.pk), Decision.DENIED)]


def test_a_token_made_by_code_without_an_expiry_expires_after_the_default_lifetime():
    user = staff()
    token, plaintext = APIToken.create_token(user=user, name="made by code")
    assert bearer(plaintext).get("/api/clients").status_code == 200

    APIToken.objects.filter(pk=token.pk).update(created=timezone.now() - timedelta(days=31))

    response = bearer(plaintext).get("/api/clients")
    assert response.status_code == 401
    assert response.json() == {"detail": "This API token has expired."}


def test_a_revoked_token_is_refused_with_the_reason_even_with_a_session():
    user = staff()
    made = create_token(user, name="script", lifetime_days=7)
    made.token.revoke()
    client = signed_in(user)

    response = client.get("/api/clients", headers={"authorization": f"Bearer {made.plaintext}"})

    assert response.status_code == 401
    assert response.json() == {"detail": "This API token has been revoked."}


def test_a_token_of_a_disabled_account_is_refused():
    user = staff()
    made = create_token(user, name="script", lifetime_days=7)
    User.objects.filter(pk=user.pk).update(is_active=False)

    response = bearer(made.plaintext).get("/api/clients")

    assert response.status_code == 401
    assert response.json() == {"detail": "The account of this API token is disabled."}


def test_an_unknown_token_is_refused_with_the_reason_and_audited_without_what_was_presented():
    response = bearer("wagtail_not-a-real-token").get("/api/clients")

    assert response.status_code == 401
    assert response.json() == {"detail": "This API token is not valid."}
    refusals = token_events("api_token.refused")
    assert [(e.actor, e.object_id, e.outcome, e.detail) for e in refusals] == [
        (None, "", Decision.DENIED, {"method": "GET", "path": "/api/clients"})
    ]


def test_nobody_sees_or_revokes_another_users_token():
    owner, other = staff("owner"), staff("other")
    made = create_token(owner, name="owner's script", lifetime_days=30)
    client = signed_in(other)

    assert "owner&#x27;s script" not in client.get("/accounts/tokens/").content.decode()
    assert made.token.prefix not in client.get("/accounts/tokens/").content.decode()
    assert client.post(f"/accounts/tokens/{made.token.pk}/revoke/").status_code == 404
    made.token.refresh_from_db()
    assert made.token.revoked_at is None
    assert bearer(made.plaintext).get("/api/clients").status_code == 200


def test_the_token_page_needs_a_signed_in_user():
    response = HttpClient().get("/accounts/tokens/")

    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_the_token_list_costs_the_same_queries_however_many_tokens(django_assert_num_queries):
    user = staff()
    for number in range(5):
        create_token(user, name=f"script {number}", lifetime_days=30)
    client = signed_in(user)

    # session, user, the tokens with their expiry; the header's roles and its two permission checks
    with django_assert_num_queries(6):
        response = client.get("/accounts/tokens/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]


def test_wagtails_own_token_admin_is_not_reachable():
    """One place to manage tokens: the portal's page, with expiry and audit; not Wagtail's /admin/api-tokens/."""
    admin = User.objects.create_superuser("admin", "admin@example.org")
    client = signed_in(admin)

    assert client.get("/admin/api-tokens/").status_code == 404
    assert client.get("/admin/api-tokens/new/").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_in_the_browser_a_staff_member_makes_sees_once_and_revokes_a_token(live_server, page):
    from playwright.sync_api import expect

    from cso_directory.actions import add_membership
    from portal.foundation.roles import Role
    from tests.factories import make_organisation

    user = User.objects.create_user("browser-worker", password="a-long-password-1")
    add_membership(user, make_organisation("KZ", title="Bright Futures"), Role.CSO_CASEWORKER)
    page.set_viewport_size({"width": 390, "height": 800})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "browser-worker")
    page.fill("#id_password", "a-long-password-1")
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="API tokens").click()
    page.fill("#id_name", "nightly export")
    page.get_by_label("7 days").check()
    page.get_by_role("button", name="Create token").click()

    plaintext = page.locator(".token-plaintext")
    expect(plaintext).to_be_visible()
    assert plaintext.inner_text().startswith("wagtail_")
    row = page.get_by_role("row").filter(has_text="nightly export")
    expect(row).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= document.documentElement.clientWidth")

    page.goto(f"{live_server.url}/accounts/tokens/")
    expect(page.locator(".token-plaintext")).to_have_count(0)
    page.get_by_role("button", name="Revoke “nightly export”").click()
    expect(page.get_by_role("row").filter(has_text="nightly export")).to_contain_text("Revoked")
    assert APIToken.objects.get(user=user).revoked_at is not None


def test_operators_list_and_revoke_tokens_by_command_and_cannot_make_one():
    from io import StringIO

    from django.core.management import CommandError, call_command

    user = staff()
    made = create_token(user, name="leaked script", lifetime_days=30)
    listing = StringIO()

    call_command("api_tokens", "list", stdout=listing)
    call_command("api_tokens", "revoke", str(made.token.pk), stdout=StringIO())

    assert f"{made.token.prefix}…\tworker\tleaked script" in listing.getvalue()
    assert made.plaintext not in listing.getvalue()
    assert bearer(made.plaintext).get("/api/clients").status_code == 401
    revoked = token_events("api_token.revoke")
    assert [(e.actor, e.object_id, e.channel) for e in revoked] == [(None, str(made.token.pk), "command")]
    with pytest.raises(CommandError):
        call_command("api_tokens", "create", "--user", "worker", "--name", "forever")
