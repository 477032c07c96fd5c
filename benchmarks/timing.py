"""Query count and SQL time of each response, in headers the benchmark client reads (bench only)."""

import time

from django.db import connection

QUERIES_HEADER = "X-Bench-Queries"
SQL_TIME_HEADER = "X-Bench-SQL-ms"


class QueryTimingMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timing = {"queries": 0, "seconds": 0.0}

        def timed(execute, sql, params, many, context):
            started = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                timing["queries"] += 1
                timing["seconds"] += time.perf_counter() - started

        with connection.execute_wrapper(timed):
            response = self.get_response(request)
        response[QUERIES_HEADER] = str(timing["queries"])
        response[SQL_TIME_HEADER] = f"{timing['seconds'] * 1000:.2f}"
        return response
