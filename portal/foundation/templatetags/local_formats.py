"""One filter per kind of value a user reads: `local_date`, `local_datetime`, `local_number`."""

from django import template

from portal.foundation import formats

register = template.Library()
register.filter("local_date", formats.local_date, expects_localtime=True)
register.filter("local_datetime", formats.local_datetime, expects_localtime=True)
register.filter("local_number", formats.local_number)
