"""Load: locust's simulated public visitors and staff (benchmarks/locustfile.py) against the servers.

Opened from benchmarks/scenarios.py. Locust runs headless in a process of its own on this machine, as
the servers do, for LOAD_DURATION with LOAD_USERS users (spawned at LOAD_SPAWN_RATE a second), each
user on one of the servers in turn; the figures come from its CSV summary.
"""

import csv
import os
import subprocess
import sys
from pathlib import Path

LOAD_USERS = int(os.environ.get("BENCH_LOAD_USERS", "200"))
LOAD_SPAWN_RATE = int(os.environ.get("BENCH_LOAD_SPAWN_RATE", "20"))
LOAD_DURATION = os.environ.get("BENCH_LOAD_DURATION", "60s")
LOCUST = Path(sys.executable).with_name("locust")
HERE = Path(__file__).resolve().parent


def run_locust(base_urls: list[str], subject: dict, logs: Path) -> dict:
    """Locust's figures: every request together ("Aggregated") and each kind of request."""
    environment = os.environ | {
        "BENCH_CLIENT": str(subject["client"]),
        "BENCH_SERVICE": str(subject["service"]),
        "BENCH_HOSTS": ",".join(base_urls),
    }
    prefix = logs / "locust"
    with (logs / "locust.log").open("w") as log:
        subprocess.run(  # noqa: S603 - our own executable and arguments
            [
                str(LOCUST),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--only-summary",
                "-u",
                str(LOAD_USERS),
                "-r",
                str(LOAD_SPAWN_RATE),
                "-t",
                LOAD_DURATION,
                "--host",
                base_urls[0],
                "--csv",
                str(prefix),
            ],
            cwd=HERE.parent,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
            check=False,  # locust answers 1 when any request failed: the figures say which
        )
    with Path(f"{prefix}_stats.csv").open(newline="") as stats:
        rows = {name_of(row): figures(row) for row in csv.DictReader(stats)}
    return {
        "users": LOAD_USERS,
        "spawn_rate": LOAD_SPAWN_RATE,
        "duration": LOAD_DURATION,
        "servers": len(base_urls),
        "requests": rows,
    }


def name_of(row: dict) -> str:
    """ "GET /caseload/", or "Aggregated" for every request together."""
    return row["Name"] if row["Name"] == "Aggregated" else f"{row['Type']} {row['Name']}"


def figures(row: dict) -> dict:
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "requests_per_second": float(row["Requests/s"]),
        "p50": float(row["50%"] if row["50%"] != "N/A" else "nan"),
        "p95": float(row["95%"] if row["95%"] != "N/A" else "nan"),
    }
