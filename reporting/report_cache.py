"""Built reports kept in the cache (Redis in production), so that a dashboard, its export and the API
answer read the figures once until the data behind them changes.

A report is stored per exact access scope, filters and language (row names are translated and sorted
in it), under two generations (portal.foundation.caching): the casework's, which any save or
delete of a referrals or aftercare model moves on (not of those no figure reads, such as case notes,
the most frequent write), and the directory's (cso_directory.directory_cache), which publishing,
unpublishing or a capacity change moves on. So no report older than the data is served. The lifetime
is a safety net for a change made without a model signal (a bulk update).
"""

import hashlib
from typing import cast

from django.apps import apps
from django.db.models.signals import post_delete, post_save
from django.utils.translation import get_language

from cso_directory.directory_cache import GENERATION as DIRECTORY
from portal.foundation import caching
from reporting.access import Scope
from reporting.indicators import Criteria, Report, build_report

GENERATION = "casework"
LIFETIME_SECONDS = 600
SOURCE_APPS = ("referrals", "aftercare")
# Models of those apps that no figure reads: their writes leave every report as it is.
NOT_COUNTED = {"referrals.notice", "referrals.consent", "referrals.referencecounter", "aftercare.casenote"}


def report_for(scope: Scope, criteria: Criteria) -> Report:
    """The report of `scope` and `criteria`, built once per generation of the figures."""
    built = caching.stored(
        "reporting:report",
        [GENERATION, DIRECTORY],
        report_key(scope, criteria),
        lambda: build_report(scope, criteria),
        LIFETIME_SECONDS,
    )
    return cast(Report, built)  # build_report never answers None


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


def casework_changed(**kwargs) -> None:
    caching.changed(GENERATION)


def connect_signals() -> None:
    for model in counted_models():
        post_save.connect(casework_changed, sender=model, dispatch_uid=f"casework_saved_{model._meta.label_lower}")
        post_delete.connect(casework_changed, sender=model, dispatch_uid=f"casework_deleted_{model._meta.label_lower}")


def counted_models() -> list:
    return [
        model
        for label in SOURCE_APPS
        for model in apps.get_app_config(label).get_models()
        if model._meta.label_lower not in NOT_COUNTED
    ]
