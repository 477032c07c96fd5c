"""What every export the portal writes (CSV, XLSX) shares."""

from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value: Any) -> Any:
    """A cell a spreadsheet shows as text, never runs: text starting like a formula gets a leading '.

    Plain numbers written as text ("-12", "+7701") stay as they are: a spreadsheet reads them as
    numbers, not formulas.
    """
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS) or is_plain_number(value):
        return value
    return f"'{value}"


def is_plain_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return text.strip() == text


def from_spreadsheet_safe(value: Any) -> Any:
    """The value `spreadsheet_safe` was given, for an import reading back what an export wrote."""
    if isinstance(value, str) and value.startswith("'") and spreadsheet_safe(value[1:]) == value:
        return value[1:]
    return value
