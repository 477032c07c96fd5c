"""Logs never carry names or note text (SECURITY.md 16).

Two of Django's loggers write at DEBUG what records hold, when something asks for DEBUG records:
- `django.db.backends` logs each query with the values it sent (names, note text, session keys)
  while queries are recorded (DEBUG on, as in the demo, or while a test counts queries);
- `django.template` logs each variable it could not resolve with the exception, whose message
  shows the whole object it looked in (e.g. a referral with what it disclosed).
The filters below, installed by the settings' LOGGING, keep what happened and drop the values.
"""

import logging


class WithoutQueryValues(logging.Filter):
    """A query's duration and database, never the query or its values."""

    def filter(self, record: logging.LogRecord) -> bool:
        duration = getattr(record, "duration", None)
        record.msg = "(%.3f) query; alias=%s" if duration is not None else "query"
        record.args = (duration, getattr(record, "alias", "")) if duration is not None else ()
        record.sql = record.params = None
        return True


class WithoutExceptionDetails(logging.Filter):
    """The message (which variable, which template), never the exception and the objects it shows."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.exc_info = None
        record.exc_text = None
        return True
