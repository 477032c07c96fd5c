"""Regions and the terms of the portal's taxonomies (service categories, provider attributes) in the
visitor's language: each has a name per interface language in cso_directory/data/, shown wherever
the record is, with the English name where a language has none."""

import csv

import pytest
from django.conf import settings
from django.utils import translation

from cso_directory.models import DirectoryIndexPage, Region, TaxonomyTerm
from cso_directory.reference_data import DATA_DIR
from tests.portal.test_untranslated_pages import build_world, render
from tests.shared_casts import shared_fixture

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
NAMED_FILES = ("regions.csv", "pathways.csv", "staff_attributes.csv")

world = shared_fixture(build_world, name="world")


@pytest.mark.parametrize("filename", NAMED_FILES)
def test_every_row_of_the_reference_data_is_named_in_every_interface_language(filename):
    with (DATA_DIR / filename).open(encoding="utf-8", newline="") as file:
        rows = list(csv.DictReader(file))

    unnamed = [(row["code"], language) for row in rows for language in LANGUAGES if not row.get(f"name_{language}")]
    assert rows
    assert unnamed == []


@pytest.mark.django_db
def test_a_region_and_a_term_are_named_in_the_active_language_and_in_english_without_one():
    region = Region.objects.get(code="KZ-75")
    term = TaxonomyTerm.objects.get(code="legal-aid", taxonomy__name="Reintegration pathways")

    with translation.override("ru"):
        assert (str(region), str(term)) == ("город Алматы", "Юридическая помощь и документы")
    with translation.override("ar"):
        assert (str(region), str(term)) == ("مدينة ألماتي", "المساعدة القانونية والوثائق")
    with translation.override("en"):
        assert (str(region), str(term)) == ("Almaty (city)", "Legal aid and documents")
    Region.objects.filter(pk=region.pk).update(names={})
    region.refresh_from_db()
    with translation.override("ru"):
        assert str(region) == "Almaty (city)"


@pytest.mark.parametrize("language", ["ar", "kk", "tg"])
def test_the_directory_the_client_pages_and_the_service_page_name_regions_and_categories_in_the_language(
    world, language
):
    cast = world.cast
    region = cast.client.region_of_return
    category = cast.service.categories.first()
    with translation.override(language):
        region_name, category_name = str(region), str(category)
    directory = DirectoryIndexPage.objects.first().url
    directory_page = render(None, directory, language)
    service_page = render(None, cast.service.url, language)
    client_page = render(cast.social_worker, f"/clients/{cast.client.pk}/", language)
    client_form = render(cast.social_worker, "/clients/new/", language)

    assert region_name != region.name_en
    assert category_name != category.name
    assert [region_name in page for page in (directory_page, client_page, client_form)] == [True, True, True]
    assert [category_name in page for page in (directory_page, service_page, client_page)] == [True, True, True]
