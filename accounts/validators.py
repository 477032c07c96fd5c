"""Password rules of our own, next to Django's (settings.AUTH_PASSWORD_VALIDATORS)."""

from django.core.exceptions import ValidationError
from django.utils.translation import ngettext


class MaximumLengthValidator:
    """Passwords of up to `max_length` characters (ASVS 6.2.9: at least 64 must be allowed); longer
    ones are refused rather than cut, so that what is typed is what is checked."""

    def __init__(self, max_length: int = 128):
        self.max_length = max_length

    def validate(self, password: str, user=None) -> None:
        if len(password) > self.max_length:
            raise ValidationError(self.message(), code="password_too_long", params={"max_length": self.max_length})

    def message(self) -> str:
        return ngettext(
            "This password is too long: it may have at most %(max_length)d character.",
            "This password is too long: it may have at most %(max_length)d characters.",
            self.max_length,
        )

    def get_help_text(self) -> str:
        return ngettext(
            "Your password may have up to %(max_length)d character.",
            "Your password may have up to %(max_length)d characters.",
            self.max_length,
        ) % {"max_length": self.max_length}
