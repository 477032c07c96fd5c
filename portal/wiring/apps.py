from django.apps import AppConfig


class WiringConfig(AppConfig):
    name = "portal.wiring"
    label = "portal_wiring"
    verbose_name = "Portal wiring"
