"""Figures about the network for coordinators, CSOs and international viewers: counts, never people."""

import math

from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from reporting.report_cache import connect_signals

        connection_created.connect(add_percentile_to_sqlite)
        connect_signals()


class SQLitePercentile:
    """PostgreSQL's percentile_cont(fraction) WITHIN GROUP (ORDER BY value) as an SQLite aggregate
    percentile_cont(value, fraction), run by SQLite itself over the rows of the query."""

    def __init__(self):
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction):
        if value is not None:
            self.values.append(value)
        self.fraction = fraction

    def finalize(self):
        if not self.values:
            return None
        values = sorted(self.values)
        position = self.fraction * (len(values) - 1)
        lower, upper = math.floor(position), math.ceil(position)
        return values[lower] + (values[upper] - values[lower]) * (position - lower)


def add_percentile_to_sqlite(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("PERCENTILE_CONT", 2, SQLitePercentile)
