"""Time the public directory pages against the number of services, on PostgreSQL.

    PATH="$PWD/.venv/bin:$PATH" scripts/test-services.sh python benchmarks/directory_pages.py

Migrates the throwaway database that script provides, grows the directory in steps, and for
each step times repeated requests with Django's test client (no network), writing the
percentiles and query counts to benchmarks/directory_pages.md.
"""

import os
import statistics
import sys
import time
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from tests.factories import make_organisation, make_service  # noqa: E402

STEPS = (100, 500, 2000)
SERVICES_PER_ORGANISATION = 20
REQUESTS = 40
URLS = (
    "/directory/",
    "/directory/?category=education&accepting=on",
    "/directory/?country=KZ&language=ru&age=30",
    "/directory/?q=literacy",
)
COUNTRIES = ("IQ", "KZ", "KG", "TJ")
CATEGORIES = ("education", "employment", "legal-aid", "housing", "health")


def grow_to(total: int, existing: int) -> None:
    for number in range(existing, total, SERVICES_PER_ORGANISATION):
        organisation = make_organisation(COUNTRIES[number % 4], title=f"Organisation {number:05}")
        for offset in range(SERVICES_PER_ORGANISATION):
            index = number + offset
            make_service(
                organisation,
                title=f"Literacy and skills {index:05}" if index % 7 == 0 else f"Service {index:05}",
                categories=[CATEGORIES[index % len(CATEGORIES)]],
                languages=["ru", "kk"] if index % 2 else ["ar"],
                capacity="accepting" if index % 3 else "full",
            )


def measure(client: Client, url: str) -> tuple[float, float, int]:
    client.get(url)
    timings = []
    for _ in range(REQUESTS):
        start = time.perf_counter()
        client.get(url)
        timings.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(timings), statistics.quantiles(timings, n=20)[18], len(queries)


def main() -> None:
    call_command("migrate", verbosity=0)
    client = Client()
    rows, existing = [], 0
    for total in STEPS:
        grow_to(total, existing)
        existing = total
        for url in URLS:
            median, p95, queries = measure(client, url)
            rows.append(f"| {total} | `{url}` | {median:.1f} | {p95:.1f} | {queries} |")
            print(rows[-1], flush=True)
    report = Path(__file__).with_suffix(".md")
    report.write_text(
        "# Directory pages: time and queries against the number of services\n\n"
        f"Measured by `benchmarks/directory_pages.py` ({REQUESTS} requests per row, Django test client,\n"
        "PostgreSQL from `scripts/test-services.sh`, on the development machine: 2 cores).\n\n"
        "| services | URL | median ms | p95 ms | queries |\n|---|---|---|---|---|\n" + "\n".join(rows) + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
