"""When the second factor is due: the one rule behind the pages' gate (accounts.middleware), the
staff API's session authentication (portal.wiring.api) and the sockets (accounts.sockets)."""

from django.conf import settings
from django.http import HttpRequest

from accounts.access import has_second_factor

# Session key: signed in with the password by someone who has set up a second factor.
PENDING = "accounts_second_factor_pending"


def note_sign_in(request: HttpRequest, user) -> None:
    """At sign-in: someone who has set up an authenticator is asked for a code, whatever the setting."""
    if has_second_factor(user):
        request.session[PENDING] = True


def second_factor_due(request: HttpRequest) -> bool:
    return owes_second_factor(request.user, request.session, passed_second_factor(request.user))


def owes_second_factor(user, session, passed: bool) -> bool:
    """A signed-in user who has not yet given a code (`passed`), and must: everyone when
    PORTAL_REQUIRE_TWO_FACTOR is on, otherwise those who set up an authenticator (see `note_sign_in`)."""
    if not user.is_authenticated or passed:
        return False
    return settings.PORTAL_REQUIRE_TWO_FACTOR or bool(session.get(PENDING))


def passed_second_factor(user) -> bool:
    """Whether this session gave a code: django-otp's OTPMiddleware sets the device that accepted it."""
    return getattr(user, "otp_device", None) is not None
