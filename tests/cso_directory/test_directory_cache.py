"""The public directory is rendered once for anonymous visitors and served from the cache, per
language and query string, until a listing is published, unpublished or changes capacity; signed-in
users never get the cached page, and no cached page holds a CSRF token."""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client as HttpClient
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from cso_directory.actions import set_service_capacity
from cso_directory.directory_cache import GENERATION, KIND, TOKEN_PLACEHOLDER, page_key
from cso_directory.models import ServicePage
from portal.foundation.caching import entry_key
from tests.cso_directory.admin_cast import build_cast
from tests.factories import make_service
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_cast, name="cast")


def directory(http: HttpClient, query: str = "", **headers) -> str:
    response = http.get(f"/directory/{query}", **headers)
    assert response.status_code == 200
    return response.content.decode()


def stored_page(query: str = "", language: str = "en") -> dict | None:
    with translation.override(language):
        return cache.get(entry_key(KIND, [GENERATION], page_key(RequestFactory().get(f"/directory/{query}"))))


def test_an_anonymous_visitor_gets_the_page_from_the_cache_per_query_and_language(cast):
    http = HttpClient()
    first = directory(http)

    with CaptureQueriesContext(connection) as queries:
        again = directory(http)

    assert "Literacy classes" in first
    assert again.replace(token(again), "") == first.replace(token(first), "")
    assert not [query for query in queries if "cso_directory_servicepage" in query["sql"]]
    assert "Literacy classes" not in directory(http, "?q=nothing-like-this")
    assert 'lang="ru"' in directory(http, HTTP_ACCEPT_LANGUAGE="ru")
    assert all(
        stored_page(query, language) for query, language in [("", "en"), ("?q=nothing-like-this", "en"), ("", "ru")]
    )


def token(html: str) -> str:
    match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert match is not None
    return match.group(1)


def test_no_cached_page_holds_a_token_and_each_visitor_gets_a_working_one(cast):
    directory(HttpClient())
    visitor = HttpClient(enforce_csrf_checks=True)
    html = directory(visitor)

    stored = stored_page()["content"].decode()
    assert token(stored) == TOKEN_PLACEHOLDER.decode()
    assert token(html) != TOKEN_PLACEHOLDER.decode()
    switched = visitor.post(
        reverse("choose_language"), {"language": "ru", "csrfmiddlewaretoken": token(html), "next": "/directory/"}
    )
    assert switched.status_code == 302


def test_a_publish_an_unpublish_and_a_capacity_change_show_at_once(cast):
    http = HttpClient()
    assert "Welding course" not in directory(http)

    welding = make_service(cast.org_a, title="Welding course", live=False)
    welding.save_revision().publish()
    assert "Welding course" in directory(http)

    ServicePage.objects.get(pk=welding.pk).unpublish()
    assert "Welding course" not in directory(http)

    assert "Literacy classes" in directory(http, "?accepting=on")
    set_service_capacity(cast.kz_coordinator, cast.service_a, "full")
    assert "Literacy classes" not in directory(http, "?accepting=on")


def test_signed_in_users_never_get_the_cached_page(cast):
    directory(HttpClient())
    ServicePage.objects.filter(pk=cast.service_a.pk).update(title="Renamed without publishing")
    http = HttpClient()
    http.force_login(cast.editor)

    assert "Renamed without publishing" in directory(http)
    assert "Renamed without publishing" not in directory(HttpClient())  # still the cached page
    assert cast.editor.username not in stored_page()["content"].decode()
