from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a member does for their organisation; one user may hold several."""

    PRISON_SOCIAL_WORKER = "prison_social_worker", _("Prison social worker")
    CSO_CASEWORKER = "cso_caseworker", _("CSO caseworker")
    CSO_EDITOR = "cso_editor", _("CSO editor")
    PROBATION_OFFICER = "probation_officer", _("Probation officer")
    PROBATION_SUPERVISOR = "probation_supervisor", _("Probation supervisor")
    NATIONAL_COORDINATOR = "national_coordinator", _("National coordinator")
    INTERNATIONAL_VIEWER = "international_viewer", _("International viewer")
