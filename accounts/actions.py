"""Write verbs of the accounts: the audit of signing in, the preferred language, and the second factor
(enrol, verify, recovery codes). Views and signal receivers change accounts only here."""

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.access import has_second_factor
from accounts.models import Preferences, RecoveryCode, RecoveryCodes, new_recovery_code, recovery_code_digest
from portal.foundation.audit import record_event
from portal.foundation.models import Decision

AnyUser = User | AnonymousUser
RECOVERY_CODES = 10
# Failed sign-ins and lock-outs name no account: the username typed may not exist.
NO_ACCOUNT = ("auth.user", "")
AUTHENTICATOR_NAME = gettext_lazy("Authenticator app")
RECOVERY_DEVICE_NAME = "Recovery codes"


def invalid_code() -> ValidationError:
    return ValidationError(
        _("This code is not valid, or it was already used. Wait for the next code of your app and try again."),
        code="invalid_code",
    )


# Signing in ---------------------------------------------------------------------------------------


def record_sign_in(user: User) -> None:
    record_event(user, "sign_in", user)


def record_failed_sign_in(username: str) -> None:
    """A wrong password, an unknown username or a locked-out attempt; never the password itself."""
    record_event(None, "sign_in.failed", NO_ACCOUNT, outcome=Decision.DENIED, username=username[:150])


def record_lock_out(username: str) -> None:
    record_event(None, "sign_in.locked_out", NO_ACCOUNT, outcome=Decision.DENIED, username=username[:150])


def record_throttled_password_reset(limits: list[str]) -> None:
    """A reset link not sent because one address or one IP address asked too often (not which address)."""
    record_event(None, "password_reset.throttled", NO_ACCOUNT, outcome=Decision.DENIED, limits=limits)


# Preferences --------------------------------------------------------------------------------------


def set_preferred_language(user: User, language: str) -> None:
    """Keep the language the user chose, for their next sign-in, their e-mails and their notifications."""
    if language not in dict(settings.LANGUAGES):
        raise ValidationError(_("Choose one of the portal's languages."), code="invalid_language")
    with transaction.atomic():
        Preferences.objects.update_or_create(user=user, defaults={"language": language})
        record_event(user, "preferences.language", user, language=language)


# Second factor ------------------------------------------------------------------------------------


def record_failed_code(user: AnyUser) -> None:
    record_event(user, "two_factor.failed", user, outcome=Decision.DENIED)


def fresh_recovery_codes(user: AnyUser) -> list[str]:
    """Replace the user's recovery codes by RECOVERY_CODES new ones (one recovery device, kept, so that
    a session verified with a recovery code stays verified)."""
    device, _created = RecoveryCodes.objects.get_or_create(
        user=user, defaults={"name": RECOVERY_DEVICE_NAME, "confirmed": True}
    )
    device.codes.all().delete()
    codes = [new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(device=device, digest=recovery_code_digest(code)) for code in codes)
    return codes


def enrol_authenticator(user: AnyUser, key: str, code: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator app holding `key` with a `code` it shows; give the first recovery codes.

    Only for someone without an authenticator: adding one must not be a way round the one they have.
    """
    if has_second_factor(user):
        raise PermissionDenied(_("You already have an authenticator app."))
    device = TOTPDevice(user=user, key=key, name=str(AUTHENTICATOR_NAME), confirmed=True)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    if not (code.isdigit() and totp.verify(int(code), device.tolerance)):
        record_failed_code(user)
        raise invalid_code()
    device.last_t = totp.t()  # the code that confirmed the app cannot sign in as well
    with transaction.atomic():
        device.save()
        codes = fresh_recovery_codes(user)
        record_event(user, "two_factor.enrolled", user, device=device.persistent_id)
    return device, codes


def verify_code(user: AnyUser, code: str) -> Device:
    """The device that accepts `code`: six digits are asked of the authenticator app, anything else of
    the recovery codes. Each code works once (django-otp refuses a TOTP step already used and deletes
    a recovery code when used) and wrong codes slow the next tries down (django-otp's throttling)."""
    model = TOTPDevice if len(code) == 6 and code.isdigit() else RecoveryCodes
    with transaction.atomic():
        devices = model.objects.select_for_update().filter(user=user, confirmed=True)
        device = next((device for device in devices if device.verify_token(code)), None)
        if device is not None:
            if isinstance(device, RecoveryCodes):
                left = device.codes.count()
                record_event(user, "two_factor.recovery_code_used", user, device=device.persistent_id, left=left)
            else:
                record_event(user, "two_factor.verified", user, device=device.persistent_id)
            return device
    record_failed_code(user)
    raise invalid_code()


@transaction.atomic
def regenerate_recovery_codes(user: AnyUser) -> list[str]:
    """New recovery codes for someone with an authenticator; the old ones stop working."""
    if not has_second_factor(user):
        raise PermissionDenied(_("Set up an authenticator app first."))
    codes = fresh_recovery_codes(user)
    record_event(user, "two_factor.recovery_codes_replaced", user)
    return codes
