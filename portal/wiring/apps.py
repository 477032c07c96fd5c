from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WiringConfig(AppConfig):
    name = "portal.wiring"
    label = "portal_wiring"
    verbose_name = "Portal wiring"

    def ready(self):
        from portal.foundation.navigation import register_link

        register_link("client", _("Case notes"), "aftercare:case_notes")
        register_link("subject_access", _("Download everything held (subject access)"), "aftercare:subject_access")
