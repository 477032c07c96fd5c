"""The HSDS API and the staff API name regions and categories in the request's language, as the pages do,
with the stable codes and ids beside them; the HSDS answers stay valid against the vendored schemas and
the HSDS export, asked for no language, keeps the English names."""

import pytest
from django.conf import settings
from django.utils import translation

from cso_directory.hsds import serialise
from cso_directory.models import OrganisationPage, Region
from tests.cso_directory.test_hsds_api import assert_valid, assert_valid_response
from tests.factories import pathway
from tests.referrals.api_cast import build_cast, signed_in
from tests.shared_casts import shared_fixture

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
TERM_SCHEMA = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/taxonomy_term.json"

cast = shared_fixture(build_cast, name="cast")
pytestmark = pytest.mark.django_db


def name_in(language: str, record) -> str:
    with translation.override(language):
        return str(record)


def category_term(body: dict) -> dict:
    """The taxonomy term of the service's category "education" in an HSDS service."""
    return next(
        attribute["taxonomy_term"]
        for attribute in body["attributes"]
        if attribute["taxonomy_term"].get("code") == "education"
    )


def test_the_names_asked_for_are_not_english():
    assert name_in("ar", pathway("education")) == "التعليم ومحو الأمية"
    assert name_in("kk", pathway("education")) == "Білім беру және сауаттылық"
    assert name_in("kk", Region.objects.get(code="KZ-19")) != Region.objects.get(code="KZ-19").name_en


# The HSDS API ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_an_hsds_service_names_its_categories_in_the_asked_language(cast, client, language):
    body = client.get(f"/api/hsds/services/{cast.service.hsds_id}?lang={language}").json()

    assert_valid_response(body, "/services/{id}")
    term = category_term(body)
    education = pathway("education")
    assert term["name"] == name_in(language, education)
    assert (term["id"], term["code"], term["language"]) == (str(education.id), "education", language)


def test_an_hsds_service_takes_the_language_of_its_names_from_accept_language(cast, client):
    with translation.override(settings.LANGUAGE_CODE):
        body = client.get(f"/api/hsds/services/{cast.service.hsds_id}", HTTP_ACCEPT_LANGUAGE="ky").json()

    assert category_term(body)["name"] == name_in("ky", pathway("education"))


@pytest.mark.parametrize("language", ["ar", "tg"])
def test_hsds_taxonomy_terms_are_named_in_the_asked_language(cast, client, language):
    education = pathway("education")
    listed = client.get(f"/api/hsds/taxonomy_terms?lang={language}&per_page=500").json()
    one = client.get(f"/api/hsds/taxonomy_terms/{education.id}?lang={language}").json()

    assert_valid_response(listed, "/taxonomy_terms")
    assert_valid(one, TERM_SCHEMA)
    assert one["name"] == name_in(language, education)
    assert name_in(language, education) in [term["name"] for term in listed["contents"]]


def test_an_hsds_service_in_english_and_the_export_keep_the_english_names(cast, client):
    body = client.get(f"/api/hsds/services/{cast.service.hsds_id}?lang=en").json()
    service = serialise.with_service_details(serialise.public_services()).get(pk=cast.service.pk)
    exported = serialise.service(service, serialise.attributes_of_services([service]))

    assert category_term(body)["name"] == "Education and literacy"
    assert category_term(exported)["name"] == "Education and literacy"
    assert category_term(exported)["language"] == category_term(body)["language"] == "en"


# The staff API --------------------------------------------------------------------------------------


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_staff_api_names_a_need_and_a_region_of_return_in_the_requests_language(cast, language):
    http = signed_in(cast.social_worker)
    headers = {"HTTP_ACCEPT_LANGUAGE": language}
    with translation.override(settings.LANGUAGE_CODE):
        needs = http.get(f"/api/clients/{cast.client.pk}/needs", **headers).json()
        client = http.get(f"/api/clients/{cast.client.pk}", **headers).json()

    assert [(need["category"], need["category_name"]) for need in needs] == [
        ("education", name_in(language, pathway("education")))
    ]
    region = Region.objects.get(code="KZ-19")
    assert (client["region_of_return"], client["region_of_return_name"]) == ("KZ-19", name_in(language, region))


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_the_reporting_api_names_regions_and_pathways_in_the_requests_language(cast, language):
    organisation = OrganisationPage.objects.get(pk=cast.cso.pk)
    organisation.regions.add(*Region.objects.filter(code__in=["KZ-19", "KZ-75"]))
    organisation.save()
    http = signed_in(cast.coordinator)
    with translation.override(settings.LANGUAGE_CODE):
        network = http.get("/api/reporting/network", HTTP_ACCEPT_LANGUAGE=language).json()
        outcomes = http.get("/api/reporting/outcomes", HTTP_ACCEPT_LANGUAGE=language).json()

    rows = {row["key"]: row["label"] for table in network["tables"] for row in table["rows"]}
    assert rows["KZ-75"] == name_in(language, Region.objects.get(code="KZ-75"))
    assert rows["education"] == name_in(language, pathway("education"))
    outcome_labels = [row["label"] for table in outcomes["tables"] for row in table["rows"]]
    assert any(label.startswith(name_in(language, pathway("education"))) for label in outcome_labels)
