"""Signing in and out, the second factor and the one password-reset flow, for the workspace and the
Wagtail admin alike."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import token_views, views
from accounts.middleware import open_before_second_factor
from portal.foundation import converters  # noqa: F401 - registers <id:...>

urlpatterns = [
    path("login/", open_before_second_factor(views.SignInView.as_view()), name="login"),
    path("logout/", open_before_second_factor(auth_views.LogoutView.as_view()), name="logout"),
    # After the password, before anything else: a code, or setting up an authenticator app.
    path("two-factor/verify/", views.two_factor_verify, name="two_factor_verify"),
    path("two-factor/setup/", views.two_factor_setup, name="two_factor_setup"),
    path("two-factor/recovery-codes/", views.recovery_codes, name="two_factor_recovery_codes"),
    path("security/", views.account_security, name="account_security"),
    path("security/recovery-codes/", views.new_recovery_codes, name="new_recovery_codes"),
    # Forgot password: the same answer whether or not an account uses the address given, or it asked too often.
    path(
        "password_reset/",
        views.PasswordResetView.as_view(
            subject_template_name="registration/password_reset_subject.txt",
            email_template_name="registration/password_reset_email.txt",
            extra_email_context={"base_url": settings.WAGTAILADMIN_BASE_URL, "site": settings.WAGTAIL_SITE_NAME},
        ),
        name="password_reset",
    ),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    # New members choose their first password here, from the link their coordinator's invitation sends.
    path(
        "reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("language/", views.choose_language, name="choose_language"),
    path("tokens/", token_views.token_list, name="account_tokens"),
    path("tokens/<id:token_id>/revoke/", token_views.token_revoke, name="account_token_revoke"),
]
