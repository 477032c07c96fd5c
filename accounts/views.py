"""The lock-out page of signing in, and the one password-reset flow."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render

from accounts import actions
from accounts.throttle import password_reset_limits_reached

# Signing in ---------------------------------------------------------------------------------------


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out attempt (settings.AXES_LOCKOUT_CALLABLE), on any sign-in path:
    the portal's sign-in page with a fresh form, the same for every username, real or not."""
    context = {
        "form": AuthenticationForm(request),
        "next": request.POST.get("next", ""),
        "locked_out_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
    }
    return render(request, "registration/login.html", context, status=429)


# The one password-reset flow ------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, throttled per address and per IP address: a throttled request gets the same
    answer as any other, and no e-mail."""

    def form_valid(self, form):
        limits = password_reset_limits_reached(form.cleaned_data["email"], self.request.META.get("REMOTE_ADDR", ""))
        if not limits:
            return super().form_valid(form)
        actions.record_throttled_password_reset(limits)
        return HttpResponseRedirect(self.get_success_url())
