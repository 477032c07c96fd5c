"""The directory and the HSDS API list services by title through an index, not by sorting them all."""

import pytest
from django.db import connection

from cso_directory.models import ServicePage
from tests.factories import make_organisation, make_service

pytestmark = pytest.mark.django_db


def test_services_listed_by_title_read_the_title_index():
    organisation = make_organisation("KZ", title="Bright Futures")
    for title in ("Welding course", "Literacy classes"):
        make_service(organisation, title=title)
    listing = ServicePage.objects.live().public().order_by("title")[:25]
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        cursor.execute("SET enable_sort = off")
    try:
        plan = listing.explain()
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET enable_seqscan")
            cursor.execute("RESET enable_sort")
    assert [service.title for service in listing] == ["Literacy classes", "Welding course"]
    assert "cso_directory_page_title" in plan
