"""Forms and verbs together, and typed access to the parts of a Django form that code narrows at run time."""

from collections.abc import Callable
from typing import cast

from django import forms
from django.core.exceptions import ValidationError


def model_choice_field(form: forms.BaseForm, name: str) -> forms.ModelChoiceField:
    """The form's model choice field `name`, whose queryset or empty label a form narrows per user."""
    return cast(forms.ModelChoiceField, form.fields[name])


def carried_out(form: forms.BaseForm, verb: Callable[..., object], *args: object) -> bool:
    """Whether `form` is valid and `verb(*args, **form.cleaned_data)` went through.

    A verb checks its rules again whatever the channel; its refusal (a ValidationError) shows on the
    form like the form's own errors.
    """
    if not form.is_valid():
        return False
    try:
        verb(*args, **form.cleaned_data)
    except ValidationError as error:
        form.add_error(None, error)
        return False
    return True
