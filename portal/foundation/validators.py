"""What text the portal accepts, one rule for models, forms and API schemas alike.

- Names and identifiers (a person's names, an organisation's or a service's name): no control
  character, no bidirectional override, embedding or isolate (which reorder what a reader sees),
  and not made only of invisible characters.
- Free text (notes, descriptions): anything a person writes, bidirectional marks included, but no
  control character other than tab and line breaks. PostgreSQL stores no NUL at all.
- Record ids: whole numbers a database's 64-bit integer column can hold.
"""

import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Annotated

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from ninja import Schema
from pydantic import AfterValidator, Field, field_validator

# Reorder the text that follows them (U+202A–202E, U+2066–2069): a name could show as another.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Characters that show nothing although they are not space (Unicode's format characters aside).
BLANK_LOOKING = frozenset("\u115f\u1160\u3164\uffa0\u2800")
FREE_TEXT_CONTROLS_ALLOWED = frozenset("\t\n\r")
LARGEST_ID = 2**63 - 1

RecordId = Annotated[int, Field(ge=1, le=LARGEST_ID)]


def record_ids(values: Iterable[str]) -> list[int]:
    """The record ids among submitted values (say, ticked checkboxes); anything else is left out."""
    return [int(value) for value in values if value.isascii() and value.isdigit() and 1 <= int(value) <= LARGEST_ID]


def is_control(character: str) -> bool:
    return unicodedata.category(character) == "Cc"


def is_invisible(character: str) -> bool:
    """Shows no mark of its own: spaces, format characters (zero-width, BOM…), controls, blank-looking letters."""
    return (
        character.isspace()
        or unicodedata.category(character) in ("Cc", "Cf", "Zs", "Zl", "Zp")
        or (character in BLANK_LOOKING)
    )


def validate_name(value: str) -> None:
    """A name or identifier as people read it: refuses controls, bidi overrides and invisible-only values."""
    if any(is_control(character) for character in value):
        raise ValidationError(_("Names cannot contain control characters."), code="control_character")
    if any(character in BIDI_CONTROLS for character in value):
        raise ValidationError(
            _("Names cannot contain characters that change the direction of the text."), code="bidi_control"
        )
    if value and all(is_invisible(character) for character in value):
        raise ValidationError(_("Enter a name with visible letters."), code="invisible")


def validate_free_text(value: str) -> None:
    """Free text: any character a person writes, but no control character except tab and line breaks."""
    if any(is_control(character) and character not in FREE_TEXT_CONTROLS_ALLOWED for character in value):
        raise ValidationError(
            _("The text contains control characters (such as NUL) that cannot be stored."), code="control_character"
        )


def validate_each(validator: Callable[[str], None], texts: Mapping[str, object]) -> None:
    """`validator` on each named text (other values are left alone); the errors name the fields."""
    errors = {}
    for name, text in texts.items():
        try:
            if isinstance(text, str):
                validator(text)
        except ValidationError as error:
            errors[name] = error.error_list
    if errors:
        raise ValidationError(errors)


def validate_names(instance: object, *field_names: str) -> None:
    """`validate_name` on fields of a model instance, for its `clean()`: the errors name the fields."""
    validate_each(validate_name, {name: getattr(instance, name) for name in field_names})


def validate_free_texts(instance: object, *field_names: str) -> None:
    """`validate_free_text` on fields of a model instance: the errors name the fields."""
    validate_each(validate_free_text, {name: getattr(instance, name) for name in field_names})


def as_value_error(validator):
    """A Django validator as a pydantic one: a refused value answers 422 with the message and the field."""

    def check(value):
        for text in texts_in(value):
            try:
                validator(text)
            except ValidationError as error:
                raise ValueError(" ".join(error.messages)) from None
        return value

    return check


def texts_in(value: object) -> list[str]:
    """The strings in a value as an API receives it: itself, or those of a list or mapping."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list | tuple):
        return [text for item in value for text in texts_in(item)]
    if isinstance(value, dict):
        return [text for item in value.values() for text in texts_in(item)]
    return []


Name = Annotated[str, AfterValidator(as_value_error(validate_name))]


class InputSchema(Schema):
    """What the staff API takes in: every text of every field is at least valid free text, so that a
    NUL answers 422 naming the field on every database instead of failing on PostgreSQL."""

    @field_validator("*", mode="after")
    @classmethod
    def texts_are_free_text(cls, value):
        return as_value_error(validate_free_text)(value)
