"""A small keep-alive HTTP client for the benchmarks: one connection, its cookies, each answer timed."""

import http.client
import re
import time
import uuid
from dataclasses import dataclass
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urlparse

from benchmarks.people import PASSWORD
from benchmarks.timing import QUERIES_HEADER, SQL_TIME_HEADER


@dataclass
class Answer:
    status: int
    milliseconds: float
    size: int
    queries: int
    sql_milliseconds: float
    body: bytes


class Browser:
    def __init__(self, base_url: str, timeout: float = 60) -> None:
        address = urlparse(base_url)
        self.host, self.port, self.timeout = address.hostname, address.port, timeout
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, form: dict | None = None) -> Answer:
        headers = {"Cookie": "; ".join(f"{name}={value}" for name, value in self.cookies.items())}
        body = None
        if form is not None:
            body = urlencode(form)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        started = time.perf_counter()
        try:
            self.connection.request(method, path, body=body, headers=headers)
            response = self.connection.getresponse()
            content = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            return Answer(0, (time.perf_counter() - started) * 1000, 0, 0, 0.0, b"")
        milliseconds = (time.perf_counter() - started) * 1000
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        return Answer(
            response.status,
            milliseconds,
            len(content),
            int(response.headers.get(QUERIES_HEADER, 0)),
            float(response.headers.get(SQL_TIME_HEADER, 0)),
            content,
        )

    def get(self, path: str) -> Answer:
        return self.request("GET", path)

    def post(self, path: str, form: dict) -> Answer:
        return self.request("POST", path, {**form, "csrfmiddlewaretoken": self.cookies["csrftoken"]})

    def sign_in(self, username: str) -> None:
        page = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page.body)
        if token is None:
            raise RuntimeError(f"no sign-in form: {page.status}")
        form = {"username": username, "password": PASSWORD, "csrfmiddlewaretoken": token.group(1).decode()}
        answer = self.request("POST", "/accounts/login/", form)
        if answer.status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"{username} could not sign in: {answer.status}")


def note_form() -> dict:
    return {
        "body": "Met the client at the office; the plan is on track.",
        "visibility": "team",
        "idempotency_key": str(uuid.uuid4()),
    }
