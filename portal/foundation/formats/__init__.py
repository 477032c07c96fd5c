"""Dates, moments (date and time) and numbers as the portal shows them: one format per kind.

Each kind has one function here and one template filter (`portal_formats`), used everywhere a
user reads a date, a date with a time or a number. They follow the active language's formats:
Django's, overridden by the modules of this package (settings.FORMAT_MODULE_PATH) where Django
has none for the language or where the portal's must differ.
"""

import datetime
from decimal import Decimal

from django.utils import formats, timezone


def local_date(value: datetime.date | None) -> str:
    """A day in the active language's DATE_FORMAT; empty for no date (a template's missing value included)."""
    if not value:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return formats.date_format(value, "DATE_FORMAT")


def local_datetime(value: datetime.datetime | None) -> str:
    """A moment in the active language's DATETIME_FORMAT, in the portal's time zone; empty for none."""
    if not value:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return formats.date_format(value, "DATETIME_FORMAT")


def local_number(value: int | float | Decimal | str | None, decimal_pos: int | None = None) -> str:
    """A number with the active language's decimal separator and digit grouping (with `decimal_pos`
    decimals if given); empty for none. A figure already shown as text (a suppressed "<5" or "x") is
    returned as it is: only real numbers are formatted."""
    if value is None or value == "":
        return ""
    if isinstance(value, str):
        return value
    return formats.number_format(value, decimal_pos=decimal_pos, force_grouping=True)
