"""The one rule for names and free text (portal.foundation.validators), as models, forms and the API apply it."""

import pytest
from django.core.exceptions import ValidationError

from portal.foundation.converters import RecordIdConverter
from portal.foundation.validators import validate_free_text, validate_name

REFUSED_NAMES = {
    "NUL": "Ai\x00gul",
    "bell": "Ai\x07gul",
    "DEL": "Aigul\x7f",
    "right-to-left override": "Aigul\u202egnp.exe",
    "left-to-right embedding": "\u202aAigul",
    "pop directional formatting": "Aigul\u202c",
    "first strong isolate": "\u2068Aigul\u2069",
    "right-to-left isolate": "\u2067Aigul",
    "only zero-width spaces": "\u200b\u200b",
    "only zero-width joiners": "\u200c\u200d",
    "only a word joiner and a BOM": "\u2060\ufeff",
    "only spaces and a zero-width space": " \u200b ",
    "only a Hangul filler": "\u3164",
}
ACCEPTED_NAMES = ["Aigul", "Дильназ Омарова", "Айгүл", "علي الحسن", "Şirin O'Neil-Smith", "می\u200cخواهم"]


@pytest.mark.parametrize("value", REFUSED_NAMES.values(), ids=REFUSED_NAMES.keys())
def test_names_with_controls_bidi_overrides_or_nothing_visible_are_refused(value):
    with pytest.raises(ValidationError):
        validate_name(value)


@pytest.mark.parametrize("value", ACCEPTED_NAMES)
def test_names_in_any_script_are_accepted(value):
    validate_name(value)


@pytest.mark.parametrize("value", ["\x00", "Note\x00", "Note\x1b[31m", "\x08"])
def test_free_text_refuses_control_characters(value):
    with pytest.raises(ValidationError):
        validate_free_text(value)


@pytest.mark.parametrize(
    "value", ["Line one\r\nLine two\tand a tab", "He said \u202eEMAN\u202c", "\u2067عربي\u2069 text"]
)
def test_free_text_keeps_line_breaks_tabs_and_bidi_marks(value):
    validate_free_text(value)


@pytest.mark.parametrize("value", [str(2**63), str(2**70), "0"])
def test_the_record_id_converter_matches_no_id_a_64_bit_column_cannot_hold(value):
    with pytest.raises(ValueError):
        RecordIdConverter().to_python(value)


def test_the_record_id_converter_takes_the_largest_64_bit_id():
    assert RecordIdConverter().to_python(str(2**63 - 1)) == 2**63 - 1
