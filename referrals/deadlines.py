"""Response deadlines in working days, with each country's weekend."""

import datetime

from django.conf import settings

from portal.foundation.countries import Country

# Monday is 0. Iraq rests on Friday and Saturday; Central Asia on Saturday and Sunday.
WEEKENDS = {Country.IRAQ: {4, 5}, Country.KAZAKHSTAN: {5, 6}, Country.KYRGYZSTAN: {5, 6}, Country.TAJIKISTAN: {5, 6}}
DEFAULT_RESPONSE_WORKING_DAYS = 5
# An unanswered referral is overdue the day after its deadline, and expires this many working
# days later (0: it expires as soon as the deadline has passed).
DEFAULT_EXPIRY_GRACE_WORKING_DAYS = 2


def response_working_days(country: str) -> int:
    """Per country, from settings.REFERRAL_RESPONSE_WORKING_DAYS; five working days by default."""
    return getattr(settings, "REFERRAL_RESPONSE_WORKING_DAYS", {}).get(country, DEFAULT_RESPONSE_WORKING_DAYS)


def add_working_days(start: datetime.date, days: int, country: str) -> datetime.date:
    weekend = WEEKENDS[Country(country)]
    day = start
    while days > 0:
        day += datetime.timedelta(days=1)
        if day.weekday() not in weekend:
            days -= 1
    return day


def response_due(sent_on: datetime.date, country: str) -> datetime.date:
    return add_working_days(sent_on, response_working_days(country), country)


def expiry_grace_working_days(country: str) -> int:
    """Per country, from settings.REFERRAL_EXPIRY_GRACE_WORKING_DAYS; two working days by default."""
    return getattr(settings, "REFERRAL_EXPIRY_GRACE_WORKING_DAYS", {}).get(country, DEFAULT_EXPIRY_GRACE_WORKING_DAYS)


def last_day_before_expiry(response_due: datetime.date, country: str) -> datetime.date:
    return add_working_days(response_due, expiry_grace_working_days(country), country)
