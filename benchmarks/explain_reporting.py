"""Where the dashboards' and the coordinator overview's SQL time goes, on a benchmark database.

    DATABASE_URL=postgres://... python benchmarks/explain_reporting.py [--explain 3] [--rounds 3]

Runs, as the bench's national coordinator of Iraq (bench-coordinator, made by benchmarks/generate.py)
and with the dashboards' default filters, what the views run: the report behind every dashboard
(`reporting.indicators.build_report`: one report serves each of the five groups and the API) and the
overview (`reporting.overview.overview_of`). Prints each query's time (the best of `--rounds`) and the
EXPLAIN (ANALYZE, BUFFERS) of the slowest `--explain` queries, then the time of two dashboard pages
through Django's test client (in-process, no HTTP): built afresh (the casework's generation moved on
first) and read from the report cache. Not part of `make test`.
"""

import argparse
import os
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402

from portal.foundation import caching  # noqa: E402
from reporting import access  # noqa: E402
from reporting.filters import ReportFilter  # noqa: E402
from reporting.indicators import build_report  # noqa: E402
from reporting.overview import overview_of  # noqa: E402
from reporting.report_cache import GENERATION  # noqa: E402

COORDINATOR = "bench-coordinator"
COUNTRY = "IQ"


def report_of(user):
    scope = access.scope_of(user)
    filters = ReportFilter({}, scope)
    filters.is_valid()
    criteria, country = filters.criteria()
    return build_report(scope.narrowed_to(country), criteria)


def timed_queries(run) -> list[tuple[float, str, tuple]]:
    """(seconds, sql, params) of every query `run()` sends."""
    queries: list[tuple[float, str, tuple]] = []

    def timed(execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            queries.append((time.perf_counter() - started, sql, params))

    with connection.execute_wrapper(timed):
        run()
    return queries


def best_of(rounds: int, run) -> list[tuple[float, str, tuple]]:
    """The queries of `run()`, each with its best time over `rounds` runs after one that fills the caches."""
    run()
    runs = [timed_queries(run) for _ in range(rounds)]
    return [(min(each[i][0] for each in runs), *runs[0][i][1:]) for i in range(len(runs[0]))]


def explain(sql: str, params) -> str:
    with connection.cursor() as cursor:
        # `sql` is a query Django itself sent (captured by execute_wrapper) with its values still apart
        # in `params`: only the EXPLAIN prefix is added. A tool for a throwaway bench database.
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)  # nosemgrep: raw-sql-built-with-string-formatting
        return "\n".join(row[0] for row in cursor.fetchall())


def report(name: str, queries, explained: int) -> None:
    total = sum(seconds for seconds, _sql, _params in queries)
    print(f"## {name}: {len(queries)} queries, {total * 1000:.1f} ms of SQL\n")
    for number, (seconds, sql, _params) in enumerate(queries, 1):
        print(f"{number:3d} {seconds * 1000:8.1f} ms  {sql[:150]}")
    slowest = sorted(range(len(queries)), key=lambda i: -queries[i][0])[:explained]
    for i in slowest:
        seconds, sql, params = queries[i]
        print(f"\n### query {i + 1} ({seconds * 1000:.1f} ms)\n\n{sql}\n\n{explain(sql, params)}")
    print()


def page_times(user, rounds: int) -> None:
    """Best and median milliseconds of dashboard pages, built afresh and from the cache."""
    http = Client()
    http.force_login(user)
    print("## pages (best / median of the rounds, ms)\n")
    for group in ("referrals", "network"):
        path = f"/reporting/dashboards/{group}/"
        for label, before in (("built afresh", lambda: caching.move_on(GENERATION)), ("from the cache", None)):
            times = []
            for _ in range(rounds):
                if before:
                    before()
                started = time.perf_counter()
                assert http.get(path).status_code == 200  # noqa: S101 - a bench script
                times.append((time.perf_counter() - started) * 1000)
            times.sort()
            print(f"{path} {label}: {times[0]:.0f} / {times[len(times) // 2]:.0f}")
    print()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--explain", type=int, default=3, help="how many of the slowest queries to explain")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each page; each query's best time counts")
    arguments = parser.parse_args()
    user = get_user_model().objects.get(username=COORDINATOR)
    report("dashboards (build_report)", best_of(arguments.rounds, lambda: report_of(user)), arguments.explain)
    report(f"overview ({COUNTRY})", best_of(arguments.rounds, lambda: overview_of(user, COUNTRY)), arguments.explain)
    page_times(user, arguments.rounds)


if __name__ == "__main__":
    main()
