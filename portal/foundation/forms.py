"""Typed access to the parts of a Django form that code narrows at run time."""

from typing import cast

from django import forms


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's model choice field `name`, whose queryset or empty label a form narrows per user."""
    return cast(forms.ModelChoiceField, form.fields[name])
