"""Forms and verbs together, typed access to the parts of a Django form that code narrows at run time,
and model choices in name order."""

from collections.abc import Callable
from typing import cast

from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator

from portal.foundation.collation import name_sort_key


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


class NameOrderedChoices(ModelChoiceIterator):
    """A model choice field's choices ordered by their names in the visitor's alphabet, the empty one first."""

    def __iter__(self):
        choices = iter(super().__iter__())
        if self.field.empty_label is not None:
            yield next(choices)
        yield from sorted(choices, key=lambda choice: name_sort_key(str(choice[1])))


def order_choices_by_name(field: forms.ModelChoiceField) -> None:
    """Offer the field's records (regions, categories, languages) by name in the visitor's alphabet."""
    field.iterator = NameOrderedChoices
    field.widget.choices = field.choices


class NameOrderedChoicesForm(forms.Form):
    """A filter form whose model choices are offered by name in the visitor's alphabet."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                order_choices_by_name(field)
