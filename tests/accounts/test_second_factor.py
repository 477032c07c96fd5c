"""The second factor: a code from an authenticator app (TOTP) or a single-use recovery code, asked
after the password; required of everyone when PORTAL_REQUIRE_TWO_FACTOR is on."""

import re
from base64 import b32decode

import pytest
from django.contrib.auth.models import Group, User
from django.test import Client as HttpClient
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.actions import fresh_recovery_codes
from accounts.models import RecoveryCode, RecoveryCodes, recovery_code_digest
from portal.foundation.models import AuditEvent, Decision

pytestmark = pytest.mark.django_db

PASSWORD = "a-long-password-1"
SETUP = "/accounts/two-factor/setup/"
VERIFY = "/accounts/two-factor/verify/"
RECOVERY_CODES = "/accounts/two-factor/recovery-codes/"
SECURITY = "/accounts/security/"


@pytest.fixture
def required(settings):
    settings.PORTAL_REQUIRE_TWO_FACTOR = True
    # One wrong code would otherwise hold the right one back for a second (django-otp's throttle).
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


@pytest.fixture
def staff(db):
    user = User.objects.create_user("staff", password=PASSWORD, email="staff@example.org", is_staff=True)
    user.groups.add(Group.objects.get(name="Moderators"))  # may open the Wagtail admin
    return user


@pytest.fixture
def enrolled(staff):
    """`staff` with a confirmed authenticator and recovery codes, as enrolment leaves them."""
    device = TOTPDevice.objects.create(user=staff, name="Authenticator app", confirmed=True)
    return device, fresh_recovery_codes(staff)


def code_of(key: bytes, offset: int = 0) -> str:
    totp = TOTP(key)
    totp.time = totp.time + offset * totp.step
    return f"{totp.token():06d}"


def device_code(device: TOTPDevice, offset: int = 0) -> str:
    return code_of(device.bin_key, offset)


def signed_in_with_password(user: User) -> HttpClient:
    http = HttpClient()
    assert http.post("/accounts/login/", {"username": user.username, "password": PASSWORD}).status_code == 302
    return http


def secret_shown(page: str) -> bytes:
    secret = re.search(r'<code id="totp-secret">([A-Z2-7 ]+)</code>', page)
    assert secret, page
    return b32decode(secret.group(1).replace(" ", ""))


def codes_shown(page: str) -> list[str]:
    return re.findall(r'<li><code class="recovery-code">((?:[a-z2-7]{4}-){5}[a-z2-7]{4})</code></li>', page)


def stored_digests(user: User) -> list[str]:
    return sorted(RecoveryCode.objects.filter(device__user=user).values_list("digest", flat=True))


def actions_of(user: User) -> list[str]:
    events = AuditEvent.objects.filter(actor=user, action__startswith="two_factor.").order_by("id")
    return list(events.values_list("action", flat=True))


# Enrolment ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/workspace/", "/admin/", "/notifications/", SECURITY])
def test_without_a_device_every_page_sends_to_enrolment_first(required, staff, path):
    http = signed_in_with_password(staff)

    response = http.get(path)

    assert response.status_code == 302
    assert response["Location"] == f"{SETUP}?next={path}"


def test_the_staff_api_refuses_an_unverified_session_with_a_clear_reason(required, staff):
    http = signed_in_with_password(staff)

    response = http.get("/api/clients")

    assert response.status_code == 403
    assert "second factor" in response.json()["detail"]


def test_the_staff_api_answers_a_verified_session(required, staff):
    http = signed_in_with_password(staff)
    key = secret_shown(http.get(SETUP).content.decode())
    http.post(SETUP, {"code": code_of(key)})

    assert http.get("/api/clients").status_code == 200


def test_enrolment_shows_a_qr_code_and_the_secret_then_recovery_codes_once(required, staff):
    http = signed_in_with_password(staff)

    page = http.get(f"{SETUP}?next=/workspace/").content.decode()
    assert "<svg" in page
    key = secret_shown(page)
    confirmed = http.post(f"{SETUP}?next=/workspace/", {"code": code_of(key)})

    assert confirmed.status_code == 302
    assert confirmed["Location"] == f"{RECOVERY_CODES}?next=/workspace/"
    device = TOTPDevice.objects.get(user=staff)
    assert device.confirmed and device.bin_key == key
    codes = codes_shown(http.get(confirmed["Location"]).content.decode())
    assert len(codes) == 10
    assert stored_digests(staff) == sorted(recovery_code_digest(code) for code in codes)
    assert codes_shown(http.get(RECOVERY_CODES).content.decode()) == []
    assert http.get("/workspace/").status_code == 302
    assert not http.get("/workspace/")["Location"].startswith("/accounts/")
    assert actions_of(staff) == ["two_factor.enrolled"]


def test_a_wrong_code_at_enrolment_confirms_nothing(required, staff):
    http = signed_in_with_password(staff)
    key = secret_shown(http.get(SETUP).content.decode())

    response = http.post(SETUP, {"code": code_of(key, offset=10)})

    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert not TOTPDevice.objects.filter(user=staff, confirmed=True).exists()
    assert http.get("/workspace/")["Location"].startswith(SETUP)
    assert actions_of(staff) == ["two_factor.failed"]


def test_the_secret_stays_the_same_while_enrolment_is_unfinished(required, staff):
    http = signed_in_with_password(staff)

    assert secret_shown(http.get(SETUP).content.decode()) == secret_shown(http.get(SETUP).content.decode())


def test_someone_with_the_password_only_cannot_enrol_a_second_authenticator(required, enrolled, staff):
    http = signed_in_with_password(staff)

    response = http.get(SETUP)

    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)
    assert http.post(SETUP, {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=staff).count() == 1


# Signing in with a code ---------------------------------------------------------------------------


def test_with_a_device_the_password_leads_to_the_code_then_to_the_page(required, enrolled, staff):
    device, _ = enrolled
    http = signed_in_with_password(staff)

    assert http.get("/admin/")["Location"] == f"{VERIFY}?next=/admin/"
    response = http.post(f"{VERIFY}?next=/admin/", {"code": device_code(device)})

    assert response["Location"] == "/admin/"
    assert http.get("/admin/").status_code == 200
    assert actions_of(staff) == ["two_factor.verified"]


def test_a_wrong_code_is_refused_and_audited(required, enrolled, staff):
    http = signed_in_with_password(staff)

    response = http.post(VERIFY, {"code": "000000"})

    assert response.status_code == 200
    assert "This code is not valid" in response.content.decode()
    assert http.get("/workspace/")["Location"].startswith(VERIFY)
    event = AuditEvent.objects.get(actor=staff, action="two_factor.failed")
    assert event.outcome == Decision.DENIED
    assert "000000" not in str(event.detail)


def test_a_code_works_once(required, enrolled, staff):
    device, _ = enrolled
    code = device_code(device)
    assert signed_in_with_password(staff).post(VERIFY, {"code": code}).status_code == 302

    again = signed_in_with_password(staff)
    response = again.post(VERIFY, {"code": code})

    assert response.status_code == 200
    assert again.get("/workspace/")["Location"].startswith(VERIFY)


def test_a_recovery_code_works_once(required, enrolled, staff):
    _, codes = enrolled
    first = signed_in_with_password(staff)
    assert first.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert first.get("/workspace/")["Location"] == "/"

    second = signed_in_with_password(staff)

    assert second.post(VERIFY, {"code": codes[0]}).status_code == 200
    assert len(stored_digests(staff)) == 9
    assert actions_of(staff) == ["two_factor.recovery_code_used", "two_factor.failed"]


def test_the_password_alone_never_marks_the_session_verified(required, enrolled, staff):
    http = signed_in_with_password(staff)

    for path in ("/workspace/", "/notifications/", SECURITY, RECOVERY_CODES):
        assert http.get(path)["Location"].startswith(VERIFY), path


# When the setting is off ----------------------------------------------------------------------------


def test_off_a_user_without_a_device_signs_in_with_the_password_alone(staff):
    http = signed_in_with_password(staff)

    assert http.get("/notifications/").status_code == 200


def test_off_a_user_who_enrolled_is_still_asked_for_a_code(enrolled, staff):
    device, _ = enrolled
    http = signed_in_with_password(staff)

    assert http.get("/notifications/")["Location"] == f"{VERIFY}?next=/notifications/"
    assert http.post(VERIFY, {"code": device_code(device)}).status_code == 302
    assert http.get("/notifications/").status_code == 200


def test_the_sign_in_page_says_plainly_when_the_second_factor_is_off(client, settings):
    settings.PORTAL_REQUIRE_TWO_FACTOR = False
    assert "The second factor is off in this demo" in client.get("/accounts/login/").content.decode()

    settings.PORTAL_REQUIRE_TWO_FACTOR = True
    assert "The second factor is off" not in client.get("/accounts/login/").content.decode()


# The account page ----------------------------------------------------------------------------------


def test_the_account_page_lists_the_devices_and_the_recovery_codes_left(required, enrolled, staff):
    device, codes = enrolled
    http = signed_in_with_password(staff)
    http.post(VERIFY, {"code": codes[0]})

    page = http.get(SECURITY).content.decode()

    assert "Authenticator app" in page
    assert "9 recovery codes left" in page


def test_new_recovery_codes_replace_the_old_ones_and_are_shown_once(required, enrolled, staff):
    device, old_codes = enrolled
    http = signed_in_with_password(staff)
    http.post(VERIFY, {"code": device_code(device)})

    response = http.post(f"{SECURITY}recovery-codes/")

    assert response["Location"] == RECOVERY_CODES
    new_codes = codes_shown(http.get(RECOVERY_CODES).content.decode())
    assert len(new_codes) == 10
    assert not set(new_codes) & set(old_codes)
    assert RecoveryCodes.objects.filter(user=staff).count() == 1
    assert stored_digests(staff) == sorted(recovery_code_digest(code) for code in new_codes)
    assert actions_of(staff) == ["two_factor.verified", "two_factor.recovery_codes_replaced"]


def test_a_user_without_a_device_may_enrol_from_the_account_page_when_it_is_off(staff):
    http = signed_in_with_password(staff)

    page = http.get(SECURITY).content.decode()

    assert f'href="{SETUP}"' in page
    assert http.get(SETUP).status_code == 200


def test_recovery_codes_are_stored_only_as_digests_and_typed_in_any_case_or_spacing(required, enrolled, staff):
    _, codes = enrolled
    stored = " ".join(RecoveryCode.objects.filter(device__user=staff).values_list("digest", flat=True))
    assert not any(code.replace("-", "") in stored.replace("-", "") for code in codes)

    typed = codes[3].replace("-", " ").upper()
    assert signed_in_with_password(staff).post(VERIFY, {"code": typed}).status_code == 302
    assert len(stored_digests(staff)) == 9
