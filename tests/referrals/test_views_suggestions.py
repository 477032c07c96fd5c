"""Suggested services on the client page: ranked by fit, with reasons, eligibility respected."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cso_directory.models import Language, Region
from referrals.actions import set_need
from tests.factories import make_organisation, make_service, pathway
from tests.referrals.conftest import new_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def person(cast):
    """A man of 35 returning to Almaty city, speaking Kazakh, who most needs education."""
    person = new_client(
        cast,
        first_name="Nurlan",
        sex="male",
        birth_date=datetime.date(1990, 1, 1),
        region_of_return=Region.objects.get(code="KZ-75"),
    )
    person.languages.set(Language.objects.filter(code="kk"))
    set_need(cast.social_worker, person, category=pathway("education"), priority="high")
    set_need(cast.social_worker, person, category=pathway("employment"), priority="low")
    return person


def suggested(client, person) -> list[str]:
    return [suggestion.service.title for suggestion in client.get(f"/clients/{person.pk}/").context["suggestions"]]


def test_services_are_ranked_by_fit_and_ineligible_ones_are_left_out(client, cast, person):
    elsewhere = make_organisation("KZ", title="Aktobe Learning", regions=["KZ-15"])
    make_service(elsewhere, title="Category only", categories=["education"], languages=["ru"])
    make_service(elsewhere, title="Women only", categories=["education"], languages=["kk"], sex_served="female")
    make_service(elsewhere, title="Teenagers only", categories=["education"], maximum_age=17)
    make_service(elsewhere, title="Housing only", categories=["housing"], languages=["kk"])
    make_service(elsewhere, title="Low need", categories=["employment"])
    make_service(elsewhere, title="Closed", categories=["education"], status="inactive")
    erbil = make_organisation("IQ", title="Erbil Learning", regions=["IQ-AR"])
    make_service(erbil, title="Other country", categories=["education"], languages=["kk"])
    client.force_login(cast.social_worker)
    # Literacy classes (cast.service): education + Almaty, from its organisation's regions + Kazakh.
    assert suggested(client, person) == ["Literacy classes", "Category only", "Low need"]


def test_each_suggestion_says_why_it_fits(client, cast, person):
    client.force_login(cast.social_worker)
    response = client.get(f"/clients/{person.pk}/")
    best = response.context["suggestions"][0]
    assert best.reasons == [
        "Meets a high-priority need: Education and literacy",
        "Serves Almaty (city), where the person will return",
        "Works in the person's language: Қазақ тілі",
        "Accepting referrals",
    ]
    body = response.content.decode()
    assert "Serves Almaty (city), where the person will return" in body
    assert f'href="/clients/{person.pk}/refer/?service={cast.service.pk}"' in body
    assert "/directory/?country=KZ&amp;sex=male&amp;age=" in body


def test_capacity_breaks_ties(client, cast, person):
    organisation = make_organisation("KZ", title="Astana Skills", regions=["KZ-15"])
    make_service(organisation, title="A full", categories=["education"], capacity="full")
    make_service(organisation, title="B waiting list", categories=["education"], capacity="waitlist")
    make_service(organisation, title="C accepting", categories=["education"])
    client.force_login(cast.social_worker)
    assert suggested(client, person)[1:] == ["C accepting", "B waiting list", "A full"]


def test_a_client_without_needs_gets_no_suggestions_but_the_directory_link(client, cast):
    person = new_client(cast, first_name="Dana")
    client.force_login(cast.social_worker)
    response = client.get(f"/clients/{person.pk}/")
    assert response.context["suggestions"] == []
    assert "Search the whole directory" in response.content.decode()


def test_the_client_page_query_count_does_not_grow_with_the_number_of_services(client, cast, person):
    organisation = make_organisation("KZ", title="Many Courses", regions=["KZ-75", "KZ-19"])
    url = f"/clients/{person.pk}/"

    def add_services(start, stop):
        for number in range(start, stop):
            make_service(organisation, title=f"Course {number:02}", categories=["education"], languages=["kk", "ru"])

    add_services(0, 3)
    client.force_login(cast.social_worker)
    client.get(url)  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    add_services(3, 20)
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(few)
