"""The public service and organisation pages are cached for anonymous visitors as the directory is:
rendered once per language, then served without reading the listing again, until a listing is
published, unpublished, changes capacity or gains a translation (which is published with the page)."""

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext

from cso_directory.actions import set_service_capacity
from cso_directory.models import OrganisationPage, ServicePage, ServiceTranslation
from tests.cso_directory.admin_cast import build_cast
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_cast, name="cast")

# What rendering reads and serving from the cache does not: the listing's translations and categories.
RENDERING_TABLES = ("cso_directory_servicetranslation", "cso_directory_organisationtranslation", "taxonomyterm")


def page(http: HttpClient, url: str, **headers) -> str:
    response = http.get(url, **headers)
    assert response.status_code == 200
    return response.content.decode()


def rendering_queries(http: HttpClient, url: str, **headers) -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        page(http, url, **headers)
    return [query["sql"] for query in queries if any(table in query["sql"] for table in RENDERING_TABLES)]


@pytest.mark.parametrize("listing", ["service_a", "org_a"])
def test_an_anonymous_visitor_gets_the_listing_page_from_the_cache_per_language(cast, listing):
    url = getattr(cast, listing).url
    http = HttpClient()

    assert rendering_queries(http, url)  # rendered the first time
    assert rendering_queries(http, url) == []  # then served from the cache
    assert rendering_queries(http, url, HTTP_ACCEPT_LANGUAGE="ru")  # rendered once more in Russian
    assert 'lang="ru"' in page(http, url, HTTP_ACCEPT_LANGUAGE="ru")
    assert rendering_queries(http, url, HTTP_ACCEPT_LANGUAGE="ru") == []


def test_signed_in_users_never_get_the_cached_listing_page(cast):
    url = cast.service_a.url
    page(HttpClient(), url)
    http = HttpClient()
    http.force_login(cast.editor)

    assert rendering_queries(http, url)


def test_a_publish_a_translation_a_capacity_change_and_an_unpublish_show_at_once(cast):
    http = HttpClient()
    service_url, organisation_url = cast.service_a.url, cast.org_a.url
    assert "Reading for adults" not in page(http, service_url)
    assert "Reading for adults" not in page(http, organisation_url)

    service = ServicePage.objects.get(pk=cast.service_a.pk)
    service.title = "Reading for adults"
    service.save_revision().publish()
    assert "Reading for adults" in page(http, service_url)
    assert "Reading for adults" in page(http, organisation_url)  # the organisation lists its services

    assert "Чтение для взрослых" not in page(http, service_url, HTTP_ACCEPT_LANGUAGE="ru")
    service.translations.add(ServiceTranslation(language="ru", title="Чтение для взрослых", description="Для всех."))
    service.save_revision().publish()
    assert "Чтение для взрослых" in page(http, service_url, HTTP_ACCEPT_LANGUAGE="ru")

    assert "capacity-full" not in page(http, service_url)
    set_service_capacity(cast.kz_coordinator, cast.service_a, "full")
    assert "capacity-full" in page(http, service_url)

    ServicePage.objects.get(pk=cast.service_a.pk).unpublish()
    assert http.get(service_url).status_code == 404
    assert "Reading for adults" not in page(http, organisation_url)
    OrganisationPage.objects.get(pk=cast.org_a.pk).unpublish()
    assert http.get(organisation_url).status_code == 404
