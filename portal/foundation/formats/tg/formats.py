# Django's Tajik dates end in the Russian "г." (год); Tajik writes "29 ноябр 2026", and a 24-hour clock.
DATE_FORMAT = "j E Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j E Y, H:i"
