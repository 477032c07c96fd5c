from django.apps import AppConfig


class FoundationConfig(AppConfig):
    name = "portal.foundation"
    label = "portal"
    verbose_name = "Portal"
    default_auto_field = "django.db.models.BigAutoField"
