"""The access filters read through indexes: none of them makes PostgreSQL scan a whole table.

An OR across two columns (`prison IN … OR probation_office IN …`) cannot use either index, so
every listing paid a full scan of clients or referrals. With sequential scans priced out, a plan
that still scans the table in full has no index it could use instead.
"""

import contextlib

import pytest
from django.db import connection
from django.db.models import Count

from aftercare.access import notes_visible_to, team_clients_of
from referrals.access import (
    clients_overseen_by,
    clients_visible_to,
    referrals_received_by,
    referrals_visible_to,
    visible_client_ids,
)
from referrals.models import Referral
from referrals.views import status_counts

pytestmark = pytest.mark.django_db


@contextlib.contextmanager
def sequential_scans_off():
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")


def full_scans(queryset) -> list[str]:
    with sequential_scans_off():
        plan = queryset.explain()
    return [
        line.strip()
        for line in plan.splitlines()
        if "Seq Scan on referrals_" in line or "Seq Scan on aftercare_" in line
    ]


@pytest.mark.parametrize(
    "listing",
    [
        visible_client_ids,
        clients_overseen_by,
        referrals_received_by,
        team_clients_of,
        notes_visible_to,
    ],
)
@pytest.mark.parametrize("who", ["social_worker", "probation_officer", "caseworker_a"])
def test_access_filters_read_through_indexes(cast, referral, listing, who):
    assert full_scans(listing(getattr(cast, who))) == []


@pytest.mark.parametrize("who", ["social_worker", "probation_officer", "caseworker_a"])
@pytest.mark.parametrize(
    "listing",
    [
        lambda user: referrals_visible_to(user).order_by("-updated_at", "id")[:50],
        lambda user: clients_visible_to(user).order_by("reference")[:25],
        lambda user: Referral.objects.filter(client__in=visible_client_ids(user)),
    ],
    ids=["referrals newest first", "clients by reference", "records about visible clients"],
)
def test_listings_walk_an_index_and_stop_at_a_page(cast, referral, who, listing):
    """A user may see tens of thousands of clients and referrals: a page walks the index of its
    order, testing both conditions against a handful of hashed ids, and stops once it is full."""
    assert full_scans(listing(getattr(cast, who))) == []


def test_the_region_drop_down_of_the_clients_list_reads_no_client(client, cast, canary):
    """It read every visible client (a full scan, through the OR) only to learn their countries."""
    client.force_login(cast.social_worker)
    response = client.get("/clients/")
    regions = response.context["form"].fields["region"].queryset
    assert "referrals_client" not in str(regions.query)
    assert list(regions.values_list("code", flat=True)) == list(
        regions.model.objects.filter(country="KZ").values_list("code", flat=True)
    )


def test_the_inbox_counts_by_status_read_the_receiver_and_status_index(cast, referral):
    received = referrals_received_by(cast.caseworker_a)
    assert status_counts(received) == [("sent", "Sent", 1)]
    with sequential_scans_off():
        plan = received.order_by().values_list("status").annotate(count=Count("pk")).explain()
    assert "referral_receiver_status" in plan
