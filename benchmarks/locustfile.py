"""Load: simulated public visitors and staff, for locust (the bench extra).

    locust -f benchmarks/locustfile.py --headless -u 200 -r 20 -t 60s --host http://127.0.0.1:PORT

Needs BENCH_CLIENT (a client of bench-officer's caseload) and BENCH_SERVICE (a service page's
path) from the generated database, e.g. those benchmarks/scenarios.py's `subjects()` picks. The mix: three visitors of
the public directory to one member of staff; staff sign in once, then read their lists and
records and post a note now and then. With BENCH_HOSTS (base URLs, comma-separated) the users are
spread over those servers in turn, as a load balancer would; `make bench` runs it so (benchmarks/load.py).
"""

import itertools
import os
import re
import uuid

from locust import HttpUser, between, task

from benchmarks.people import PASSWORD

CLIENT = os.environ.get("BENCH_CLIENT", "")
SERVICE = os.environ.get("BENCH_SERVICE", "/directory/")
HOSTS = itertools.cycle([host for host in os.environ.get("BENCH_HOSTS", "").split(",") if host] or [None])


class SpreadUser(HttpUser):
    """A user on the next of BENCH_HOSTS, or on --host without it."""

    abstract = True

    def on_start(self):
        host = next(HOSTS)
        if host:
            self.client.base_url = host


class Visitor(SpreadUser):
    weight = 3
    wait_time = between(1, 5)

    @task(4)
    def directory(self):
        self.client.get("/directory/")

    @task(2)
    def search(self):
        self.client.get("/directory/?q=literacy&category=education&accepting=on", name="/directory/?q=…")

    @task(2)
    def service(self):
        self.client.get(SERVICE, name="service page")

    @task(1)
    def hsds(self):
        self.client.get("/api/hsds/services")


class Staff(SpreadUser):
    weight = 1
    wait_time = between(2, 8)
    username = "bench-officer"

    def on_start(self):
        super().on_start()
        page = self.client.get("/accounts/login/")
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        self.client.post(
            "/accounts/login/",
            {"username": self.username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1) if token else ""},
        )

    @task(3)
    def caseload(self):
        self.client.get("/caseload/")

    @task(2)
    def client_page(self):
        self.client.get(f"/clients/{CLIENT}/", name="client page")

    @task(2)
    def api_clients(self):
        self.client.get("/api/clients")

    @task(1)
    def post_note(self):
        self.client.post(
            f"/clients/{CLIENT}/notes/",
            {
                "body": "Met the client; the plan is on track.",
                "visibility": "team",
                "idempotency_key": str(uuid.uuid4()),
                "csrfmiddlewaretoken": self.client.cookies.get("csrftoken", ""),
            },
            name="posting a note",
        )
