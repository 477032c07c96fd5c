"""The cache only saves work (portal/foundation/caching.py): with Redis unreachable, the directory and the
dashboards are built afresh for every request and every write still goes through."""

import socket

import pytest
from django.test import Client as HttpClient

from referrals.actions import take_referral_step
from referrals.models import Referral, ReferralStatus
from tests.reporting.reporting_cast import PERIOD, build_cast
from tests.reporting.test_dashboards import browser, figures_table
from tests.shared_casts import shared_fixture

cast = shared_fixture(build_cast, name="cast")
pytestmark = pytest.mark.django_db


@pytest.fixture
def unreachable_cache(settings):
    """The cache on a port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    settings.CACHES = {"default": {**settings.CACHES["default"], "LOCATION": f"redis://127.0.0.1:{port}/0"}}


def test_without_the_cache_pages_are_built_afresh_and_writes_go_through(cast, unreachable_cache, caplog):
    """A dashboard, a referral's answer (which moves the figures' generation on) and a directory page,
    which Wagtail serves with its own use of the cache."""
    http = browser(cast.coordinator)
    path = f"/reporting/dashboards/referrals/?{PERIOD}"
    before = figures_table(http.get(path), "referrals")
    waiting = Referral.objects.get(service__title="Job search", status=ReferralStatus.SENT)

    accepted = take_referral_step(cast.other_caseworker, waiting, "accept")
    after = figures_table(http.get(path), "referrals")

    assert accepted.status == ReferralStatus.ACCEPTED
    assert after != before
    assert HttpClient().get("/directory/").status_code == 200
    assert "The cache is unreachable" in caplog.text
