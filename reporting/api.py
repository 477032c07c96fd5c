"""The dashboards' tables and the coordinator's overview in the staff JSON API: the same figures, suppressed
the same way, for the same users, as the pages.

`portal.wiring.api` adds this router at /api/reporting/. A dashboard or a country the user may not see
answers 404 (a country, audited like the page); a filter that is not valid, 400 with the reason per
field. A suppressed count is the string "<5" (1 to 4) or "x" (hidden so that no such count can be
worked out); a rate or time is a number, "x" or null when there is none.
"""

import datetime
import json
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django_filters import FilterSet
from ninja import Field, Query, Router, Schema
from ninja.responses import NinjaJSONEncoder

from portal.foundation.listing import Paging
from referrals.schemas import READ_ERRORS
from reporting import access
from reporting.filters import ReportFilter
from reporting.indicators import Criteria, Table
from reporting.overview import days_overdue, get_country_for_coordinator, overview_of, record_referral_list
from reporting.overview_filters import organisation_filter, referral_filter
from reporting.presentation import shown_value
from reporting.report_cache import rendered_for, report_for
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
    narrowed = scope.narrowed_to(country)
    body = rendered_for(narrowed, criteria, f"api:{group}", lambda: report_json(group, filters, narrowed, criteria))
    return HttpResponse(body, content_type="application/json; charset=utf-8")


def report_json(group: str, filters: ReportFilter, scope: access.Scope, criteria: Criteria) -> str:
    """The answer of GET /reporting/{group}, as JSON: rendered once per report, like the dashboard's tables."""
    answer = ReportOut(
        group=group,
        filters=dict(filters.described()),
        suppression=str(RULE),
        tables=[TableOut(**table_out(table)) for table in report_for(scope, criteria).of_group(group)],
    )
    return json.dumps(answer.model_dump(), cls=NinjaJSONEncoder)


# The coordinator's overview --------------------------------------------------------------------

Figure = int | str


class OverdueOut(Schema):
    organisation_id: int
    title: str
    figure: Figure = Field(description='Referrals overdue for an answer; "<5" for 1 to 4.')


class ConstrainedRegionOut(Schema):
    region: str = Field(description="ISO 3166-2 code.")
    open_needs: Figure = Field(description='Needs no accepted referral answers yet; "<5" for 1 to 4.')
    services_full: int
    services_waitlist: int


class MissedCheckInsOut(Schema):
    probation_office: str
    figure: Figure = Field(description='Check-ins missed in the last 30 days; "<5" for 1 to 4.')


class PipelineRowOut(Schema):
    status: str
    label: str
    figures: list[Figure] = Field(description='One per month, oldest first; "<5" for 1 to 4.')


class PipelineOut(Schema):
    months: list[str] = Field(description="The last six months, YYYY-MM, oldest first.")
    rows: list[PipelineRowOut]


class OverviewOut(Schema):
    country: str
    suppression: str
    listings_awaiting_approval: int
    organisations_not_verified: int = Field(description="Listed organisations not verified in 12 months.")
    services_not_verified: int = Field(description="Listed services of those organisations.")
    members_awaiting_approval: int
    overdue: list[OverdueOut]
    constrained_regions: list[ConstrainedRegionOut]
    missed_check_ins: list[MissedCheckInsOut]
    pipeline: PipelineOut


class NamedOut(Schema):
    id: int
    title: str


class OverviewReferralOut(Schema):
    id: str
    receiving_organisation: NamedOut
    service: NamedOut
    sent_on: datetime.date | None
    days_overdue: int | None
    status: str


class OverviewReferralPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[OverviewReferralOut]


class OverviewOrganisationOut(Schema):
    id: int
    title: str
    kind: str
    verified_on: datetime.date | None
    listed_services: int


class OverviewOrganisationPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[OverviewOrganisationOut]


class OverviewReferralQuery(Schema):
    status: str = Field("", description="A status other than draft.")
    organisation: str = Field("", description="Id of the receiving organisation, of this country.")
    month: str = Field("", description="Sent in this month, YYYY-MM.")
    overdue: bool = Field(False, description="Only referrals whose answer is overdue.")


class OverviewOrganisationQuery(Schema):
    kind: str = ""
    unverified: bool = Field(False, description="Only those not verified in the last 12 months.")


def overview_out(overview: dict) -> dict[str, Any]:
    """The overview's figures as published: suppressed figures only, never the counts behind them."""
    return {
        "listings_awaiting_approval": overview["awaiting_approval"],
        "organisations_not_verified": overview["unverified"],
        "services_not_verified": overview["unverified_services"],
        "members_awaiting_approval": overview["members_awaiting_approval"],
        "overdue": [
            {"organisation_id": row["organisation"], "title": row["title"], "figure": row["figure"]}
            for row in overview["overdue"]
        ],
        "constrained_regions": [
            {
                "region": row["region"].code,
                "open_needs": row["needs"],
                "services_full": row["full"],
                "services_waitlist": row["waitlist"],
            }
            for row in overview["constrained_regions"]
        ],
        "missed_check_ins": [
            {"probation_office": row["title"], "figure": row["figure"]} for row in overview["missed_check_ins"]
        ],
        "pipeline": {
            "months": [month.strftime("%Y-%m") for month in overview["pipeline"]["months"]],
            "rows": [
                {
                    "status": row["status"],
                    "label": str(row["label"]),
                    "figures": [cell["figure"] for cell in row["cells"]],
                }
                for row in overview["pipeline"]["rows"]
            ],
        },
    }


def valid_rows(filterset: FilterSet) -> QuerySet:
    """The filtered rows; a value the filter refuses (another country's organisation, no such status) is a 400."""
    if filterset.is_bound and not filterset.is_valid():
        raise ValidationError(filterset.errors)
    return filterset.qs


def paged(rows: QuerySet, paging: Paging) -> dict[str, Any]:
    start = (paging.page - 1) * paging.per_page
    return {
        "count": rows.count(),
        "page": paging.page,
        "per_page": paging.per_page,
        "items": list(rows[start : start + paging.per_page]),
    }


def given(query: Schema) -> dict[str, Any]:
    """The query's values that were given, as the page's filter reads them."""
    return {key: value for key, value in query.dict().items() if value}


@router.get("/reporting/overview/{country}", response={200: OverviewOut, **READ_ERRORS})
def overview(request: HttpRequest, country: str):
    """The coordinator's start page as figures: what needs action now and the referral pipeline of six months."""
    country = get_country_for_coordinator(request.user, country)
    return {"country": country, "suppression": str(RULE), **overview_out(overview_of(request.user, country))}


@router.get("/reporting/overview/{country}/referrals", response={200: OverviewReferralPage, **READ_ERRORS})
def overview_referrals(request: HttpRequest, country: str, paging: Query[Paging], query: Query[OverviewReferralQuery]):
    """The country's referrals behind the figures, newest first, paged: never a person's name or a client's id."""
    country = get_country_for_coordinator(request.user, country)
    page = paged(valid_rows(referral_filter(country, given(query))), paging)
    record_referral_list(request.user, country, page["items"])
    today = timezone.localdate()
    page["items"] = [
        {
            "id": str(referral.pk),
            "receiving_organisation": referral.receiving_organisation,
            "service": referral.service,
            "sent_on": timezone.localdate(referral.sent_at) if referral.sent_at else None,
            "days_overdue": days_overdue(referral, today),
            "status": referral.status,
        }
        for referral in page["items"]
    ]
    return page


@router.get("/reporting/overview/{country}/organisations", response={200: OverviewOrganisationPage, **READ_ERRORS})
def overview_organisations(
    request: HttpRequest, country: str, paging: Query[Paging], query: Query[OverviewOrganisationQuery]
):
    """The country's listed organisations by name, paged: kind, last verified, how many services they list."""
    country = get_country_for_coordinator(request.user, country)
    return paged(valid_rows(organisation_filter(country, given(query))), paging)
