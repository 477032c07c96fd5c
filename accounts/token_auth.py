"""The staff API's bearer-token authentication: Wagtail's, refusing expired tokens and auditing every use."""

from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.api.v3 import auth as wagtail_auth
from wagtail.models import APIToken

from accounts.tokens import refusal_reason
from portal.foundation.audit import record_event
from portal.foundation.models import Decision


class TokenRefused(Exception):
    """A bearer token was presented that may not be used; answered 401 with the reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


class BearerTokenAuth(wagtail_auth.BearerTokenAuth):
    """Wagtail's `Authorization: Bearer <token>` (same scheme name in the OpenAPI document), stricter:
    unknown, revoked and expired tokens and disabled accounts are refused with the reason (never
    rescued by a session cookie); each request a token authenticates is audited once, naming the
    token by id and prefix, never by its secret."""

    def authenticate(self, request: HttpRequest, token: str) -> APIToken:
        request.user = AnonymousUser()
        api_token = (
            APIToken.objects.select_related("user", "expiry")
            .filter(key_hash__in=APIToken.candidate_key_hashes(token))
            .first()
        )
        if api_token is None:
            # Nothing of what was presented is recorded: it may be someone's mistyped secret.
            record_event(None, "api_token.refused", UNKNOWN_TOKEN, outcome=Decision.DENIED, **facts(request))
            raise TokenRefused(_("This API token is not valid."))
        reason = refusal_reason(api_token, timezone.now())
        if reason is not None:
            refused = facts(request, api_token)
            record_event(api_token.user, "api_token.refused", api_token, outcome=Decision.DENIED, **refused)
            raise TokenRefused(reason)
        request.user = api_token.user
        record_event(api_token.user, "api_token.use", api_token, **facts(request, api_token))
        self._touch_last_used(api_token)
        return api_token


UNKNOWN_TOKEN = ("wagtailcore.apitoken", "")


def facts(request: HttpRequest, api_token: APIToken | None = None) -> dict:
    named = {"prefix": api_token.prefix} if api_token is not None else {}
    return {**named, "method": request.method, "path": request.path}


def answer_token_refused(request: HttpRequest, exc: TokenRefused) -> HttpResponse:
    response = JsonResponse({"detail": exc.reason}, status=401)
    response["WWW-Authenticate"] = 'Bearer error="invalid_token"'
    return response


# The answer to a refused token, installed with the other handlers by portal.wiring.api.
ERROR_HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
    TokenRefused: answer_token_refused,
}
