"""The dashboards' tables in the staff JSON API: the same figures, suppressed the same way, for the same users.

`portal.wiring.api` adds this router at /api/reporting/. A dashboard the user may not see answers
404; a filter that is not valid, 400 with the reason per field. A suppressed count is the string
"<5" (1 to 4) or "x" (hidden so that no such count can be worked out); a rate or time is a number,
"x" or null when there is none.
"""

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from referrals.schemas import READ_ERRORS
from reporting import access
from reporting.filters import ReportFilter
from reporting.indicators import Table, build_report
from reporting.presentation import shown_value
from reporting.suppression import RULE

router = Router(tags=["reporting"])


class ReportQuery(Schema):
    start: str = Field("", description="First month, YYYY-MM (default: eleven months before the last).")
    end: str = Field("", description="Last month, YYYY-MM (default: this month).")
    country: str = Field("", description="ISO 3166-1 alpha-2 code of one of the countries the user sees.")
    region: str = Field("", description="ISO 3166-2 code of a region.")
    category: str = Field("", description="Code of a pathway.")
    sex: str = ""
    age_band: str = Field("", description="under_18, 18_24 or 25_plus.")


class ColumnOut(Schema):
    key: str
    label: str


class RowOut(Schema):
    key: str
    label: str
    cells: dict[str, int | float | str | None]


class TableOut(Schema):
    key: str
    title: str
    row_label: str
    suppressed: bool = Field(description="False for tables counting public directory listings.")
    columns: list[ColumnOut]
    rows: list[RowOut]


class ReportOut(Schema):
    group: str
    filters: dict[str, str]
    suppression: str
    tables: list[TableOut]


def table_out(table: Table) -> dict[str, Any]:
    return {
        "key": table.key,
        "title": str(table.title),
        "row_label": str(table.row_label),
        "suppressed": table.suppressed,
        "columns": [{"key": column.key, "label": str(column.label)} for column in table.columns],
        "rows": [
            {
                "key": row,
                "label": str(label),
                "cells": {column.key: shown_value(table.cell(row, column.key)) for column in table.columns},
            }
            for row, label in table.all_rows()
        ],
    }


@router.get("/reporting/{group}", response={200: ReportOut, **READ_ERRORS})
def report(request: HttpRequest, group: str, query: Query[ReportQuery]):
    """The tables of one dashboard (referrals, outcomes, release, aftercare, network) with the given filters."""
    scope = access.group_for(request.user, group)
    filters = ReportFilter({key: value for key, value in query.dict().items() if value}, scope)
    if not filters.is_valid():
        raise ValidationError(filters.form.errors.as_data())
    criteria, country = filters.criteria()
    built = build_report(scope.narrowed_to(country), criteria)
    return {
        "group": group,
        "filters": dict(filters.described()),
        "suppression": str(RULE),
        "tables": [table_out(table) for table in built.of_group(group)],
    }
