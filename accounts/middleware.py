"""The gate of the second factor: until a signed-in user who owes a code has given it, every page
sends them to give it (or to set up an authenticator app first) and nothing else works."""

from django.contrib.auth.views import redirect_to_login
from django.urls import reverse

from accounts.access import has_second_factor
from accounts.second_factor import second_factor_due

# Static files and the language switch; the staff API answers for itself (403 with the reason,
# portal.wiring.api.SessionAuth), as do its API-token callers who have no session.
OPEN_PATHS = ("/static/", "/i18n/", "/api/", "/healthz")


def open_before_second_factor(view):
    """Mark a view that a signed-in user may use before the second factor (signing in and out, the code)."""
    view.open_before_second_factor = True
    return view


class SecondFactorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if getattr(view_func, "open_before_second_factor", False) or request.path_info.startswith(OPEN_PATHS):
            return None
        if not second_factor_due(request):
            return None
        step = "two_factor_verify" if has_second_factor(request.user) else "two_factor_setup"
        return redirect_to_login(request.get_full_path(), reverse(step))
