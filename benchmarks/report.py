"""Write benchmarks/REPORT.md from a run's figures (var/bench/) and the analysis kept by hand.

    python benchmarks/report.py var/bench SCALE > benchmarks/REPORT.md

The figures and the verdict on each target of issue 12 are computed; the explanations of the gaps,
the server choice and the before/after of each change are in benchmarks/analysis.md, included as is.
"""

import json
import os
import platform
import sys
from datetime import UTC, datetime
from importlib.metadata import version
from pathlib import Path

HERE = Path(__file__).resolve().parent
PUBLIC = ("directory", "directory: keyword + 3 filters", "service page", "HSDS /services")
GROUPS = ("referrals", "outcomes", "release", "aftercare", "network")
DASHBOARDS = (
    "coordinator overview (IQ)",
    *(f"dashboard: {group}" for group in GROUPS),
    *(f"API /api/reporting/{group}" for group in GROUPS),
)
STAFF = (
    "CSO inbox (busiest CSO)",
    "clients list",
    "probation caseload",
    "client page (most notes)",
    "case page (most notes)",
    "notes page (most notes)",
    "API /api/clients",
    "API /api/referrals",
    "API /api/clients/…/notes",
    *DASHBOARDS,
)
NOTES_PAGES = ("case page (most notes)", "notes page (most notes)")


def machine(results: dict) -> list[str]:
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if "model name" in line
        ),
        platform.processor(),
    )
    memory_kb = int(Path("/proc/meminfo").read_text().split()[1])
    names = ("django", "wagtail", "channels", "daphne", "uvicorn", "psycopg", "psycopg-pool", "locust")
    packages = ", ".join(f"{name} {version(name)}" for name in names)
    return [
        f"- Machine: {os.cpu_count()} cores ({cpu}), {memory_kb // 1024 // 1024} GB RAM, {platform.platform()}; "
        f"load average when the report was written {os.getloadavg()[0]:.1f}",
        f"- Python {platform.python_version()}; PostgreSQL {results['postgres']} (fsync off, as "
        f"scripts/test-services.sh starts it); {packages}",
        f"- {results['rounds']} measured rounds of every scenario, fewer (at least 5) for one whose requests took"
        f" over BENCH_SCENARIO_SECONDS (60 s by default); each load phase {results['load_seconds']:g} s",
    ]


def verdict(value: float, limit: float, unit: str = "ms") -> str:
    if value <= limit:
        return f"met ({value:.1f} {unit} ≤ {limit:g} {unit})"
    return f"**missed** by {value - limit:.1f} {unit} ({value:.1f} {unit}, {value / limit:.1f}× the target)"


def pages_table(pages: dict, results_rounds: int) -> list[str]:
    floor = pages["floor"]["p50"]
    rows = [
        "| scenario | p50 ms | p95 ms | × floor (p50) | first request ms | queries | SQL ms | KB | errors | rounds |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for name, figures in pages.items():
        first = f"{figures['first_ms']:.0f}" if "first_ms" in figures else "–"
        rows.append(
            f"| {name} | {figures['p50']:.1f} | {figures['p95']:.1f} | {figures['p50'] / floor:.1f} | {first} | "
            f"{figures['queries']:g} | {figures['sql_ms']:.1f} | {figures['kb']:.0f} | {figures['errors']} | "
            f"{figures.get('rounds', results_rounds)} |"
        )
    return rows


def load_table(load: dict) -> list[str]:
    rows = [
        "| page | requests/s | p50 ms | p95 ms | errors / requests | most PostgreSQL connections |",
        "|---|---|---|---|---|---|",
    ]
    for name, figures in load.items():
        rows.append(
            f"| {name} | {figures['requests_per_second']:.0f} | {figures['p50']:.1f} | {figures['p95']:.1f} | "
            f"{figures['errors']} / {figures['requests']} | {figures['most_database_connections']} |"
        )
    return rows


def servers_table(servers: dict) -> list[str]:
    rows = [
        "| server × processes | floor req/s | directory req/s | inbox req/s | inbox p95 ms | errors |",
        "|---|---|---|---|---|---|",
    ]
    for name, load in sorted(servers.items()):
        errors = sum(figures["errors"] for figures in load.values())
        rows.append(
            f"| {name} | {load['floor']['requests_per_second']:.0f} | {load['directory']['requests_per_second']:.0f} | "
            f"{load['CSO inbox']['requests_per_second']:.0f} | {load['CSO inbox']['p95']:.0f} | {errors} |"
        )
    return rows


def fan_out(results: dict) -> list[str]:
    if "fan_out" not in results:
        return ["Not measured in this run."]
    figures = results["fan_out"]
    return [
        f"{figures['opened']} of {figures['sockets']} sockets opened on {figures['clients']} clients' notes, over"
        f" {figures['servers']} daphne processes sharing Redis, in {figures['opening_seconds']:.0f} s"
        f" ({figures['socket_failures']} failed{': ' + figures['first_failure'] if figures['first_failure'] else ''});"
        f" {figures['notes']} notes posted at {figures['notes_per_second']:g} a second (posting p50"
        f" {figures['post_p50']:.0f} ms).",
        "",
        "| deliveries expected | delivered | lost | duplicates | p50 ms | p95 ms | p99 ms |",
        "|---|---|---|---|---|---|---|",
        f"| {figures['expected']} | {figures['delivered']} | {figures['lost']} | {figures['duplicates']} | "
        f"{figures['p50']:.0f} | {figures['p95']:.0f} | {figures['p99']:.0f} |",
    ]


def targets(results: dict) -> list[str]:
    pages, floor = results["pages"], results["pages"]["floor"]["p50"]
    rows = ["| target | result |", "|---|---|"]
    for name in PUBLIC:
        rows.append(f"| {name}: p50 ≤ 3× the floor | {verdict(pages[name]['p50'] / floor, 3, '× floor')} |")
    directory_rate = results["load_10"]["directory"]["requests_per_second"]
    rows.append(
        f"| directory ≥ 100 requests/s per process at 10 connections | "
        f"{'met' if directory_rate >= 100 else '**missed**'} ({directory_rate:.0f} requests/s) |"
    )
    for name in STAFF:
        rows.append(f"| {name}: p50 ≤ 40 ms | {verdict(pages[name]['p50'], 40)} |")
        rows.append(f"| {name}: p95 ≤ 100 ms | {verdict(pages[name]['p95'], 100)} |")
    for name in NOTES_PAGES:
        rows.append(f"| {name}: ≤ 100 KB of HTML | {verdict(pages[name]['kb'], 100, 'KB')} |")
    rows.append(f"| posting a note: p95 ≤ 30 ms | {verdict(pages['posting a note']['p95'], 30)} |")
    errors = sum(figures["errors"] for figures in results["load_50"].values())
    most = max(figures["most_database_connections"] for figures in results["load_50"].values())
    rows.append(
        f"| 0 errors at 50 connections | {'met' if errors == 0 else f'**missed**: {errors} errors'} "
        f"(PostgreSQL connections at most {most}, the runner's own included) |"
    )
    if "fan_out" in results:
        figures = results["fan_out"]
        rows.append(
            f"| WebSocket delivery p95 ≤ 100 ms at 1,000 sockets | {verdict(figures['p95'], 100)}"
            f" at {figures['opened']} open sockets |"
        )
        rows.append(
            f"| WebSocket: 0 lost | {'met' if figures['lost'] == 0 else '**missed**'} ({figures['lost']} lost) |"
        )
    else:
        rows.append("| WebSocket delivery p95 ≤ 100 ms at 1,000 sockets; 0 lost | not measured in this run |")
    if "load" in results:
        figures = results["load"]["requests"]["Aggregated"]
        errors = f"{figures['failures']} errors" if figures["failures"] else "0 errors"
        rows.append(
            f"| Load: {results['load']['users']} concurrent users (locust), 0 errors | "
            f"{'met' if not figures['failures'] else '**missed**'} ({errors} in {figures['requests']} requests) |"
        )
        rows.append(f"| Load: p95 ≤ 300 ms | {verdict(figures['p95'], 300)} |")
    else:
        rows.append("| Load: 200 concurrent users (locust), 0 errors, p95 ≤ 300 ms | not measured in this run |")
    return rows


def load(results: dict) -> list[str]:
    if "load" not in results:
        return ["Not measured in this run."]
    run = results["load"]
    rows = [
        f"{run['users']} users (three public visitors to one member of staff, benchmarks/locustfile.py) spawned at"
        f" {run['spawn_rate']} a second, for {run['duration']}, spread over {run['servers']} daphne processes;"
        " locust runs on the same two cores as the servers and PostgreSQL.",
        "",
        "| requests | count | failures | requests/s | p50 ms | p95 ms |",
        "|---|---|---|---|---|---|",
    ]
    for name, figures in sorted(run["requests"].items(), key=lambda item: item[0] == "Aggregated"):
        rows.append(
            f"| {'all' if name == 'Aggregated' else name} | {figures['requests']} | {figures['failures']} | "
            f"{figures['requests_per_second']:.1f} | {figures['p50']:.0f} | {figures['p95']:.0f} |"
        )
    return rows


def main() -> None:
    directory, scale = Path(sys.argv[1]), float(sys.argv[2])
    results = json.loads((directory / "results.json").read_text())
    generated = (directory / "generate.log").read_text().strip().splitlines()
    lines = [
        "# Benchmarks",
        "",
        f"Written by `make bench` (benchmarks/run.sh) on {datetime.now(UTC):%Y-%m-%d %H:%M} UTC, at scale "
        f"{scale:g} of the four-country dataset{'' if scale == 1 else ' (not the full scale: see below)'}.",
        "",
        *machine(results),
        "",
        "## Dataset (benchmarks/generate.py)",
        "",
        "```",
        *generated,
        "```",
        "",
        f"Subjects: {results['subject']}",
        "",
        "## Pages through one daphne process, interleaved with the floor",
        "",
        "Sequential requests on keep-alive connections, one round of every scenario after another; the floor is"
        " `/bench/floor`, a trivial JSON view of benchmarks/urls.py. Queries and SQL time come from"
        " benchmarks/timing.py (benchmark settings only). The first request of a scenario is not measured"
        " (two warm-up rounds) but shown apart: for the dashboards and their API it is the report built"
        " afresh; the measured rounds read it from the cache (reporting/report_cache.py), as every request"
        " does until a referral or aftercare record of the country changes.",
        "",
        *pages_table(results["pages"], results["rounds"]),
        "",
        "## 10 concurrent connections, one daphne process",
        "",
        *load_table(results["load_10"]),
        "",
        "## 50 concurrent connections, one daphne process (connection handling)",
        "",
        *load_table(results["load_50"]),
        "",
        *(
            [
                "The same with the pool's former 10 s timeout (DATABASE_POOL_TIMEOUT), before it became 30 s:",
                "",
                *load_table(results["load_50_pool_timeout_10"]),
                "",
            ]
            if "load_50_pool_timeout_10" in results
            else []
        ),
        "## ASGI servers and processes, 10 connections spread over the processes",
        "",
        *servers_table(results["servers"]),
        "",
        "## WebSocket fan-out (benchmarks/fanout.py)",
        "",
        *fan_out(results),
        "",
        "## Load (locust)",
        "",
        *load(results),
        "",
        "## Targets of issue 12",
        "",
        *targets(results),
        "",
        (HERE / "analysis.md").read_text().strip(),
        "",
    ]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
