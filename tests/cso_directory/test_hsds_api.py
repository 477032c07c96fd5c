"""The HSDA 3.0 read API at /api/hsds/: valid HSDS, public data only, paged, fixed query counts."""

import json
import uuid
from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from wagtail.models import PageViewRestriction

from cso_directory.models import (
    Attribute,
    Location,
    OrganisationPage,
    ServiceAtLocation,
    ServicePage,
    TaxonomyTerm,
)
from cso_directory.reference_data import STAFF_ATTRIBUTES_TAXONOMY_ID
from tests.factories import make_organisation, make_service, pathway, staff_attribute

pytestmark = pytest.mark.django_db

HSDS = Path(settings.BASE_DIR) / "cso_directory" / "hsds" / "vendor"
SCHEMA_BASE = "https://raw.githubusercontent.com/openreferral/specification/3.0/schema/"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORGANISATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"
SERVICE_AT_LOCATION_ID = "e94c9f38-1e8f-4564-91d4-d53501ab1765"
TAXONOMY_ID = "5c4d79d7-cc55-470e-9f1f-8cad074e4892"
TERM_ID = "3f7b145d-84af-42d7-8fae-eaca714b02b2"


def schema_registry() -> Registry:
    """Every official schema file under the address the OpenAPI description refers to it by."""
    resources = [
        (SCHEMA_BASE + str(path.relative_to(HSDS / "schema")), json.loads(path.read_text()))
        for path in (HSDS / "schema").rglob("*.json")
    ]
    return Registry().with_resources(
        (uri, Resource.from_contents(contents, default_specification=DRAFT202012)) for uri, contents in resources
    )


REGISTRY = schema_registry()


def assert_valid(body, schema_ref: str) -> None:
    validator = Draft202012Validator({"$ref": schema_ref}, registry=REGISTRY, format_checker=FormatChecker())
    errors = [f"{list(error.absolute_path)}: {error.message}" for error in validator.iter_errors(body)]
    assert errors == []


def assert_valid_response(body, path: str) -> None:
    """Valid against the response schema the official OpenAPI description gives for the path."""
    pointer = path.replace("~", "~0").replace("/", "~1")
    assert_valid(body, f"{SCHEMA_BASE}openapi.json#/paths/{pointer}/get/responses/200/content/application~1json/schema")


def assert_page(body, *, total_items: int, per_page: int, page_number: int = 1) -> None:
    total_pages = -(-total_items // per_page)
    assert body["total_items"] == total_items
    assert body["total_pages"] == total_pages
    assert body["page_number"] == page_number
    assert body["size"] == len(body["contents"])
    assert body["first_page"] == (page_number == 1)
    assert body["last_page"] == (page_number >= total_pages)
    assert body["empty"] == (not body["contents"])


@pytest.fixture
def examples():
    """The official examples, imported into Kazakhstan's directory and published by a superuser."""
    User.objects.create_superuser("importer")
    call_command(
        "import_hsds", str(HSDS / "examples"), "--country", "KZ", "--publish", "--as", "importer", stdout=StringIO()
    )


@pytest.fixture
def organisation():
    return make_organisation("KZ", title="Almaty Learning Centre")


def publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def add_location(service: ServicePage) -> ServiceAtLocation:
    location = Location.objects.create(organisation=service.organisation, location_type="physical", name="Office")
    return ServiceAtLocation.objects.create(service=service, location=location)


def test_root_describes_the_api(client):
    response = client.get("/api/hsds/")

    assert response.status_code == 200
    assert_valid_response(response.json(), "/")
    assert response.json()["version"] == "3.0"
    assert client.get(response.json()["openapi_url"]).status_code == 200


def test_openapi_description_lists_the_hsda_paths(client):
    paths = client.get("/api/hsds/openapi.json").json()["paths"]

    for path in ("/", "/services", "/services/{id}", "/organizations", "/taxonomy_terms", "/service_at_locations"):
        assert f"/api/hsds{path}" in paths


@pytest.mark.usefixtures("examples")
def test_service_is_fully_nested_valid_hsds(client):
    body = client.get(f"/api/hsds/services/{SERVICE_ID}").json()

    assert_valid_response(body, "/services/{id}")
    assert body["name"] == "Community Counselling"
    assert body["organization"]["id"] == ORGANISATION_ID
    assert body["service_at_locations"][0]["location"]["addresses"][0]["city"] == "MyCity"
    assert body["phones"][0]["languages"][0]["code"] == "ur"
    assert body["schedules"][0]["opens_at"] == "10:00:00"
    assert body["attributes"][0]["taxonomy_term"]["id"] == TERM_ID


def test_portal_service_is_valid_hsds_with_its_categories_and_languages(client, organisation):
    service = make_service(organisation, categories=["education"], languages=["kk"], minimum_age=16)
    add_location(service)
    service = publish(service)

    body = client.get(f"/api/hsds/services/{service.hsds_id}").json()

    assert_valid_response(body, "/services/{id}")
    assert [attribute["taxonomy_term"]["code"] for attribute in body["attributes"]] == ["education"]
    assert [language["code"] for language in body["languages"]] == ["kk"]
    assert body["last_modified"] == service.last_published_at.isoformat()


@pytest.mark.usefixtures("examples")
def test_services_list_is_a_valid_hsds_page(client, organisation):
    for number in range(3):
        make_service(organisation, title=f"Course {number}")

    body = client.get("/api/hsds/services?per_page=3&page=2").json()

    assert_valid_response(body, "/services")
    assert_page(body, total_items=4, per_page=3, page_number=2)
    assert [service["name"] for service in body["contents"]] == ["Course 2"]


@pytest.mark.usefixtures("examples")
def test_organisation_and_its_list_are_valid_hsds(client):
    detail = client.get(f"/api/hsds/organizations/{ORGANISATION_ID}").json()
    listing = client.get("/api/hsds/organizations").json()

    assert_valid_response(detail, "/organizations/{id}")
    assert [service["id"] for service in detail["services"]] == [SERVICE_ID]
    assert detail["locations"][0]["schedules"][0]["freq"] == "WEEKLY"
    assert_valid_response(listing, "/organizations")
    assert_page(listing, total_items=1, per_page=50)


@pytest.mark.usefixtures("examples")
def test_service_at_locations_are_valid_hsds(client):
    listing = client.get("/api/hsds/service_at_locations").json()
    detail = client.get(f"/api/hsds/service_at_locations/{SERVICE_AT_LOCATION_ID}").json()

    assert_valid_response(listing, "/service_at_locations")
    assert_page(listing, total_items=1, per_page=50)
    # The OpenAPI description gives compiled/service.json here, a slip: this is a service_at_location.
    assert_valid(detail, f"{SCHEMA_BASE}compiled/service_at_location.json")
    assert detail["service"]["id"] == SERVICE_ID
    assert detail["location"]["id"] == listing["contents"][0]["location"]["id"]


@pytest.mark.usefixtures("examples")
def test_taxonomies_and_terms_are_valid_hsds(client):
    for path in ("/taxonomies", "/taxonomy_terms"):
        assert_valid_response(client.get(f"/api/hsds{path}").json(), path)
    taxonomy = client.get(f"/api/hsds/taxonomies/{TAXONOMY_ID}").json()
    term = client.get(f"/api/hsds/taxonomy_terms/{TERM_ID}").json()

    assert_valid_response(taxonomy, "/taxonomies/{id}")
    assert_valid_response(term, "/taxonomy_terms/{id}")
    assert term["taxonomy_detail"]["id"] == TAXONOMY_ID
    terms = client.get(f"/api/hsds/taxonomy_terms?taxonomy_id={TAXONOMY_ID}").json()["contents"]
    assert [row["id"] for row in terms] == [TERM_ID]


def listing_queries(client, path: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("path", ["/api/hsds/services", "/api/hsds/organizations", "/api/hsds/service_at_locations"])
def test_listings_take_the_same_number_of_queries_for_3_and_30_services(client, path):
    def add_services(count):
        for number in range(count):
            service = make_service(make_organisation("IQ", title=f"Organisation {number}"), title=f"Service {number}")
            add_location(service)

    add_services(3)
    with_3 = listing_queries(client, path)
    add_services(27)
    with_30 = listing_queries(client, path)

    assert with_30 == with_3
    assert client.get(path).json()["size"] == 30


def test_full_service_takes_the_same_number_of_queries_whatever_it_holds(client, organisation):
    small, large = make_service(organisation, title="Small"), make_service(organisation, title="Large")
    add_location(small)
    for _number in range(5):
        add_location(large)
    large.categories.set([pathway("education"), pathway("employment"), pathway("legal-aid")])
    large.save()

    assert listing_queries(client, f"/api/hsds/services/{small.hsds_id}") == listing_queries(
        client, f"/api/hsds/services/{large.hsds_id}"
    )


def test_sensitive_terms_never_appear(client, organisation):
    service = make_service(organisation, categories=["education"], sensitive=["returnees", "works-in-prisons"])
    returnees = staff_attribute("returnees")
    Attribute.objects.create(taxonomy_term=returnees, link_id=service.hsds_id, link_entity="service")
    Attribute.objects.create(taxonomy_term=returnees, link_id=organisation.hsds_id, link_entity="organization")
    sensitive = TaxonomyTerm.objects.filter(is_sensitive=True)

    bodies = [
        client.get(path).content.decode()
        for path in (
            f"/api/hsds/services/{service.hsds_id}",
            f"/api/hsds/organizations/{organisation.hsds_id}",
            "/api/hsds/services",
            "/api/hsds/taxonomies?per_page=500",
            "/api/hsds/taxonomy_terms?per_page=500",
        )
    ]

    assert "education" in bodies[0]
    for body in bodies:
        assert str(STAFF_ATTRIBUTES_TAXONOMY_ID) not in body
        for term in sensitive:
            assert str(term.id) not in body
            assert term.name not in body
    assert client.get(f"/api/hsds/taxonomy_terms/{returnees.id}").status_code == 404
    assert client.get(f"/api/hsds/taxonomies/{STAFF_ATTRIBUTES_TAXONOMY_ID}").status_code == 404
    assert client.get(f"/api/hsds/services?taxonomy_term_id={returnees.id}").json()["total_items"] == 0


@pytest.mark.parametrize("kind", ["services", "organizations", "service_at_locations", "taxonomies", "taxonomy_terms"])
def test_unknown_ids_answer_404_json(client, kind):
    response = client.get(f"/api/hsds/{kind}/{uuid.uuid4()}")

    assert response.status_code == 404
    assert response.json()["detail"]


def test_unpublished_and_private_pages_answer_404_and_are_not_listed(client, organisation):
    draft = make_service(organisation, title="Draft")
    draft.unpublish()
    private = make_service(organisation, title="Private")
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    hidden_organisation = make_organisation("KG", title="Hidden")
    orphan = make_service(hidden_organisation, title="Orphan")
    add_location(orphan)
    hidden_organisation.unpublish()
    public = make_service(organisation, title="Public")

    for hidden in (draft, private, orphan):
        assert client.get(f"/api/hsds/services/{hidden.hsds_id}").status_code == 404
    assert client.get(f"/api/hsds/organizations/{hidden_organisation.hsds_id}").status_code == 404
    assert [row["id"] for row in client.get("/api/hsds/services").json()["contents"]] == [str(public.hsds_id)]
    assert client.get("/api/hsds/service_at_locations").json()["total_items"] == 0
    organisations = client.get("/api/hsds/organizations").json()["contents"]
    assert [row["id"] for row in organisations] == [str(organisation.hsds_id)]
    services = client.get(f"/api/hsds/organizations/{organisation.hsds_id}").json()["services"]
    assert [row["id"] for row in services] == [str(public.hsds_id)]


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("per_page=0", "per_page"),
        ("per_page=100000", "per_page"),
        ("page=abc", "page"),
        ("page=0", "page"),
        ("modified_after=yesterday", "modified_after"),
        ("organization_id=123", "organization_id"),
        ("taxonomy_term_id=not-a-uuid", "taxonomy_term_id"),
    ],
)
def test_bad_parameters_answer_4xx_naming_the_parameter(client, query, parameter):
    response = client.get(f"/api/hsds/services?{query}")

    assert 400 <= response.status_code < 500
    assert response.json()["detail"][0]["loc"][-1] == parameter


def test_a_malformed_id_answers_4xx_naming_it(client):
    response = client.get("/api/hsds/services/12345")

    assert 400 <= response.status_code < 500
    assert response.json()["detail"][0]["loc"] == ["path", "id"]


def test_services_filter_by_organisation_term_modification_and_search(client, organisation):
    other = make_organisation("TJ", title="Dushanbe Works")
    literacy = publish(make_service(organisation, title="Literacy classes", categories=["education"]))
    welding = publish(make_service(other, title="Welding course", categories=["vocational-training"]))
    ServicePage.objects.filter(pk=literacy.pk).update(last_published_at=timezone.now() - timedelta(days=30))

    def names(query):
        return [row["name"] for row in client.get(f"/api/hsds/services?{query}").json()["contents"]]

    assert names(f"organization_id={other.hsds_id}") == ["Welding course"]
    assert names(f"taxonomy_term_id={pathway('education').id}") == ["Literacy classes"]
    since = (timezone.now() - timedelta(days=1)).isoformat()
    assert names(f"modified_after={since.replace('+', '%2B')}") == ["Welding course"]
    assert names("search=welding") == ["Welding course"]
    assert names("search=nothing+like+this") == []
    assert welding.organisation == other
    assert OrganisationPage.objects.count() == 2


@pytest.mark.parametrize("query", ["page=1180591620717411303424", "search=%00", "search=a%00b&per_page=5"])
@pytest.mark.parametrize("listing", ["services", "organizations", "taxonomies", "taxonomy_terms"])
def test_a_page_beyond_64_bits_or_a_nul_in_a_search_is_a_422(client, listing, query):
    response = client.get(f"/api/hsds/{listing}?{query}")

    assert response.status_code == 422, response.content
