"""Personal API tokens: each staff member makes, lists and revokes their own, and each expires.

The tokens are Wagtail's APIToken (only a digest is stored, the plaintext is shown once); their
expiry is accounts.models.TokenExpiry. Reads and writes of tokens go through this module only.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import APIToken

from accounts.models import TokenExpiry
from portal.foundation.audit import record_event

LIFETIME_CHOICES = [
    (7, gettext_lazy("7 days")),
    (30, gettext_lazy("30 days")),
    (90, gettext_lazy("90 days")),
]
DEFAULT_TOKEN_LIFETIME = timedelta(days=30)


@dataclass(frozen=True)
class NewToken:
    token: APIToken
    plaintext: str  # shown to its owner once, never stored


def all_tokens() -> QuerySet:
    """Every user's tokens, for operators' commands only."""
    return APIToken.objects.select_related("user", "expiry").order_by("-created", "-pk")


def tokens_of(user: User) -> QuerySet:
    """The user's own tokens, newest first, with their expiry; never anyone else's."""
    return APIToken.objects.filter(user=user).select_related("expiry").order_by("-created", "-pk")


def expires_at(token: APIToken) -> datetime:
    """When the token stops working: its recorded expiry, or the default lifetime after its creation."""
    try:
        return token.expiry.expires_at
    except TokenExpiry.DoesNotExist:
        return token.created + DEFAULT_TOKEN_LIFETIME


def refusal_reason(token: APIToken, now: datetime) -> str | None:
    """Why the token may not be used now, or None if it may."""
    if token.revoked_at is not None:
        return _("This API token has been revoked.")
    if expires_at(token) <= now:
        return _("This API token has expired.")
    if not token.user.is_active:
        return _("The account of this API token is disabled.")
    return None


@transaction.atomic
def create_token(user: User, *, name: str, lifetime_days: int) -> NewToken:
    """Make a token for `user` that works for `lifetime_days` days (one of LIFETIME_CHOICES)."""
    if lifetime_days not in dict(LIFETIME_CHOICES):
        raise ValueError(f"not a token lifetime: {lifetime_days}")
    token, plaintext = APIToken.create_token(user=user, name=name)
    TokenExpiry.objects.create(token=token, expires_at=token.created + timedelta(days=lifetime_days))
    record_event(user, "api_token.create", token, prefix=token.prefix, name=name, lifetime_days=lifetime_days)
    return NewToken(token, plaintext)


@transaction.atomic
def revoke_token(user: User, token: APIToken) -> None:
    """Revoke one of the user's own tokens (found through tokens_of); revoking twice changes nothing."""
    if token.user_id != user.pk:
        raise PermissionDenied
    revoke(token, actor=user)


@transaction.atomic
def revoke_token_by_command(token: APIToken) -> None:
    """An operator revokes any token (e.g. a leaked one) with `manage.py api_tokens revoke`."""
    revoke(token, actor=None)


def revoke(token: APIToken, *, actor: User | None) -> None:
    if token.revoked_at is not None:
        return
    token.revoke()
    record_event(actor, "api_token.revoke", token, prefix=token.prefix, owner=token.user_id)
