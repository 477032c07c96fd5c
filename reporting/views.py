"""The dashboards: one page per group of indicators, each chart followed by its table, and their exports."""

from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET

from reporting import access, charts, exports, report_cache
from reporting.access import Scope
from reporting.filters import ReportFilter
from reporting.indicators import Criteria, Table
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


def chosen_figures(request, group: str) -> tuple[ReportFilter, Scope | None, Criteria | None]:
    """The filters of the request, and the scope and criteria of the figures they choose for `group` (None
    when the filters are wrong); 404 when the user may not see the group."""
    scope = access.group_for(request.user, group)
    filters = ReportFilter(request.GET or None, scope)
    if filters.is_bound and not filters.is_valid():
        return filters, None, None
    if not filters.is_bound:
        filters = ReportFilter({}, scope)
        filters.is_valid()
    criteria, country = filters.criteria()
    return filters, scope.narrowed_to(country), criteria


@login_required
@require_GET
def index(request):
    return redirect("reporting:dashboard", group=access.scope_of(request.user).groups[0])


@login_required
@require_GET
def dashboard(request, group: str):
    filters, scope, criteria = chosen_figures(request, group)
    # Only the filters travel on to the links of the page, so that its figures are rendered once per filters.
    query = urlencode([(name, value) for name in filters.form.fields for value in request.GET.getlist(name)])
    if scope is None or criteria is None:
        figures = figures_html(group, [], query)
    else:
        figures = report_cache.rendered_for(
            scope,
            criteria,
            f"{group}?{query}",
            lambda: figures_html(group, report_cache.report_for(scope, criteria).of_group(group), query),
        )
    return render(
        request,
        "reporting/dashboard.html",
        {
            "group": group,
            "title": GROUP_TITLES[group],
            "groups": [(key, GROUP_TITLES[key]) for key in filters.scope.groups],
            "filters": filters,
            "applied": filters.described() if scope else [],
            "figures": figures,
            "rule": RULE,
            "query": query,
        },
    )


def figures_html(group: str, tables: list[Table], query: str) -> str:
    """Each table of a dashboard with its chart and export links."""
    shown = [(table, charts.bar_chart(table), shown_rows(table)) for table in tables]
    context = {"group": group, "tables": shown, "query": query, "most_bars": charts.MOST_BARS}
    return render_to_string("reporting/includes/figures.html", context)


@login_required
@require_GET
def export(request, group: str, table: str, file_format: str):
    filters, scope, criteria = chosen_figures(request, group)
    if scope is None or criteria is None or file_format not in FORMATS:
        raise Http404
    found = {each.key: each for each in report_cache.report_for(scope, criteria).of_group(group)}.get(table)
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
