"""The staff JSON API at /api/: one NinjaAPI, owned here, mounting the routers of referrals, aftercare
and reporting.

Assembled on top because the apps depend one way (cso_directory ← referrals ← aftercare): each app
offers its router and touches no API object; the answers to refusals are the referrals' ERROR_HANDLERS
and, for refused tokens, the accounts' ones, for every router alike.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import NinjaAPI, security

import accounts.token_auth
import referrals.api
from accounts.second_factor import second_factor_due
from aftercare.api import router as case_notes_router
from reporting.api import router as reporting_router


class SessionAuth(security.SessionAuth):
    """The Django session (same scheme name in the OpenAPI document); its CSRF check applies to
    signed-in users only, so an anonymous call answers 401 like any other. A session still owing its
    second factor answers 403 with the reason."""

    def _get_key(self, request: HttpRequest):
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None):
        user = super().authenticate(request, key)
        if user is not None and second_factor_due(request):
            raise PermissionDenied(
                _("Signing in is not finished: open %(url)s to give your second factor (or to set one up) first.")
                % {"url": reverse("two_factor_verify")}
            )
        return user


api = NinjaAPI(
    title="Reintegration portal: staff API",
    version="1",
    description=referrals.api.__doc__,
    urls_namespace="api",
    auth=[accounts.token_auth.BearerTokenAuth(), SessionAuth()],
)
api.add_router("/", referrals.api.router)
api.add_router("/", case_notes_router)
api.add_router("/", reporting_router)
for exception, handler in {**referrals.api.ERROR_HANDLERS, **accounts.token_auth.ERROR_HANDLERS}.items():
    api.add_exception_handler(exception, handler)

__all__ = ["api"]
