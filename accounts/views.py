"""Signing in (with the lock-out page and the second factor) and the one password-reset flow."""

from base64 import b32encode

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render, resolve_url
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_POST
from django.views.i18n import set_language
from django_otp.plugins.otp_totp.models import TOTPDevice, default_key

from accounts import actions
from accounts.access import authenticators_of, has_second_factor, recovery_codes_left
from accounts.forms import CodeForm, PasswordResetForm
from accounts.middleware import open_before_second_factor
from accounts.second_factor import passed_second_factor
from accounts.throttle import password_reset_limits_reached

PENDING_KEY = "accounts_pending_totp_key"  # the secret shown during enrolment, until confirmed
FRESH_CODES = "accounts_fresh_recovery_codes"  # recovery codes to show once


def next_url(request: HttpRequest) -> str:
    """The `next` page asked for, if it is one of ours; otherwise the user's start page."""
    wanted = request.POST.get("next") or request.GET.get("next", "")
    if url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return wanted
    return resolve_url(settings.LOGIN_REDIRECT_URL)


def with_next(request: HttpRequest, url_name: str) -> HttpResponseRedirect:
    """A redirect to `url_name` that passes on the `next` page asked for."""
    wanted = request.GET.get("next")
    return auth_views.redirect_to_login(wanted, reverse(url_name)) if wanted else redirect(url_name)


# Signing in ---------------------------------------------------------------------------------------


class SignInView(auth_views.LoginView):
    def get_context_data(self, **kwargs):
        return super().get_context_data(second_factor_off=not settings.PORTAL_REQUIRE_TWO_FACTOR, **kwargs)


def locked_out(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """django-axes' answer to a locked-out attempt (settings.AXES_LOCKOUT_CALLABLE), on any sign-in path:
    the portal's sign-in page with a fresh form, the same for every username, real or not."""
    context = {
        "form": AuthenticationForm(request),
        "next": request.POST.get("next", ""),
        "locked_out_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        "second_factor_off": not settings.PORTAL_REQUIRE_TWO_FACTOR,
    }
    return render(request, "registration/login.html", context, status=429)


# The one password-reset flow ------------------------------------------------------------------------


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset form, throttled per address and per IP address: a throttled request gets the same
    answer as any other, and no e-mail. Each e-mail is in its account's preferred language."""

    form_class = PasswordResetForm

    def form_valid(self, form):
        limits = password_reset_limits_reached(form.cleaned_data["email"], self.request.META.get("REMOTE_ADDR", ""))
        if not limits:
            return super().form_valid(form)
        actions.record_throttled_password_reset(limits)
        return HttpResponseRedirect(self.get_success_url())


# Second factor ------------------------------------------------------------------------------------


def qr_code_svg(url: str) -> str:
    """The QR code of `url` as inline SVG: segno draws it as paths, no text of the URL gets into the markup,
    so it is safe to mark safe (hence the noqa and nosec below)."""
    svg = segno.make(url, error="m").svg_inline(border=2, omitsize=True, dark="#000", light="#fff")
    return mark_safe(svg)  # noqa: S308  # nosec B308,B703


def grouped(secret: str) -> str:
    return " ".join(secret[index : index + 4] for index in range(0, len(secret), 4))


@open_before_second_factor
@login_required
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the secret), confirm with a code, then
    see the recovery codes once."""
    if has_second_factor(request.user):
        if passed_second_factor(request.user):
            return redirect("account_security")
        return with_next(request, "two_factor_verify")
    key = request.session.setdefault(PENDING_KEY, default_key())
    device = TOTPDevice(user=request.user, key=key)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device, codes = actions.enrol_authenticator(request.user, key, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            del request.session[PENDING_KEY]
            request.session.cycle_key()
            django_otp.login(request, device)
            request.session[FRESH_CODES] = codes
            return with_next(request, "two_factor_recovery_codes")
    context = {
        "form": form,
        "qr_code": qr_code_svg(device.config_url),
        "secret": grouped(b32encode(device.bin_key).decode()),
        "next": request.GET.get("next", ""),
    }
    return render(request, "accounts/two_factor_setup.html", context)


@open_before_second_factor
@login_required
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    """The second step of signing in: a code from the authenticator app, or a recovery code."""
    if not has_second_factor(request.user):
        return with_next(request, "two_factor_setup")
    if passed_second_factor(request.user):
        return redirect(next_url(request))
    form = CodeForm(request.POST or None)
    if form.is_valid():
        try:
            device = actions.verify_code(request.user, form.cleaned_data["code"])
        except ValidationError as error:
            form.add_error("code", error)
        else:
            request.session.cycle_key()
            django_otp.login(request, device)
            return redirect(next_url(request))
    return render(request, "accounts/two_factor_verify.html", {"form": form, "next": request.GET.get("next", "")})


@login_required
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """The recovery codes just made, shown once."""
    context = {"codes": request.session.pop(FRESH_CODES, []), "next": next_url(request)}
    return render(request, "accounts/recovery_codes.html", context)


@login_required
def account_security(request: HttpRequest) -> HttpResponse:
    context = {
        "authenticators": authenticators_of(request.user),
        "recovery_codes_left": recovery_codes_left(request.user),
    }
    return render(request, "accounts/security.html", context)


@require_POST
@login_required
def new_recovery_codes(request: HttpRequest) -> HttpResponse:
    request.session[FRESH_CODES] = actions.regenerate_recovery_codes(request.user)
    return redirect("two_factor_recovery_codes")


@open_before_second_factor
@require_POST
def choose_language(request: HttpRequest) -> HttpResponse:
    """Django's language switch (the cookie, back to `next`), kept with a signed-in user's account too."""
    response = set_language(request)
    language = request.POST.get("language", "")
    if request.user.is_authenticated and language in dict(settings.LANGUAGES):
        actions.set_preferred_language(request.user, language)
    return response
