from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.models import APIToken


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
