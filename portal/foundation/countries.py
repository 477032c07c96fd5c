from django.db import models
from django.utils.translation import gettext_lazy as _


class Country(models.TextChoices):
    """The four countries the portal serves; ISO 3166-1 alpha-2 codes."""

    IRAQ = "IQ", _("Iraq")
    KAZAKHSTAN = "KZ", _("Kazakhstan")
    KYRGYZSTAN = "KG", _("Kyrgyzstan")
    TAJIKISTAN = "TJ", _("Tajikistan")
