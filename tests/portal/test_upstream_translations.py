"""The Wagtail admin a CSO editor and a coordinator use, and Django's own messages (validation errors,
month names), are translated in Kurdish (Sorani), Kazakh, Kyrgyz and Tajik too, for which Wagtail ships
no catalogue and Django an incomplete one: locale_upstream/ holds the missing strings, those the server
renders (django.po) and those Wagtail's scripts show (djangojs.po, served by its jsi18n view).

Each page is rendered in each of those languages while every message looked up is recorded; a message
whose translation is still its English text is English left on the page. IDENTICAL lists the few
messages that are rightly the same in a language (a symbol, a name); admin_messages_not_yet_translated.json
what is not translated yet (it may only shrink). The scripts' messages are recorded in Chromium, as the
sidebar and the page editor ask for them.
"""

import json
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.conf.locale import LANG_INFO
from django.test import Client as HttpClient
from django.utils import translation
from django.utils.translation import trans_real
from wagtail.models import WorkflowState

from tests.aftercare.notes_cast import session_cookie
from tests.cso_directory.admin_cast import build_cast, organisation_form
from tests.shared_casts import shared_fixture
from tests.threads import in_another_thread

LANGUAGES = ["ckb", "kk", "ky", "tg"]
CONTEXT = "\x04"
# Messages rightly the same as in English (symbols and names); anything else looked up must differ.
IDENTICAL = {"%(value)s", "%(label)s", "%(count)s", "#", "…", "Wagtail", "URL", "ID", "SEO", "HTML", "API", ":", ", "}
UPSTREAM = Path(settings.BASE_DIR) / "locale_upstream"
# What the admin pages still show in English, per language (context | message): it may only shrink.
NOT_YET_TRANSLATED = {
    language: set(messages)
    for language, messages in json.loads(
        (Path(__file__).parent / "admin_messages_not_yet_translated.json").read_text()
    ).items()
}

cast = shared_fixture(build_cast, name="cast")


@contextmanager
def recorded_messages() -> Iterator[set[str]]:
    """Every message (context\\x04message for pgettext) the active translation is asked for meanwhile."""
    asked: set[str] = set()
    gettext, ngettext = trans_real.DjangoTranslation.gettext, trans_real.DjangoTranslation.ngettext

    def recording_gettext(self, message):
        asked.add(message)
        return gettext(self, message)

    def recording_ngettext(self, singular, plural, number):
        asked.add(singular)
        return ngettext(self, singular, plural, number)

    trans_real.DjangoTranslation.gettext = recording_gettext  # type: ignore[method-assign]
    trans_real.DjangoTranslation.ngettext = recording_ngettext  # type: ignore[method-assign]
    try:
        yield asked
    finally:
        trans_real.DjangoTranslation.gettext = gettext  # type: ignore[method-assign]
        trans_real.DjangoTranslation.ngettext = ngettext  # type: ignore[method-assign]


def untranslated(messages: set[str], language: str) -> list[str]:
    catalogue = trans_real.translation(language)
    left = []
    for message in messages:
        english = message.split(CONTEXT)[-1]
        shown = catalogue.gettext(message)
        if CONTEXT in shown:  # pgettext's answer when the context has no translation
            shown = english
        if shown == english and english.strip() and english not in IDENTICAL:
            left.append(message.replace(CONTEXT, " | "))
    return sorted(left)


def get(http: HttpClient, url: str, language: str) -> str:
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = http.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def post(http: HttpClient, url: str, data: dict, language: str):
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return http.post(url, data)


@pytest.mark.parametrize("domain", ["django", "djangojs"])
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_upstream_catalogue_is_complete_and_compiled(language, domain, tmp_path):
    source = UPSTREAM / language / "LC_MESSAGES" / f"{domain}.po"
    result = subprocess.run(  # noqa: S603 - gettext's msgfmt on our own file
        [
            shutil.which("msgfmt") or "msgfmt",
            "--check-format",
            "--check-domain",
            "--statistics",
            "-o",
            str(tmp_path / f"{domain}.mo"),
            str(source),
        ],
        capture_output=True,
        text=True,
        check=True,
    )

    assert "untranslated" not in result.stderr and "fuzzy" not in result.stderr
    assert "plural=(n != 1)" in source.read_text()
    assert (tmp_path / f"{domain}.mo").read_bytes() == source.with_suffix(".mo").read_bytes(), "run make messages"


@pytest.mark.parametrize("language", LANGUAGES)
def test_django_knows_the_language_its_name_and_direction(language):
    info = LANG_INFO[language]

    assert info["bidi"] is (language == "ckb")
    assert translation.get_language_info(language)["name_local"]


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_admin_pages_of_an_editor_and_a_coordinator_show_no_english_message(cast, language):
    editor, coordinator = HttpClient(), HttpClient()
    editor.force_login(cast.editor)
    coordinator.force_login(cast.kz_coordinator)
    organisation, service = cast.org_a, cast.service_a
    with recorded_messages() as asked, translation.override(language):
        get(editor, "/admin/", language)
        get(editor, f"/admin/pages/{organisation.pk}/", language)
        get(editor, f"/admin/pages/{organisation.pk}/edit/", language)
        get(editor, f"/admin/pages/{service.pk}/edit/", language)
        edit = f"/admin/pages/{organisation.pk}/edit/"
        assert post(editor, edit, organisation_form(organisation, title=""), language).status_code == 200
        assert (
            post(editor, edit, {**organisation_form(organisation), "action-submit": "1"}, language).status_code == 302
        )
        get(coordinator, "/admin/", language)
        state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(organisation.pk))
        task = state.current_task_state.pk
        get(coordinator, f"/admin/pages/workflow/action/{state.object_id}/approve/{task}/", language)
        get(coordinator, f"/admin/pages/{organisation.pk}/edit/", language)
        get(coordinator, f"/admin/pages/{organisation.pk}/history/", language)
        get(coordinator, "/admin/pages/search/?q=Alpha", language)

    still_english = untranslated(asked, language)
    assert sorted(set(still_english) - NOT_YET_TRANSLATED[language]) == []
    assert sorted(NOT_YET_TRANSLATED[language] - set(still_english)) == [], "translated now: remove from the list"


@pytest.mark.parametrize("language", ["ar", "ru", *LANGUAGES])
def test_the_page_editors_header_names_its_actions_in_the_users_language(cast, language):
    # Wagtail's header template writes aria-label="Actions" untranslated, in every language.
    editor = HttpClient()
    editor.force_login(cast.editor)
    with translation.override(language):
        actions = translation.gettext("Actions")
    content = get(editor, f"/admin/pages/{cast.service_a.pk}/edit/", language)

    assert actions != "Actions"
    assert 'aria-label="Actions"' not in content
    assert f'<nav aria-label="{actions}" id="w-slim-header-buttons"' in content


@pytest.mark.parametrize("language", LANGUAGES)
def test_djangos_validation_messages_and_month_names_are_translated(language):
    from django import forms

    class Sample(forms.Form):
        name = forms.CharField(max_length=3)
        email = forms.EmailField()
        when = forms.DateField()
        count = forms.IntegerField(min_value=1)
        choice = forms.ChoiceField(choices=[("a", "A")])

    with recorded_messages() as asked, translation.override(language):
        form = Sample({"name": "longer", "email": "not an address", "when": "never", "count": "0", "choice": "b"})
        errors = [str(error) for field_errors in form.errors.values() for error in field_errors]
        required = [str(error) for field_errors in Sample({}).errors.values() for error in field_errors]
        from django.utils import dates

        months = [str(name) for table in (dates.MONTHS, dates.MONTHS_ALT, dates.MONTHS_3) for name in table.values()]
        days = [str(name) for name in dates.WEEKDAYS.values()]

    assert errors and required and months and days
    assert untranslated(asked, language) == []


# Installed before any script of the page: Django's JavaScript catalogue (Wagtail's jsi18n view) then
# defines django.gettext and the others through these setters, and every message Wagtail's scripts
# (sidebar, page editor, React components) ask for is recorded with whether the catalogue holds it.
RECORD_JS_MESSAGES = """(() => {
  const asked = (window.askedMessages = new Map());
  const django = (globalThis.django = {});
  const keyed = {
    gettext: (message) => message,
    ngettext: (singular) => singular,
    pgettext: (context, message) => `${context}\\x04${message}`,
    npgettext: (context, singular) => `${context}\\x04${singular}`,
  };
  for (const [name, key] of Object.entries(keyed)) {
    let real;
    Object.defineProperty(django, name, {
      configurable: true,
      set(value) { real = value; },
      get() {
        return real && ((...args) => {
          const message = key(...args);
          asked.set(message, Object.hasOwn(django.catalog || {}, message));
          return real(...args);
        });
      },
    });
  }
})()"""
ENGLISH_JS_MESSAGES = (
    """() => [...window.askedMessages].filter(([, translated]) => !translated).map(([message]) => message)"""
)


def english_in_chromium(browser, base_url: str, session: str, paths: list[str]) -> dict[str, set[str]]:
    """Per language, the JavaScript messages Wagtail's scripts showed on `paths` that the catalogue left
    in English. A browser context per language; every language loads each page at the same time, so
    the waits for the network to go quiet overlap."""
    pages = {language: page_in(browser, base_url, session, language) for language in LANGUAGES}
    english: dict[str, set[str]] = {language: set() for language in LANGUAGES}
    try:
        for path in paths:
            for page in pages.values():
                page.goto(f"{base_url}{path}", wait_until="commit")
            for language, page in pages.items():
                page.wait_for_load_state("networkidle")
                assert page.locator("html").get_attribute("lang") == language, path
                assert page.evaluate("window.askedMessages.size") > 0, f"no JavaScript message was asked for on {path}"
                english[language].update(
                    message
                    for message in page.evaluate(ENGLISH_JS_MESSAGES)
                    if message.split(CONTEXT)[-1] not in IDENTICAL
                )
    finally:
        for page in pages.values():
            page.context.close()
    return english


def page_in(browser, base_url: str, session: str, language: str):
    """A page of a new context signed in with `session`, in `language`, recording Wagtail's messages."""
    context = browser.new_context()
    context.add_init_script(RECORD_JS_MESSAGES)
    context.add_cookies(
        [
            {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": base_url},
            {"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base_url},
        ]
    )
    return context.new_page()


@pytest.mark.django_db(transaction=True)
def test_wagtails_javascript_messages_on_the_editors_and_coordinators_pages_are_translated(live_server, browser):
    built = in_another_thread(build_cast)
    organisation, service = built.org_a, built.service_a
    sessions = {user: session_cookie(user) for user in (built.editor, built.kz_coordinator)}
    editor = HttpClient()
    editor.force_login(built.editor)
    form = {**organisation_form(organisation), "action-submit": "1"}
    assert editor.post(f"/admin/pages/{organisation.pk}/edit/", form).status_code == 302

    editors = english_in_chromium(
        browser,
        live_server.url,
        sessions[built.editor],
        ["/admin/", f"/admin/pages/{organisation.pk}/", f"/admin/pages/{service.pk}/edit/"],
    )
    coordinators = english_in_chromium(
        browser,
        live_server.url,
        sessions[built.kz_coordinator],
        [
            "/admin/",
            f"/admin/pages/{organisation.pk}/edit/",
            f"/admin/pages/{organisation.pk}/history/",
            f"/admin/pages/{organisation.pk}/workflow_history/",
        ],
    )

    assert {language: sorted(editors[language] | coordinators[language]) for language in LANGUAGES} == {
        language: [] for language in LANGUAGES
    }
