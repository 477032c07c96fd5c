"""What a signed-in user may read of their own account: their second-factor devices and their language."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.models import Preferences, RecoveryCode


def authenticators_of(user):
    """The user's confirmed authenticator apps, oldest first."""
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("created_at", "pk")


def has_second_factor(user) -> bool:
    return authenticators_of(user).exists()


def recovery_codes_left(user) -> int:
    return RecoveryCode.objects.filter(device__user=user, device__confirmed=True).count()


def preferred_language(user) -> str | None:
    """The language the user chose with the switcher while signed in, or None if they never did."""
    return Preferences.objects.filter(user=user).values_list("language", flat=True).first()
