"""The dashboards: one page per group of indicators, each chart followed by its table, and their exports."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from reporting import access, charts, exports, report_cache
from reporting.filters import ReportFilter
from reporting.indicators import Table
from reporting.presentation import shown_cell
from reporting.suppression import RULE

GROUP_TITLES = {
    "referrals": _("Referrals"),
    "outcomes": _("Outcomes by pathway"),
    "release": _("Release readiness"),
    "aftercare": _("Aftercare"),
    "network": _("The CSO network"),
}
FORMATS = {
    "csv": ("text/csv; charset=utf-8", exports.as_csv),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", exports.as_xlsx),
}


def report_for(request, group: str):
    """The user's report for `group` with the request's filters, and the filters; 404 when they may not see it."""
    scope = access.group_for(request.user, group)
    filters = ReportFilter(request.GET or None, scope)
    if filters.is_bound and not filters.is_valid():
        return None, filters
    if not filters.is_bound:
        filters = ReportFilter({}, scope)
        filters.is_valid()
    criteria, country = filters.criteria()
    return report_cache.report_for(scope.narrowed_to(country), criteria), filters


@login_required
@require_GET
def index(request):
    return redirect("reporting:dashboard", group=access.scope_of(request.user).groups[0])


@login_required
@require_GET
def dashboard(request, group: str):
    report, filters = report_for(request, group)
    tables = report.of_group(group) if report else []
    return render(
        request,
        "reporting/dashboard.html",
        {
            "group": group,
            "title": GROUP_TITLES[group],
            "groups": [(key, GROUP_TITLES[key]) for key in filters.scope.groups],
            "filters": filters,
            "applied": filters.described() if report else [],
            "tables": [(table, charts.bar_chart(table), shown_rows(table)) for table in tables],
            "rule": RULE,
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def export(request, group: str, table: str, file_format: str):
    report, filters = report_for(request, group)
    if report is None or file_format not in FORMATS:
        raise Http404
    found = {each.key: each for each in report.of_group(group)}.get(table)
    if found is None:
        raise Http404
    content_type, write = FORMATS[file_format]
    response = HttpResponse(write(found, filters.described()), content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{group}-{table}.{file_format}"'
    return response


def shown_rows(table: Table) -> list[tuple[str, list[str]]]:
    return [
        (str(label), [shown_cell(table.cell(row, column.key)) for column in table.columns])
        for row, label in table.all_rows()
    ]
