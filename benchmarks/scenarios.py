"""Time the portal's pages over HTTP through real ASGI server processes, against the floor.

    python benchmarks/scenarios.py OUTPUT.json

Needs DATABASE_URL and REDIS_URL of a database benchmarks/generate.py filled. Starts daphne (as in
production) with benchmarks.settings, signs in the people of benchmarks/people.py, and measures:
1. each scenario's p50/p95, query count, SQL time and size, interleaved round by round with the
   floor (a trivial JSON view), so every figure is also a ratio to the floor of the same run;
2. throughput at 10 connections and errors at 50 connections (with PostgreSQL's connection count);
3. the same throughput under other ASGI servers and worker counts (the server choice).
"""

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

import django

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Count  # noqa: E402

from aftercare.models import SupervisionCase  # noqa: E402
from benchmarks.browser import Answer, Browser, note_form  # noqa: E402
from benchmarks.fanout import fan_out  # noqa: E402
from benchmarks.load import LOAD_USERS, run_locust  # noqa: E402
from cso_directory.models import ServicePage  # noqa: E402
from referrals.models import Client  # noqa: E402

ROUNDS = int(os.environ.get("BENCH_ROUNDS", "30"))
WARM_UP_ROUNDS = 2
# A scenario stops after MIN_ROUNDS measured rounds once its requests have taken this long: at full
# scale a dashboard takes tens of seconds, and 30 rounds of each would not fit in `make bench`'s time.
SCENARIO_SECONDS = float(os.environ.get("BENCH_SCENARIO_SECONDS", "60"))
MIN_ROUNDS = 5
LOAD_SECONDS = float(os.environ.get("BENCH_LOAD_SECONDS", "8"))
BIN = Path(sys.executable).parent
LOGS = ROOT / "var" / "bench" / "servers"
SERVERS = {
    # A socket's handshake waits for the access check and its audit row; under load that takes
    # longer than daphne's default 5 s, after which daphne drops the connection unanswered.
    "daphne": lambda port: [
        *(str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "--websocket_connect_timeout", "60"),
        "portal.wiring.asgi:application",
    ],
    "uvicorn": lambda port: [
        *(str(BIN / "uvicorn"), "portal.wiring.asgi:application", "--host", "127.0.0.1", "--port", str(port)),
        *("--loop", "uvloop", "--http", "httptools", "--ws", "websockets", "--no-access-log", "--log-level", "warning"),
    ],
}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def servers(kind: str, count: int) -> Iterator[list[str]]:
    """`count` processes of server `kind` on ports of their own; yields their base URLs."""
    environment = os.environ | {
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "PORTAL_BENCH_TIMING": "1",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
    }
    started = []
    LOGS.mkdir(parents=True, exist_ok=True)
    for number in range(count):
        port = free_port()
        with (LOGS / f"{kind}-{count}-{number}.log").open("w") as log:
            process = subprocess.Popen(  # noqa: S603 - our own executables
                SERVERS[kind](port), cwd=ROOT, env=environment, stdout=log, stderr=subprocess.STDOUT
            )
        started.append((process, f"http://127.0.0.1:{port}"))
    try:
        for process, base_url in started:
            wait_for(base_url, process)
        yield [base_url for _process, base_url in started]
    finally:
        for process, _base_url in started:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_for(base_url: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"{base_url}/bench/floor", timeout=2):  # noqa: S310 - loopback
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"the server at {base_url} did not start")


def subjects() -> dict:
    """The records the scenarios read: the client with the most notes, a service, the officer's case."""
    client = Client.objects.annotate(notes=Count("case_notes")).order_by("-notes").first()
    return {
        "client": client.pk,
        "notes": client.notes,
        "case": SupervisionCase.objects.get(client=client).pk,
        "service": ServicePage.objects.live().order_by("pk").first().url,
    }


def scenarios(subject: dict) -> list[tuple[str, str, str, str]]:
    """(name, who, method, path): who is a username of benchmarks/people.py or "" for the public."""
    client, case = subject["client"], subject["case"]
    return [
        ("floor", "", "GET", "/bench/floor"),
        ("/healthz", "", "GET", "/healthz"),
        ("directory", "", "GET", "/directory/"),
        (
            "directory: keyword + 3 filters",
            "",
            "GET",
            "/directory/?q=literacy&category=education&accepting=on&language=ru",
        ),
        ("service page", "", "GET", subject["service"]),
        ("HSDS /services", "", "GET", "/api/hsds/services"),
        ("CSO inbox (busiest CSO)", "bench-caseworker", "GET", "/inbox/"),
        ("clients list", "bench-social-worker", "GET", "/clients/"),
        ("probation caseload", "bench-officer", "GET", "/caseload/"),
        ("client page (most notes)", "bench-officer", "GET", f"/clients/{client}/"),
        ("case page (most notes)", "bench-officer", "GET", f"/cases/{case}/"),
        ("notes page (most notes)", "bench-officer", "GET", f"/clients/{client}/case/"),
        ("API /api/clients", "bench-officer", "GET", "/api/clients"),
        ("API /api/referrals", "bench-caseworker", "GET", "/api/referrals"),
        ("API /api/clients/…/notes", "bench-officer", "GET", f"/api/clients/{client}/notes"),
        ("posting a note", "bench-officer", "POST", f"/clients/{client}/notes/"),
        *coordinator_scenarios(),
    ]


# The dashboards, as the national coordinator of the busiest country (Iraq, half the clients) reads them.
DASHBOARD_GROUPS = ("referrals", "outcomes", "release", "aftercare", "network")
COORDINATED_COUNTRY = "IQ"


def coordinator_scenarios() -> list[tuple[str, str, str, str]]:
    return [
        (
            f"coordinator overview ({COORDINATED_COUNTRY})",
            "bench-coordinator",
            "GET",
            f"/reporting/overview/{COORDINATED_COUNTRY}/",
        ),
        *(
            (f"dashboard: {group}", "bench-coordinator", "GET", f"/reporting/dashboards/{group}/")
            for group in DASHBOARD_GROUPS
        ),
        *(
            (f"API /api/reporting/{group}", "bench-coordinator", "GET", f"/api/reporting/{group}")
            for group in DASHBOARD_GROUPS
        ),
    ]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def summary(answers: list[Answer]) -> dict:
    times = [answer.milliseconds for answer in answers]
    return {
        "p50": statistics.median(times),
        "p95": percentile(times, 0.95),
        "queries": statistics.median(answer.queries for answer in answers),
        "sql_ms": statistics.median(answer.sql_milliseconds for answer in answers),
        "kb": statistics.median(answer.size for answer in answers) / 1024,
        "errors": sum(1 for answer in answers if not 200 <= answer.status < 400),
        "rounds": len(answers),
        "statuses": sorted({answer.status for answer in answers}),
    }


def measure_pages(base_url: str, subject: dict) -> dict:
    browsers = {"": Browser(base_url)}
    for name in ("bench-caseworker", "bench-social-worker", "bench-officer", "bench-coordinator"):
        browsers[name] = Browser(base_url)
        browsers[name].sign_in(name)
    answers: dict[str, list[Answer]] = {}
    first: dict[str, Answer] = {}  # each scenario's first request: what a report built afresh costs
    for round_number in range(WARM_UP_ROUNDS + ROUNDS):
        for name, who, method, path in scenarios(subject):
            if over_budget(answers.get(name, [])):
                continue
            browser = browsers[who]
            answer = browser.post(path, note_form()) if method == "POST" else browser.get(path)
            first.setdefault(name, answer)
            if round_number >= WARM_UP_ROUNDS:
                answers.setdefault(name, []).append(answer)
    return {name: summary(measured) | {"first_ms": first[name].milliseconds} for name, measured in answers.items()}


def over_budget(measured: list[Answer]) -> bool:
    return len(measured) >= MIN_ROUNDS and sum(answer.milliseconds for answer in measured) > SCENARIO_SECONDS * 1000


def database_connections() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")
        return cursor.fetchone()[0]


def load(base_urls: list[str], path: str, connections: int, who: str = "") -> dict:
    """`connections` clients requesting `path` back to back for LOAD_SECONDS, spread over the servers."""
    stop = threading.Event()
    most_connections = [database_connections()]

    browsers = [Browser(base_urls[number % len(base_urls)]) for number in range(connections)]
    for browser in browsers:  # before the clock starts: signing in is not the page's load
        if who:
            browser.sign_in(who)

    def client(number: int) -> list[Answer]:
        browser = browsers[number]
        answers = []
        while not stop.is_set():
            answers.append(browser.get(path))
        return answers

    with ThreadPoolExecutor(connections) as pool:
        futures = [pool.submit(client, number) for number in range(connections)]
        deadline = time.monotonic() + LOAD_SECONDS
        while time.monotonic() < deadline:
            most_connections.append(database_connections())
            time.sleep(0.25)
        stop.set()
        answers = [answer for future in futures for answer in future.result()]
    figures = summary(answers)
    return figures | {
        "requests_per_second": len(answers) / LOAD_SECONDS,
        "requests": len(answers),
        "most_database_connections": max(most_connections),
    }


LOAD_PAGES: list[tuple[str, str, str]] = [
    ("floor", "/bench/floor", ""),
    ("directory", "/directory/", ""),
    ("CSO inbox", "/inbox/", "bench-caseworker"),
]


def measure_load(base_urls: list[str], connections: int, pages=LOAD_PAGES) -> dict:
    return {name: load(base_urls, path, connections, who) for name, path, who in pages}


def run(output: Path, step: Callable[[str], None] = print) -> None:
    subject = subjects()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        postgres = cursor.fetchone()[0]
    results: dict = {
        "subject": {key: str(value) for key, value in subject.items()},
        "postgres": postgres,
        "rounds": ROUNDS,
        "load_seconds": LOAD_SECONDS,
    }
    with servers("daphne", 1) as (base_url,):
        step("pages through one daphne process")
        results["pages"] = measure_pages(base_url, subject)
        step("10 connections")
        results["load_10"] = measure_load([base_url], 10)
        step("50 connections")
        results["load_50"] = measure_load(
            [base_url], 50, [("/healthz", "/healthz", ""), ("directory", "/directory/", "")]
        )
    results["servers"] = {}
    for kind, count in (("daphne", 2), ("uvicorn", 1), ("uvicorn", 2)):
        step(f"{count} × {kind}")
        with servers(kind, count) as base_urls:
            results["servers"][f"{count} × {kind}"] = measure_load(base_urls, 10)
    results["servers"]["1 × daphne"] = results["load_10"]
    output.write_text(json.dumps(results, indent=2))
    step("WebSocket fan-out over two daphne processes")
    run_fan_out(output)
    step(f"load: {LOAD_USERS} locust users over two daphne processes")
    run_load(output, subject)


def run_load(output: Path, subject: dict) -> None:
    """Add locust's figures to the results in `output`."""
    with servers("daphne", 2) as base_urls:
        figures = run_locust(base_urls, subject, LOGS)
    results = json.loads(output.read_text())
    output.write_text(json.dumps(results | {"load": figures}, indent=2))


def run_fan_out(output: Path) -> None:
    """Add the WebSocket fan-out's figures to the results in `output`."""
    officer = get_user_model().objects.get(username="bench-officer")
    clients = SupervisionCase.objects.filter(officer=officer).order_by("client_id").values_list("client_id", flat=True)
    with servers("daphne", 2) as base_urls:
        figures = asyncio.run(fan_out(base_urls, [str(client) for client in clients]))
    results = json.loads(output.read_text())
    output.write_text(json.dumps(results | {"fan_out": figures}, indent=2))


if __name__ == "__main__":
    if sys.argv[2:] == ["--fan-out-only"]:
        run_fan_out(Path(sys.argv[1]))
    elif sys.argv[2:] == ["--load-only"]:
        run_load(Path(sys.argv[1]), subjects())
    else:
        run(Path(sys.argv[1]))
