"""The portal's settings plus what only the benchmarks need: never used by a deployment.

    DJANGO_SETTINGS_MODULE=benchmarks.settings

Adds a floor page (benchmarks/urls.py) and, when PORTAL_BENCH_TIMING=1, a middleware that reports
each response's query count and SQL time in headers (benchmarks/timing.py).
"""

import os

from portal.settings import *  # noqa: F403
from portal.settings import MIDDLEWARE

ROOT_URLCONF = "benchmarks.urls"
if os.environ.get("PORTAL_BENCH_TIMING") == "1":
    MIDDLEWARE = ["benchmarks.timing.QueryTimingMiddleware", *MIDDLEWARE]
