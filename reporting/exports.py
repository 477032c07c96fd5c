"""CSV and XLSX of one table, as shown: suppressed cells stay "<5" or "x", every text cell formula-safe,
and the file states the filters it was made with and the suppression rule."""

import csv
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook

from portal.foundation.exports import spreadsheet_safe
from reporting.indicators import Table
from reporting.presentation import header_of, rows_of
from reporting.suppression import RULE


def lines_of(table: Table, filters: list[tuple[str, str]]) -> list[list]:
    """The file's lines: title, filters, suppression rule, a blank line, then the table."""
    lines: list[list] = [[str(table.title)]]
    lines += [[label, value] for label, value in filters]
    rule = RULE if table.suppressed else _("These figures count public directory listings: none is suppressed.")
    lines += [[str(_("Suppression")), str(rule)], [], header_of(table), *rows_of(table)]
    return [[spreadsheet_safe(value) for value in line] for line in lines]


def as_csv(table: Table, filters: list[tuple[str, str]]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(lines_of(table, filters))
    return buffer.getvalue().encode("utf-8-sig")


def as_xlsx(table: Table, filters: list[tuple[str, str]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = table.key[:31]
    for line in lines_of(table, filters):
        sheet.append(line)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
