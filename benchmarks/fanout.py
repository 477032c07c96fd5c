"""WebSocket fan-out: many open case-notes sockets over two daphne processes sharing Redis.

Opened from benchmarks/scenarios.py. The probation officer of benchmarks/people.py opens SOCKETS
sockets on /ws/clients/<id>/notes/, spread evenly over the clients of their caseload and over the
two servers, then posts notes through the notes page at a steady rate, each to the next client in
turn. A note's delivery time is from its `created_at` (set by the server as it writes the note) to
its arrival on each socket watching that client; every note must arrive once on every such socket.
"""

import asyncio
import json
import os
import time
from datetime import datetime

from django.conf import settings
from websockets.asyncio.client import connect

from benchmarks.browser import Browser, note_form

SOCKETS = int(os.environ.get("BENCH_SOCKETS", "1000"))
NOTES_PER_SECOND = float(os.environ.get("BENCH_NOTES_PER_SECOND", "5"))
NOTES = int(os.environ.get("BENCH_NOTES", "150"))
CLIENTS = 100
STRAGGLER_SECONDS = 15
OPEN_TIMEOUT_SECONDS = 120
OPENING_SECONDS = float(os.environ.get("BENCH_OPENING_SECONDS", "240"))  # then notes go to the open sockets
OPENING = asyncio.Semaphore(20)  # sockets being opened at once, as a crowd arriving over a minute would
OPEN_SOCKETS: set[int] = set()  # the numbers of the sockets that opened


async def watch(number: int, url: str, cookie: str, arrivals: list, opened: asyncio.Event, done: asyncio.Event) -> None:
    headers = {"Cookie": f"sessionid={cookie}"}
    try:
        async with OPENING:
            socket = await connect(
                url,
                additional_headers=headers,
                origin=settings.WEBSOCKET_ALLOWED_ORIGINS[0],
                open_timeout=OPEN_TIMEOUT_SECONDS,
                ping_interval=None,
            )
    finally:
        opened.set()
    OPEN_SOCKETS.add(number)
    async with socket:
        while not done.is_set():
            try:
                message = await asyncio.wait_for(socket.recv(), timeout=0.5)
            except TimeoutError:
                continue
            received = time.time()
            event = json.loads(message)
            if event.get("type") == "note" and event["body"].startswith("bench-fanout "):
                arrivals.append(
                    (number, event["body"], received - datetime.fromisoformat(event["created_at"]).timestamp())
                )


async def fan_out(base_urls: list[str], clients: list[str]) -> dict:
    clients = clients[:CLIENTS]
    poster = Browser(base_urls[0])
    poster.sign_in("bench-officer")
    cookie = poster.cookies["sessionid"]
    arrivals: list = []
    done = asyncio.Event()
    openings = []
    sockets_of: list[str] = []
    tasks = []
    for number in range(SOCKETS):
        client = clients[number % len(clients)]
        base_url = base_urls[number % len(base_urls)].replace("http://", "ws://")
        opened = asyncio.Event()
        openings.append(opened)
        sockets_of.append(client)
        url = f"{base_url}/ws/clients/{client}/notes/"
        tasks.append(asyncio.create_task(watch(number, url, cookie, arrivals, opened, done)))
    started = time.monotonic()
    await asyncio.wait([asyncio.create_task(opened.wait()) for opened in openings], timeout=OPENING_SECONDS)
    opening_seconds = time.monotonic() - started
    counted = set(OPEN_SOCKETS)  # a socket opening later would miss notes posted before it opened
    watchers_per_client = {client: 0 for client in clients}
    for number in counted:
        watchers_per_client[sockets_of[number]] += 1
    expected = 0
    loop = asyncio.get_running_loop()
    post_times = []
    next_post = time.monotonic()
    for number in range(NOTES):
        client = clients[number % len(clients)]
        form = note_form() | {"body": f"bench-fanout {number}"}
        answer = await loop.run_in_executor(None, poster.post, f"/clients/{client}/notes/", form)
        post_times.append(answer.milliseconds)
        if answer.status == 302:
            expected += watchers_per_client[client]
        next_post += 1 / NOTES_PER_SECOND
        await asyncio.sleep(max(0.0, next_post - time.monotonic()))
    deadline = time.monotonic() + STRAGGLER_SECONDS
    while len(arrivals) < expected and time.monotonic() < deadline:
        await asyncio.sleep(0.2)
    done.set()
    failures = [result for result in await asyncio.gather(*tasks, return_exceptions=True) if result is not None]
    arrivals = [arrival for arrival in arrivals if arrival[0] in counted]
    delays = sorted(delay * 1000 for _socket, _body, delay in arrivals)
    delivered = len({(socket, body) for socket, body, _delay in arrivals})
    return {
        "sockets": SOCKETS,
        "opened": len(counted),
        "servers": len(base_urls),
        "clients": len(clients),
        "notes": NOTES,
        "notes_per_second": NOTES_PER_SECOND,
        "opening_seconds": opening_seconds,
        "expected": expected,
        "delivered": delivered,
        "lost": expected - delivered,
        "duplicates": len(arrivals) - delivered,
        "socket_failures": len(failures),
        "first_failure": repr(failures[0]) if failures else "",
        "p50": percentile(delays, 0.5),
        "p95": percentile(delays, 0.95),
        "p99": percentile(delays, 0.99),
        "post_p50": percentile(sorted(post_times), 0.5),
    }


def percentile(ordered: list[float], fraction: float) -> float:
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))] if ordered else float("nan")
