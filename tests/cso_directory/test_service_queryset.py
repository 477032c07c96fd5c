"""The ServicePage queryset's rules of whom and where a service serves: shared by the directory search and
the suggestions for a client, so the two never disagree."""

import pytest

from cso_directory.models import Region, ServicePage, SexServed
from tests.factories import make_organisation, make_service

pytestmark = pytest.mark.django_db


def titles(services) -> set[str]:
    return set(services.values_list("title", flat=True))


def test_a_service_serves_its_own_regions_or_else_its_organisations():
    almaty = make_organisation("KZ", title="Almaty Learning Centre", regions=["KZ-75"])
    make_service(almaty, title="Welding", regions=["KZ-19"])
    make_service(almaty, title="Literacy classes")

    assert titles(ServicePage.objects.serving_region(Region.objects.get(code="KZ-19"))) == {"Welding"}
    assert titles(ServicePage.objects.serving_region(Region.objects.get(code="KZ-75"))) == {"Literacy classes"}


def test_a_service_serves_people_of_its_sex_and_age_band():
    centre = make_organisation("KZ", title="Almaty Learning Centre")
    make_service(centre, title="Women's shelter", sex_served=SexServed.FEMALE, minimum_age=18)
    make_service(centre, title="Youth club", maximum_age=17)
    make_service(centre, title="Literacy classes")

    assert titles(ServicePage.objects.serving_person(sex="female", age=30)) == {"Women's shelter", "Literacy classes"}
    assert titles(ServicePage.objects.serving_person(sex="male", age=16)) == {"Youth club", "Literacy classes"}
    assert titles(ServicePage.objects.live().serving_person(sex="female", age=None)) == {
        "Women's shelter",
        "Youth club",
        "Literacy classes",
    }
