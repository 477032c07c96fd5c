"""The indicators of the network, each one aggregation query, disaggregated by sex and by age band.

Every table is computed in the database: a `values(row).annotate(Count(filter=...))` or an
`aggregate(...)` per table, so the number of queries is fixed whatever the data; the four tables of
referrals (by status, by decline reason, per month, by pathway and outcome) add up the counts of one
such query, grouped by all four at once, so the period's referrals are read once for them. Columns are
the sexes and the age bands (age at the end of the period, so a person is in one band for the
whole report), and the total. Times from sending to the answer are percentiles computed by the
database: PostgreSQL's `percentile_cont`, and on SQLite (the demo) an aggregate function of the
same name the portal registers in each connection (`reporting.apps`), run by SQLite over the
rows of the query: no rows are fetched to compute them.

Every table of a report is suppressed together (`reporting.suppression`), since some share
totals: the referrals by status add up to the referrals made, which the months of the trend,
the received referrals per organisation and the reasons of the declined ones share.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db.models import Aggregate, Case, CharField, Count, F, FloatField, Func, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, Concat, TruncMonth
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from aftercare.models import CheckInStatus
from cso_directory.models import Capacity, Region, TaxonomyTerm
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID
from portal.foundation.collation import sorted_by_name
from referrals.models import DeclineReason, Outcome, Referral, ReferralStatus, Sex
from reporting import access
from reporting.access import Scope
from reporting.suppression import Mark, Sum, hide_derived, suppress

Label = str | Promise
DAY = datetime.timedelta(days=1)


# Criteria ---------------------------------------------------------------------------------------


class AgeBand:
    UNDER_18 = "under_18"
    FROM_18_TO_24 = "18_24"
    FROM_25 = "25_plus"
    choices = ((UNDER_18, _("Under 18")), (FROM_18_TO_24, _("18–24")), (FROM_25, _("25 and over")))


@dataclass(frozen=True)
class Criteria:
    """What a report counts: a period of whole months, and optionally a region, category, sex, age band."""

    start: datetime.date  # the first day of the first month
    end: datetime.date  # the last day of the last month
    region: Region | None = None
    category: TaxonomyTerm | None = None
    sex: str = ""
    age_band: str = ""

    def months(self) -> list[datetime.date]:
        months, month = [], self.start
        while month <= self.end:
            months.append(month)
            month = (month + 32 * DAY).replace(day=1)
        return months


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def age_band_q(band: str, client: str, on: datetime.date) -> Q:
    """People whose age on `on` is in `band`; `client` is the path to the client ("client__")."""
    turned_18, turned_25 = years_before(on, 18), years_before(on, 25)
    birth_date = f"{client}birth_date"
    return {
        AgeBand.UNDER_18: Q(**{f"{birth_date}__gt": turned_18}),
        AgeBand.FROM_18_TO_24: Q(**{f"{birth_date}__lte": turned_18, f"{birth_date}__gt": turned_25}),
        AgeBand.FROM_25: Q(**{f"{birth_date}__lte": turned_25}),
    }[band]


def people_q(criteria: Criteria, client: str) -> Q:
    """The filters on people: region of return, sex and age band."""
    q = Q()
    if criteria.region is not None:
        q &= Q(**{f"{client}region_of_return": criteria.region})
    if criteria.sex:
        q &= Q(**{f"{client}sex": criteria.sex})
    if criteria.age_band:
        q &= age_band_q(criteria.age_band, client, criteria.end)
    return q


# Tables -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: Label


TOTAL = "total"
PEOPLE_COLUMNS = (
    Column(Sex.FEMALE, Sex.FEMALE.label),
    Column(Sex.MALE, Sex.MALE.label),
    *(Column(key, label) for key, label in AgeBand.choices),
    Column(TOTAL, _("Total")),
)
SEX_KEYS = (Sex.FEMALE.value, Sex.MALE.value)
AGE_KEYS = tuple(key for key, _label in AgeBand.choices)
COLUMN_KEYS = tuple(column.key for column in PEOPLE_COLUMNS)


def column_q(key: str, client: str, criteria: Criteria) -> Q:
    if key in SEX_KEYS:
        return Q(**{f"{client}sex": key})
    if key in AGE_KEYS:
        return age_band_q(key, client, criteria.end)
    return Q()


@dataclass
class Cell:
    value: int | float | None
    kind: str = "count"  # count, percent or days
    mark: Mark = Mark.SHOWN
    base: int = 0  # of a rate or a time: how many people it is worked out from
    depends: tuple = ()  # of a rate: the count cells it is worked out from

    @property
    def hidden(self) -> bool:
        return self.mark != Mark.SHOWN


@dataclass
class Table:
    key: str
    title: Label
    row_label: Label
    columns: tuple[Column, ...]
    rows: list[tuple[str, Label]] = field(default_factory=list)
    cells: dict[tuple[str, str], Cell] = field(default_factory=dict)
    total_row: Label | None = None  # the label of a total row the table computes, if any
    suppressed: bool = True  # directory tables count listings, which are public, not people
    chart_column: str = TOTAL

    def cell(self, row: str, column: str) -> Cell:
        return self.cells[row, column]

    def all_rows(self) -> list[tuple[str, Label]]:
        return [*self.rows, *([(TOTAL, self.total_row)] if self.total_row else [])]


def people_table(key: str, title: Label, row_label: Label, rows, counts: dict, total_row: Label | None) -> Table:
    """A table of counts of people (or their referrals) by row and column, with its total row."""
    table = Table(key, title, row_label, PEOPLE_COLUMNS, list(rows), total_row=total_row)
    for row, _label in table.rows:
        for column in table.columns:
            table.cells[row, column.key] = Cell(counts.get(row, {}).get(column.key, 0))
    if total_row:
        for column in table.columns:
            table.cells[TOTAL, column.key] = Cell(
                sum(int(table.cells[row, column.key].value or 0) for row, _l in table.rows)
            )
    return table


def counts_by(queryset: QuerySet, row: str, client: str, criteria: Criteria) -> dict[str, dict[str, int]]:
    """{row value: {column: count}} in one grouped query."""
    return tally(grouped_counts(queryset, (row,), client, criteria), lambda entry: str(entry[row]))


def grouped_counts(queryset: QuerySet, rows: tuple[str, ...], client: str, criteria: Criteria) -> list[dict]:
    """The counts of each column per combination of the `rows` values, in one grouped query."""
    columns = {column.key: Count("pk", filter=column_q(column.key, client, criteria)) for column in PEOPLE_COLUMNS}
    return list(queryset.order_by().values(*rows).annotate(**columns))


def tally(
    entries: list[dict], key: Callable[[dict], str], where: Callable[[dict], bool] = lambda entry: True
) -> dict[str, dict[str, int]]:
    """{row: {column: count}}: the counts of the `entries` (of `grouped_counts`) kept by `where`, added up by `key`."""
    counts: dict[str, dict[str, int]] = {}
    for entry in filter(where, entries):
        cells = counts.setdefault(key(entry), dict.fromkeys(COLUMN_KEYS, 0))
        for column in cells:
            cells[column] += entry[column]
    return counts


class Percentile(Aggregate):
    """The continuous percentile `fraction` of an expression (PostgreSQL's percentile_cont)."""

    function = "PERCENTILE_CONT"
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)"

    def __init__(self, expression, fraction: float, **extra):
        super().__init__(expression, fraction=float(fraction), output_field=FloatField(), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        clone = self.copy()
        clone.template = "%(function)s(%(expressions)s, %(fraction)s)"
        return super(Percentile, clone).as_sql(compiler, connection, **extra_context)


def answer_days() -> Func:
    """Days from sending a referral to its answer (the answer event's time), as an expression."""
    return Days(F("at"), F("referral__sent_at"))


class Days(Func):
    """Days from one datetime to a later one, as a float, on PostgreSQL and SQLite."""

    output_field = FloatField()

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler, connection, template="EXTRACT(EPOCH FROM (%(expressions)s)) / 86400.0", arg_joiner=" - "
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(compiler, connection, template="(julianday(%(expressions)s))", arg_joiner=") - julianday(")


# The indicators -----------------------------------------------------------------------------------


def pathway_rows() -> list[tuple[str, Label]]:
    """(code, name) of each pathway, named and ordered in the active language."""
    terms = sorted_by_name(TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID))
    return [(term.code, str(term)) for term in terms]


def outcome_rows(pathways: list[tuple[str, Label]]) -> list[tuple[str, Label]]:
    return [
        (f"{code}:{outcome}", _("%(pathway)s: %(outcome)s") % {"pathway": name, "outcome": outcome_label})
        for code, name in [*pathways, ("", _("No need recorded"))]
        for outcome, outcome_label in Outcome.choices
    ]


def referral_counts(referrals: QuerySet, criteria: Criteria) -> list[dict]:
    """The referrals counted per status, decline reason, month, pathway and outcome together, in one pass over
    them: the tables of referrals add these counts up. A few hundred groups at most, however many referrals:
    the pathway is only told apart for the completed referrals, whose outcomes are counted by pathway."""
    pathway = Case(When(status=ReferralStatus.COMPLETED, then=F("need__category__code")))
    keyed = referrals.annotate(month=TruncMonth("sent_at"), pathway=pathway)
    return grouped_counts(keyed, ("status", "decline_reason", "month", "pathway", "outcome"), "client__", criteria)


def referrals_table(counted: list[dict]) -> Table:
    statuses = [(status, label) for status, label in ReferralStatus.choices if status != ReferralStatus.DRAFT]
    counts = tally(counted, lambda entry: entry["status"])
    return people_table(
        "referrals", _("Referrals by status"), _("Status"), statuses, counts, total_row=_("Referrals made")
    )


def decline_reasons_table(counted: list[dict]) -> Table:
    counts = tally(
        counted, lambda entry: entry["decline_reason"], lambda entry: entry["status"] == ReferralStatus.DECLINED
    )
    return people_table(
        "decline_reasons", _("Declined referrals by reason"), _("Reason"), DeclineReason.choices, counts, None
    )


def trend_table(counted: list[dict], criteria: Criteria) -> Table:
    months = criteria.months()
    counts = tally(counted, lambda entry: str(entry["month"])[:7])  # the month's first day or midnight, by database
    rows = [(month.isoformat()[:7], month.isoformat()[:7]) for month in months]
    return people_table("trend", _("Referrals made per month"), _("Month"), rows, counts, None)


def answers_table(answers: QuerySet, criteria: Criteria) -> Table:
    """Acceptance rate and the median and 90th percentile of the days to an answer, by column."""
    aggregates: dict[str, Aggregate] = {}
    for column in PEOPLE_COLUMNS:
        q = column_q(column.key, "referral__client__", criteria)
        aggregates |= {
            f"n_{column.key}": Count("pk", filter=q),
            f"accepted_{column.key}": Count("pk", filter=q & Q(verb="accept")),
            f"median_{column.key}": Percentile(answer_days(), 0.5, filter=q),
            f"p90_{column.key}": Percentile(answer_days(), 0.9, filter=q),
        }
    found = answers.order_by().aggregate(**aggregates)
    rows: list[tuple[str, Label]] = [
        ("acceptance_rate", _("Acceptance rate (per cent of answered referrals)")),
        ("median_days", _("Median days from sending to the answer")),
        ("p90_days", _("90th percentile of days from sending to the answer")),
    ]
    table = Table("answers", _("Answers to referrals"), _("Indicator"), PEOPLE_COLUMNS, rows)
    for column in PEOPLE_COLUMNS:
        n = found[f"n_{column.key}"]
        depends = tuple(("referrals", status, column.key) for status, _l in ReferralStatus.choices[1:])
        rate = 100 * found[f"accepted_{column.key}"] / n if n else None
        table.cells["acceptance_rate", column.key] = Cell(rate, "percent", base=n, depends=depends)
        table.cells["median_days", column.key] = Cell(found[f"median_{column.key}"], "days", base=n)
        table.cells["p90_days", column.key] = Cell(found[f"p90_{column.key}"], "days", base=n)
    return table


def referral_outcomes_table(counted: list[dict], pathways) -> Table:
    counts = tally(
        counted,
        lambda entry: f"{entry['pathway'] or ''}:{entry['outcome']}",
        lambda entry: entry["status"] == ReferralStatus.COMPLETED and entry["outcome"] != "",
    )
    return people_table(
        "referral_outcomes",
        _("Outcomes of completed referrals by pathway"),
        _("Pathway: outcome"),
        outcome_rows(pathways),
        counts,
        None,
    )


def goals_table(goals: QuerySet, criteria: Criteria, pathways) -> Table:
    assessed = goals.exclude(achievement="")
    keyed = assessed.annotate(pathway_outcome=pathway_outcome_key("pathway__code", "achievement"))
    counts = counts_by(keyed, "pathway_outcome", "case__client__", criteria)
    return people_table(
        "goals",
        _("Achievement of supervision goals by pathway"),
        _("Pathway: achievement"),
        outcome_rows(pathways)[: -len(Outcome.choices)],  # every goal has a pathway
        counts,
        _("Goals assessed"),
    )


def pathway_outcome_key(pathway: str, outcome: str):
    return Concat(Coalesce(F(pathway), Value("")), Value(":"), F(outcome), output_field=CharField())


def release_table(scope: Scope, criteria: Criteria) -> Table:
    """Of the clients released in the period with high-priority needs, those with an accepted referral
    for each of those needs before release (accepted on or before the release day)."""
    released = access.cases_in(scope).filter(opened_on__range=(criteria.start, criteria.end))
    cases = access.with_readiness(released.filter(people_q(criteria, "client__")), criteria.category)
    counts = counts_by(cases, "ready", "client__", criteria)
    rows = [("True", _("With an accepted referral for each high-priority need")), ("False", _("Without"))]
    return people_table(
        "release",
        _("Release readiness"),
        _("Clients released in the period with high-priority needs"),
        rows,
        counts,
        _("Released with high-priority needs"),
    )


def cases_of_category(cases: QuerySet, criteria: Criteria, client: str) -> QuerySet:
    """The cases (or their check-ins) of clients with a need of the criteria's category, if one is given."""
    if criteria.category is None:
        return cases
    return cases.filter(**{f"{client}in": access.clients_with_need_of(criteria.category)})


def supervision_table(scope: Scope, criteria: Criteria) -> Table:
    active = access.cases_in(scope).filter(opened_on__lte=criteria.end).exclude(closed_on__lt=criteria.start)
    active = cases_of_category(active.filter(people_q(criteria, "client__")), criteria, "client__")
    counts = counts_by(active.annotate(row=F("probation_office__country")), "row", "client__", criteria)
    rows = [(country, country) for country in sorted(counts)]
    return people_table(
        "supervision",
        _("Active supervision cases by country"),
        _("Country"),
        rows,
        counts,
        _("Active supervision cases"),
    )


def check_ins_table(scope: Scope, criteria: Criteria) -> Table:
    due = access.check_ins_in(scope).filter(
        due_on__range=(criteria.start, criteria.end), status__in=(CheckInStatus.ATTENDED, CheckInStatus.MISSED)
    )
    due = cases_of_category(due.filter(people_q(criteria, "case__client__")), criteria, "case__client__")
    counts = counts_by(due, "status", "case__client__", criteria)
    rows = [(CheckInStatus.ATTENDED.value, _("Attended")), (CheckInStatus.MISSED.value, _("Missed"))]
    return people_table("check_ins", _("Check-ins attended and missed"), _("Check-in"), rows, counts, _("Check-ins"))


def response_times_table(scope: Scope, referrals: QuerySet, criteria: Criteria) -> Table:
    columns = (
        Column("received", _("Referrals received")),
        Column("acceptance_rate", _("Acceptance rate (per cent)")),
        Column("median_days", _("Median days to answer")),
    )
    answered = Q(events__verb__in=("accept", "decline"))
    per_organisation = (
        referrals.order_by()
        .values("receiving_organisation", "receiving_organisation__title")
        .annotate(
            received=Count("pk", distinct=True),
            answered=Count("events", filter=answered),
            accepted=Count("events", filter=Q(events__verb="accept")),
            median=Percentile(Days(F("events__at"), F("sent_at")), 0.5, filter=answered),
        )
        .order_by("receiving_organisation__title")
    )
    table = Table("response_times", _("Answers per organisation"), _("Organisation"), columns, chart_column="received")
    for entry in per_organisation:
        row = str(entry["receiving_organisation"])
        table.rows.append((row, entry["receiving_organisation__title"]))
        n = entry["answered"]
        table.cells[row, "received"] = Cell(entry["received"])
        rate = 100 * entry["accepted"] / n if n else None
        table.cells[row, "acceptance_rate"] = Cell(rate, "percent", base=n, depends=((table.key, row, "received"),))
        table.cells[row, "median_days"] = Cell(entry["median"], "days", base=n)
    return table


def services_table(scope: Scope, criteria: Criteria, pathways) -> Table:
    services = access.services_in(scope)
    if criteria.region is not None:
        services = services.filter(Q(regions=criteria.region) | Q(organisation__regions=criteria.region))
    columns = (*(Column(key, label) for key, label in Capacity.choices), Column(TOTAL, _("Total")))
    aggregates = {
        column.key: Count("pk", filter=Q(capacity=column.key) if column.key != TOTAL else Q(), distinct=True)
        for column in columns
    }
    grouped = services.order_by().values("categories__code").annotate(**aggregates)
    counts = {entry["categories__code"]: entry for entry in grouped}
    table = Table(
        "services",
        _("Active services by category and capacity"),
        _("Category"),
        columns,
        list(pathways),
        suppressed=False,
    )
    for row, _label in table.rows:
        for column in columns:
            table.cells[row, column.key] = Cell(counts.get(row, {}).get(column.key, 0))
    return table


def organisations_table(scope: Scope, criteria: Criteria) -> Table:
    organisations = access.organisations_in(scope).filter(kind__in=("cso", "government", "international"))
    services = access.services_in(scope)
    if criteria.category is not None:
        services = services.filter(categories=criteria.category)
        organisations = organisations.filter(services__in=services.values("pk"))
    regions = Region.objects.filter(country__in=scope.countries)
    if criteria.region is not None:
        regions = regions.filter(pk=criteria.region.pk)
    counted = regions.annotate(
        organisations_count=Count(
            "organisations", filter=Q(organisations__in=organisations.values("pk")), distinct=True
        ),
        services_count=Count(
            "organisations__services", filter=Q(organisations__services__in=services.values("pk")), distinct=True
        ),
    ).filter(Q(organisations_count__gt=0) | Q(services_count__gt=0))
    columns = (Column("organisations", _("Active organisations")), Column("services", _("Their active services")))
    table = Table(
        "organisations",
        _("Organisations and services per region"),
        _("Region"),
        columns,
        suppressed=False,
        chart_column="organisations",
    )
    for region in sorted_by_name(counted):
        table.rows.append((region.code, str(region)))
        table.cells[region.code, "organisations"] = Cell(region.organisations_count)
        table.cells[region.code, "services"] = Cell(region.services_count)
    return table


# The report -------------------------------------------------------------------------------------

TABLES_OF = {
    "referrals": ("referrals", "decline_reasons", "answers", "trend"),
    "outcomes": ("referral_outcomes", "goals"),
    "release": ("release",),
    "aftercare": ("supervision", "check_ins", "goals"),
    "network": ("response_times", "services", "organisations"),
}
CSO_TABLES = ("referrals", "decline_reasons", "answers", "trend", "referral_outcomes", "response_times")


@dataclass
class Report:
    scope: Scope
    criteria: Criteria
    tables: dict[str, Table]

    def of_group(self, group: str) -> list[Table]:
        return [self.tables[key] for key in TABLES_OF[group] if key in self.tables]


def build_report(scope: Scope, criteria: Criteria) -> Report:
    """Every table the scope may see, computed and suppressed together."""
    referrals = referrals_in_period(scope, criteria)
    answers = access.answers_to(referrals)
    counted = referral_counts(referrals, criteria)
    pathways = pathway_rows()
    builders: dict[str, Callable[[], Table]] = {
        "referrals": lambda: referrals_table(counted),
        "decline_reasons": lambda: decline_reasons_table(counted),
        "answers": lambda: answers_table(answers, criteria),
        "trend": lambda: trend_table(counted, criteria),
        "referral_outcomes": lambda: referral_outcomes_table(counted, pathways),
        "goals": lambda: goals_table(goals_in_period(scope, criteria), criteria, pathways),
        "release": lambda: release_table(scope, criteria),
        "supervision": lambda: supervision_table(scope, criteria),
        "check_ins": lambda: check_ins_table(scope, criteria),
        "response_times": lambda: response_times_table(scope, referrals, criteria),
        "services": lambda: services_table(scope, criteria, pathways),
        "organisations": lambda: organisations_table(scope, criteria),
    }
    keys = CSO_TABLES if scope.is_cso else tuple(builders)
    tables = {key: builders[key]() for key in keys}
    apply_suppression(tables)
    return Report(scope, criteria, tables)


def referrals_in_period(scope: Scope, criteria: Criteria) -> QuerySet[Referral]:
    referrals = access.referrals_in(scope).filter(
        people_q(criteria, "client__"), sent_at__gte=start_of(criteria.start), sent_at__lt=start_of(criteria.end + DAY)
    )
    if criteria.category is not None:
        referrals = referrals.filter(need__category=criteria.category)
    return referrals


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day` in the current time zone: a bound the database compares `sent_at` with
    as it is, so that the planner estimates the period's rows from its statistics (`sent_at__date` could not)."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def goals_in_period(scope: Scope, criteria: Criteria) -> QuerySet:
    goals = access.goals_in(scope).filter(updated_at__date__range=(criteria.start, criteria.end))
    goals = goals.filter(people_q(criteria, "case__client__"))
    if criteria.category is not None:
        goals = goals.filter(pathway=criteria.category)
    return goals


# Suppression of a report ------------------------------------------------------------------------


def sums_of(tables: dict[str, Table]) -> list[Sum]:
    """The sums tying the count cells of the tables: rows, columns and totals shared between tables."""
    sums: list[Sum] = []
    for table in tables.values():
        if not table.suppressed or table.columns != PEOPLE_COLUMNS:
            continue
        for row, _label in table.all_rows():
            if table.cell(row, TOTAL).kind != "count":
                continue
            for group in (SEX_KEYS, AGE_KEYS):
                sums.append(Sum((table.key, row, TOTAL), tuple((table.key, row, key) for key in group)))
    for table in tables.values():
        if table.total_row and table.suppressed:
            for column in table.columns:
                parts = tuple((table.key, row, column.key) for row, _l in table.rows)
                sums.append(Sum((table.key, TOTAL, column.key), parts))
    if "referrals" in tables:
        for column in PEOPLE_COLUMNS:
            made = ("referrals", TOTAL, column.key)
            sums.append(Sum(made, tuple(("trend", row, column.key) for row, _l in tables["trend"].rows)))
            declined = ("referrals", ReferralStatus.DECLINED.value, column.key)
            reasons = tables["decline_reasons"].rows
            sums.append(Sum(declined, tuple(("decline_reasons", row, column.key) for row, _l in reasons)))
            completed = ("referrals", ReferralStatus.COMPLETED.value, column.key)
            outcomes = tables["referral_outcomes"].rows
            sums.append(Sum(completed, tuple(("referral_outcomes", row, column.key) for row, _l in outcomes)))
        received = tables["response_times"].rows
        sums.append(
            Sum(("referrals", TOTAL, TOTAL), tuple(("response_times", row, "received") for row, _l in received))
        )
    return sums


def apply_suppression(tables: dict[str, Table]) -> None:
    counts = {
        (table.key, row, column): int(cell.value or 0)
        for table in tables.values()
        if table.suppressed
        for (row, column), cell in table.cells.items()
        if cell.kind == "count"
    }
    marks = suppress(counts, sums_of(tables))
    for (table_key, row, column), mark in marks.items():
        tables[table_key].cells[row, column].mark = mark
    for table in tables.values():
        for cell in table.cells.values():
            if cell.kind != "count" and hide_derived(cell.base, *(marks.get(key, Mark.SHOWN) for key in cell.depends)):
                cell.mark = Mark.HIDDEN
