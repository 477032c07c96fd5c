"""Organisations and services translated on their own edit form, shown in the visitor's language or,
failing a translation, in the original with a note saying so; the HSDS API likewise."""

from dataclasses import dataclass

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from playwright.sync_api import expect
from wagtail.models import WorkflowState
from wagtail.test.utils.form_data import inline_formset

from cso_directory.models import (
    LanguageSupport,
    OrganisationPage,
    OrganisationTranslation,
    ServicePage,
    ServiceTranslation,
)
from tests.cso_directory.admin_cast import build_cast, organisation_form, service_form
from tests.cso_directory.test_hsds_api import assert_valid_response
from tests.factories import make_organisation, make_service
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

RU_ORGANISATION = "Светлое будущее"
AR_ORGANISATION = "المستقبل المشرق"
RU_TITLE = "Курсы грамотности"
AR_TITLE = "دروس محو الأمية"
RU_DESCRIPTION = "Занятия по чтению и письму для взрослых."
AR_DESCRIPTION = "دروس في القراءة والكتابة للكبار."
RU_ALERT = "Запись закрыта до сентября."
AR_ELIGIBILITY = "للبالغين فوق ١٨ سنة."


@dataclass
class Listings:
    organisation: OrganisationPage
    service: ServicePage
    untranslated: ServicePage


def publish(page):
    page.save_revision().publish()
    return type(page).objects.get(pk=page.pk)


def build_listings() -> Listings:
    """A Russian organisation and service translated into Arabic, and a Russian service not translated."""
    organisation = make_organisation(
        "KZ",
        title=RU_ORGANISATION,
        original_language="ru",
        description="Помогаем людям после освобождения.",
        translations=[
            OrganisationTranslation(language="ar", title=AR_ORGANISATION, description="نساعد الناس بعد الإفراج.")
        ],
    )
    service = make_service(
        organisation,
        title=RU_TITLE,
        original_language="ru",
        description=RU_DESCRIPTION,
        eligibility_description="Взрослые старше 18 лет.",
        translations=[
            ServiceTranslation(
                language="ar", title=AR_TITLE, description=AR_DESCRIPTION, eligibility_description=AR_ELIGIBILITY
            )
        ],
    )
    untranslated = make_service(organisation, title="Швейная мастерская", original_language="ru")
    return Listings(organisation=publish(organisation), service=publish(service), untranslated=publish(untranslated))


listings = shared_fixture(build_listings, name="listings")
cast = shared_fixture(build_cast, name="cast")


def get_in(client, url: str, language: str):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(settings.LANGUAGE_CODE):  # the request activates the language; English after it
        response = client.get(url)
    assert response.status_code == 200
    return response


def note_in(language: str, original: str) -> str:
    with translation.override(language):
        name = dict(settings.LANGUAGES)[original]
        return translation.gettext("Shown in the original language (%(language)s).") % {"language": name}


# The accessor ---------------------------------------------------------------------------------


def test_translated_takes_each_text_from_the_translation_else_from_the_original(listings):
    texts = listings.service.translated("ar")

    assert (texts["title"].value, texts["title"].language) == (AR_TITLE, "ar")
    assert (texts["eligibility_description"].value, texts["eligibility_description"].language) == (
        AR_ELIGIBILITY,
        "ar",
    )
    assert texts.is_translated and not texts.falls_back
    russian = listings.service.translated("kk")
    assert (russian["title"].value, russian["title"].language) == (RU_TITLE, "ru")
    assert not russian.is_translated and russian.falls_back
    assert not listings.service.translated("ru").falls_back


def test_a_text_the_translation_leaves_out_falls_back_to_the_original(listings):
    ServicePage.objects.filter(pk=listings.service.pk).update(alert=RU_ALERT)
    service = ServicePage.objects.get(pk=listings.service.pk)

    texts = service.translated("ar")

    assert (texts["alert"].value, texts["alert"].language) == (RU_ALERT, "ru")
    assert texts.is_translated and texts.falls_back


# Public pages ---------------------------------------------------------------------------------


def test_service_page_in_arabic_shows_the_arabic_texts_marked_arabic(client, listings):
    content = get_in(client, listings.service.url, "ar").content.decode()

    assert f'<h1 lang="ar" dir="auto">{AR_TITLE}</h1>' in content
    assert f'<p lang="ar" dir="auto">{AR_DESCRIPTION}</p>' in content
    assert f'<dd lang="ar" dir="auto">{AR_ELIGIBILITY}</dd>' in content
    assert f'lang="ar" dir="auto">{AR_ORGANISATION}</a>' in content
    assert f"<title>{AR_TITLE} · " in content
    assert RU_TITLE not in content
    assert "original-language-note" not in content


def test_service_page_in_kazakh_shows_the_russian_original_saying_so(client, listings):
    content = get_in(client, listings.service.url, "kk").content.decode()

    assert f'<h1 lang="ru" dir="auto">{RU_TITLE}</h1>' in content
    assert f'<p lang="ru" dir="auto">{RU_DESCRIPTION}</p>' in content
    assert note_in("kk", "ru") in content
    assert AR_TITLE not in content


def test_service_page_in_its_original_language_says_nothing_about_languages(client, listings):
    content = get_in(client, listings.service.url, "ru").content.decode()

    assert f'<h1 lang="ru" dir="auto">{RU_TITLE}</h1>' in content
    assert "original-language-note" not in content


def test_organisation_page_in_arabic_lists_the_arabic_names(client, listings):
    content = get_in(client, listings.organisation.url, "ar").content.decode()

    assert f'<h1 lang="ar" dir="auto">{AR_ORGANISATION}</h1>' in content
    assert f'lang="ar" dir="auto">{AR_TITLE}</a>' in content
    assert 'lang="ru" dir="auto">Швейная мастерская</a>' in content
    assert content.count(note_in("ar", "ru")) == 1  # only the untranslated service's card


def test_directory_results_and_country_page_show_translated_titles(client, listings):
    directory = get_in(client, "/directory/", "ar").content.decode()
    country = get_in(client, listings.organisation.get_parent().url, "ar").content.decode()

    assert f'lang="ar" dir="auto">{AR_TITLE}</a>' in directory
    assert f'lang="ar" dir="auto">{AR_ORGANISATION}</span>' in directory
    assert f'lang="ar" dir="auto">{AR_ORGANISATION}</a>' in country


def test_pages_vary_by_the_visitors_language(client, listings):
    arabic = get_in(client, listings.service.url, "ar")
    kazakh = get_in(client, listings.service.url, "kk")

    assert AR_TITLE in arabic.content.decode() and AR_TITLE not in kazakh.content.decode()
    assert "Accept-Language" in arabic["Vary"]


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        get_in(client, url, "ar")
    return len(queries)


def add_translated_services(organisation: OrganisationPage, count: int) -> None:
    for number in range(count):
        service = make_service(
            organisation,
            title=f"Service {number}",
            translations=[
                ServiceTranslation(language=code, title=f"{code} {number}", description=f"{code} text {number}")
                for code in ("ar", "ru", "kk")
            ],
        )
        publish(service)


@pytest.mark.parametrize("url_of", [lambda listings: "/directory/", lambda listings: listings.organisation.url])
def test_listings_read_translations_in_a_fixed_number_of_queries(client, listings, url_of):
    url = url_of(listings)
    few = count_queries(client, url)
    add_translated_services(OrganisationPage.objects.get(pk=listings.organisation.pk), 6)
    other = make_organisation(
        "KZ", title="Other", translations=[OrganisationTranslation(language="ar", title="آخر", description="نص")]
    )
    add_translated_services(publish(other), 4)

    assert count_queries(client, url) == few
    assert 'lang="ar" dir="auto">ar 5</a>' in get_in(client, url, "ar").content.decode()


def test_country_page_reads_translations_in_a_fixed_number_of_queries(client, listings):
    url = listings.organisation.get_parent().url
    few = count_queries(client, url)
    for number in range(5):
        publish(
            make_organisation(
                "KZ",
                title=f"Organisation {number}",
                translations=[OrganisationTranslation(language="ar", title=f"منظمة {number}", description="نص")],
            )
        )

    assert count_queries(client, url) == few


# The HSDS API ---------------------------------------------------------------------------------


def test_hsds_service_in_the_asked_language_names_the_language_of_each_text(client, listings):
    LanguageSupport.objects.create(service=listings.service, name="Arabic", code="ar")

    body = client.get(f"/api/hsds/services/{listings.service.hsds_id}?lang=ar").json()

    assert_valid_response(body, "/services/{id}")
    assert (body["name"], body["description"], body["eligibility_description"]) == (
        AR_TITLE,
        AR_DESCRIPTION,
        AR_ELIGIBILITY,
    )
    assert body["text_languages"] == {
        "requested": "ar",
        "original": "ru",
        "fields": {"name": "ar", "description": "ar", "eligibility_description": "ar"},
    }
    assert body["organization"]["name"] == AR_ORGANISATION
    assert body["languages"][0]["code"] == "ar"


def test_hsds_service_without_a_translation_gives_the_original_and_says_so(client, listings):
    body = client.get(f"/api/hsds/services/{listings.service.hsds_id}?lang=kk").json()

    assert body["name"] == RU_TITLE
    assert body["text_languages"]["fields"]["name"] == "ru"
    assert body["text_languages"]["requested"] == "kk"


def test_hsds_api_takes_the_language_from_accept_language(client, listings):
    with translation.override(settings.LANGUAGE_CODE):  # the request activates Arabic; English after it
        body = client.get(f"/api/hsds/services/{listings.service.hsds_id}", HTTP_ACCEPT_LANGUAGE="ar").json()

    assert body["name"] == AR_TITLE


def test_hsds_api_refuses_a_language_the_portal_does_not_have(client, listings):
    response = client.get(f"/api/hsds/services/{listings.service.hsds_id}?lang=xx")

    assert response.status_code == 422
    assert "lang" in response.content.decode()


@pytest.mark.parametrize("path", ["/api/hsds/services", "/api/hsds/organizations", "/api/hsds/service_at_locations"])
def test_hsds_lists_translate_in_a_fixed_number_of_queries(client, listings, path):
    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"{path}?lang=ar")
        assert response.status_code == 200
        return len(queries)

    few = count()
    add_translated_services(OrganisationPage.objects.get(pk=listings.organisation.pk), 5)

    assert count() == few


def test_hsds_organisation_nests_its_services_translated(client, listings):
    body = client.get(f"/api/hsds/organizations/{listings.organisation.hsds_id}?lang=ar").json()

    assert_valid_response(body, "/organizations/{id}")
    assert body["name"] == AR_ORGANISATION
    assert AR_TITLE in [service["name"] for service in body["services"]]


# The admin ----------------------------------------------------------------------------------------


def arabic_translation(**fields) -> dict:
    return {"language": "ar", "title": AR_TITLE, "description": AR_DESCRIPTION, **fields}


def test_an_editors_translation_waits_for_approval_then_shows(client, cast):
    service = cast.service_a
    client.force_login(cast.editor)
    form = service_form(service, translations=inline_formset([arabic_translation()]))

    response = client.post(f"/admin/pages/{service.pk}/edit/", {**form, "action-submit": "1"})

    assert response.status_code == 302
    assert not ServiceTranslation.objects.filter(page=service).exists()
    client.logout()
    assert AR_TITLE not in get_in(client, service.url, "ar").content.decode()

    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(service.pk))
    client.force_login(cast.kz_coordinator)
    response = client.post(
        f"/admin/pages/workflow/action/{service.pk}/approve/{state.current_task_state.pk}/", {"comment": ""}
    )

    assert response.status_code == 302
    client.logout()
    assert f'<h1 lang="ar" dir="auto">{AR_TITLE}</h1>' in get_in(client, service.url, "ar").content.decode()


def test_an_organisations_translation_goes_to_moderation_too(client, cast):
    organisation = cast.org_a
    client.force_login(cast.editor)
    translations = inline_formset([{"language": "ar", "title": AR_ORGANISATION, "description": "نساعد الناس."}])

    response = client.post(
        f"/admin/pages/{organisation.pk}/edit/",
        {**organisation_form(organisation, translations=translations), "action-submit": "1"},
    )

    assert response.status_code == 302
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(organisation.pk))
    assert state.status == WorkflowState.STATUS_IN_PROGRESS
    assert not OrganisationTranslation.objects.filter(page=organisation).exists()
    assert AR_ORGANISATION in str(OrganisationPage.objects.get(pk=organisation.pk).get_latest_revision().content)


@pytest.mark.parametrize("listing", ["org_a", "service_a"])
def test_the_edit_form_offers_the_translations(client, cast, listing):
    client.force_login(cast.editor)

    content = client.get(f"/admin/pages/{getattr(cast, listing).pk}/edit/").content.decode()

    assert 'name="translations-TOTAL_FORMS"' in content
    assert 'name="original_language"' in content


@pytest.mark.parametrize(
    "translations",
    [
        [arabic_translation(language="en")],  # the service's original language
        [arabic_translation(), arabic_translation(title="Another")],  # twice the same language
    ],
)
def test_a_translation_into_the_original_or_twice_into_one_language_is_refused(client, cast, translations):
    service = cast.service_a
    client.force_login(cast.editor)
    form = service_form(service, translations=inline_formset(translations))

    response = client.post(f"/admin/pages/{service.pk}/edit/", {**form, "action-submit": "1"})

    assert response.status_code == 200
    assert not WorkflowState.objects.filter(object_id=str(service.pk)).exists()


# In the browser -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_in_chromium_arabic_shows_the_translation_and_kazakh_the_original_with_the_note(live_server, page):
    listings = build_listings()
    context = page.context

    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    page.goto(f"{live_server.url}{listings.service.url}")
    expect(page.locator("h1")).to_have_text(AR_TITLE)
    assert page.locator("h1").get_attribute("lang") == "ar"
    expect(page.locator(".original-language-note")).to_have_count(0)

    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "kk", "url": live_server.url}])
    page.goto(f"{live_server.url}{listings.service.url}")
    expect(page.locator("h1")).to_have_text(RU_TITLE)
    assert page.locator("h1").get_attribute("lang") == "ru"
    note = page.locator(".original-language-note")
    expect(note).to_be_visible()
    expect(note).to_have_text(note_in("kk", "ru"))

    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": "ar", "url": live_server.url}])
    page.goto(f"{live_server.url}/directory/")
    translated_card = page.locator(".card", has_text=AR_TITLE)
    untranslated_card = page.locator(".card", has_text="Швейная мастерская")
    expect(translated_card).to_be_visible()
    expect(translated_card.locator(".original-language-note")).to_have_count(0)
    expect(untranslated_card.locator(".original-language-note")).to_be_visible()
    expect(untranslated_card.locator(".original-language-note")).to_have_text(note_in("ar", "ru"))
