"""Validators of the directory's fields."""

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.deconstruct import deconstructible
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _


@deconstructible
class TextLimit(MaxLengthValidator):
    """At most `limit_value` characters of free text; the error names the field and the limit."""

    message = _("%(field)s: at most %(limit_value)d characters, please (this has %(show_value)d).")

    def __init__(self, limit_value: int, field: str, message=None):
        super().__init__(limit_value, message)
        self.field = field

    def __call__(self, value):
        length = self.clean(value)
        if self.compare(length, self.limit_value):
            params = {"field": capfirst(self.field), "limit_value": self.limit_value, "show_value": length}
            raise ValidationError(self.message, code=self.code, params={**params, "value": value})

    def __eq__(self, other):
        return super().__eq__(other) and self.field == other.field
