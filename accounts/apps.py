from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Signing in and out, passwords, second factor, sessions and personal API tokens."""

    name = "accounts"
    verbose_name = "Accounts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from accounts import (
            sessions,  # noqa: F401 - connects the session signal receivers
            signals,  # noqa: F401 - connects the audit of signing in
        )
