from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.tokens import LIFETIME_CHOICES


class TokenForm(forms.Form):
    """A new personal API token: a name to recognise it by and how long it works (never for ever)."""

    name = forms.CharField(
        label=_("Name"), max_length=255, help_text=_("What the token is for, e.g. the script that uses it.")
    )
    lifetime_days = forms.TypedChoiceField(
        label=_("Expires after"), choices=LIFETIME_CHOICES, coerce=int, initial=30, widget=forms.RadioSelect
    )
