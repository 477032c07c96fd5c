"""Built reports kept in the cache (Redis in production), so that a dashboard, its export and the API
answer read the figures once until the data behind them changes.

A report is stored per exact access scope, filters and language (row names are translated and sorted
in it), under the generations (portal.foundation.caching) of the data it counts:
- the casework of each country in its scope, which any save or delete of a referrals or aftercare
  model about a client of that country moves on (not of those no figure reads, such as case notes,
  the most frequent write): a referral answered in Kazakhstan leaves Iraq's reports as they are;
- the directory's (cso_directory.directory_cache), which publishing, unpublishing or a capacity
  change moves on.
So no report older than the data is served. The lifetime is a safety net for a change made without a
model signal (a bulk update).
"""

import hashlib
from collections.abc import Callable
from typing import cast

from django.apps import apps
from django.core.exceptions import ObjectDoesNotExist
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from cso_directory.directory_cache import GENERATION as DIRECTORY
from portal.foundation import caching
from portal.foundation.countries import Country
from reporting.access import Scope
from reporting.indicators import Criteria, Report, build_report

LIFETIME_SECONDS = 600
SOURCE_APPS = ("referrals", "aftercare")
# Models of those apps that no figure reads: their writes leave every report as it is.
NOT_COUNTED = {
    "referrals.notification",
    "referrals.consent",
    "referrals.referencecounter",
    "aftercare.casenote",
    "aftercare.alert",
}
# How each counted model reaches the country of the client it is about (a referral goes only to a
# service of the client's country: referrals.access.referable_services_for).
COUNTRY_OF = {
    "referrals.client": "country",
    "referrals.need": "client.country",
    "referrals.referral": "client.country",
    "referrals.referralevent": "referral.client.country",
    "aftercare.supervisioncase": "client.country",
    "aftercare.goal": "case.client.country",
    "aftercare.goalreview": "goal.case.client.country",
    "aftercare.checkin": "case.client.country",
}


def casework(country: str) -> str:
    """The name of the generation of a country's casework."""
    return f"casework:{country}"


def every_casework() -> list[str]:
    return [casework(country) for country in Country.values]


def report_for(scope: Scope, criteria: Criteria) -> Report:
    """The report of `scope` and `criteria`, built once per generation of the figures."""
    built = caching.stored(
        "reporting:report",
        generations(scope),
        report_key(scope, criteria),
        lambda: build_report(scope, criteria),
        LIFETIME_SECONDS,
    )
    return cast(Report, built)  # build_report never answers None


def rendered_for(scope: Scope, criteria: Criteria, part: str, render: Callable[[], str]) -> str:
    """`part` of a page showing the report of `scope` and `criteria` (its charts and tables: the same for
    everyone who shares the report), rendered once per generation of the figures."""
    part_key = hashlib.sha256(part.encode()).hexdigest()
    html = caching.stored(
        "reporting:rendered", generations(scope), f"{report_key(scope, criteria)}:{part_key}", render, LIFETIME_SECONDS
    )
    return cast(str, html)


def generations(scope: Scope) -> list[str]:
    return [*map(casework, scope.countries), DIRECTORY]


def report_key(scope: Scope, criteria: Criteria) -> str:
    described = repr(
        (
            scope,
            criteria.start,
            criteria.end,
            criteria.region and criteria.region.pk,
            criteria.category and criteria.category.pk,
            criteria.sex,
            criteria.age_band,
        )
    )
    return f"{get_language()}:{hashlib.sha256(described.encode()).hexdigest()}"


def casework_changed(sender, instance, **kwargs) -> None:
    """A counted record was saved or deleted: the reports of its country are built again."""
    country = country_of(instance)
    for generation in [casework(country)] if country else every_casework():
        caching.changed(generation)


def country_of(instance) -> str | None:
    """The country of the client a record is about; None when that is gone (deleted with it)."""
    found = instance
    try:
        for step in COUNTRY_OF[instance._meta.label_lower].split("."):
            found = getattr(found, step)
    except ObjectDoesNotExist:
        return None
    return found


def connect_signals() -> None:
    models = counted_models()
    unplaced = {model._meta.label_lower for model in models} - COUNTRY_OF.keys()
    if unplaced:
        raise LookupError(f"reporting.report_cache.COUNTRY_OF lacks {sorted(unplaced)}")
    for model in models:
        post_save.connect(casework_changed, sender=model, dispatch_uid=f"casework_saved_{model._meta.label_lower}")
        post_delete.connect(casework_changed, sender=model, dispatch_uid=f"casework_deleted_{model._meta.label_lower}")


def counted_models() -> list:
    return [
        model
        for label in SOURCE_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in NOT_COUNTED
    ]
