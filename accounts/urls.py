"""Signing in and out and the one password-reset flow, for the workspace and the Wagtail admin alike."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.urls import path

from accounts import token_views

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Forgot password: the same answer whether or not an account uses the address given.
    path(
        "password_reset/",
        auth_views.PasswordResetView.as_view(
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
    path("tokens/", token_views.token_list, name="account_tokens"),
    path("tokens/<int:token_id>/revoke/", token_views.token_revoke, name="account_token_revoke"),
]
