import hashlib
import secrets
from base64 import b32encode

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin
from wagtail.models import APIToken

RECOVERY_CODE_BYTES = 15  # 120 random bits: more than the 112 that let a plain digest stand (ASVS 6.5.2)


class TokenExpiry(models.Model):
    """When a personal API token (Wagtail's APIToken, which has no expiry of its own) stops working.

    Tokens made by the token page always get one; a token made by code without one expires
    DEFAULT_TOKEN_LIFETIME after its creation (accounts.tokens.expires_at).
    """

    token = models.OneToOneField(
        APIToken, on_delete=models.CASCADE, primary_key=True, related_name="expiry", verbose_name=_("token")
    )
    expires_at = models.DateTimeField(_("expires at"))

    class Meta:
        verbose_name = _("API token expiry")
        verbose_name_plural = _("API token expiries")

    def __str__(self) -> str:
        return f"{self.token} · {self.expires_at:%Y-%m-%d %H:%M}"


def new_recovery_code() -> str:
    """24 lower-case letters and digits, shown in groups of four: `abcd-efgh-…`."""
    code = b32encode(secrets.token_bytes(RECOVERY_CODE_BYTES)).decode().lower()
    return "-".join(code[start : start + 4] for start in range(0, len(code), 4))


def recovery_code_digest(code: str) -> str:
    """What is stored of a recovery code; case, spaces and dashes of what was typed do not matter."""
    typed = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(typed.encode()).hexdigest()


class RecoveryCodes(TimestampMixin, ThrottlingMixin, Device):
    """A user's single-use recovery codes, a django-otp device. Only digests of the codes are stored,
    so a copy of the database does not give anyone a way in; a code is deleted when used."""

    class Meta:
        verbose_name = _("recovery codes")
        verbose_name_plural = _("recovery codes")

    def get_throttle_factor(self) -> int:
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token: str) -> bool:
        allowed, _reason = self.verify_is_allowed()
        if not allowed:
            return False
        used, _per_model = self.codes.filter(digest=recovery_code_digest(token)).delete()
        if not used:
            self.throttle_increment()
            return False
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    device = models.ForeignKey(RecoveryCodes, on_delete=models.CASCADE, related_name="codes")
    digest = models.CharField(max_length=64, unique=True)

    def __str__(self) -> str:
        return f"{self.device} · {self.digest[:8]}…"


class Preferences(models.Model):
    """What a user chose for themselves and keeps across browsers: the language of the portal, of their
    e-mails and of their notifications."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="preferences",
        verbose_name=_("user"),
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        verbose_name = _("preferences")
        verbose_name_plural = _("preferences")

    def __str__(self) -> str:
        return f"{self.user} · {self.language}"
