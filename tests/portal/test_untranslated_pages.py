"""The main pages, rendered in each interface language but English, show no English interface text.

Each page is rendered with the language cookie that LocaleMiddleware reads (the portal has no
/<lang>/ prefixes). Its visible text is taken apart: text nodes outside <script>, <style> and
<template>, and the aria-label, placeholder, title and alt attributes and the value of buttons.
What came from the cast's records (names, notes, titles of organisations and services, region
names) is user data and left out. A text still in English is:

- a message of our catalogues, in its English form, whose translation differs from it; or
- a sequence of at least two Latin-script words of which at least one is a common English word
  (ENGLISH_WORDS): an unwrapped string the catalogues do not know. The list is short and fixed, so
  the check is deterministic; words such as names or codes ("HSDS", "TOTP") do not trip it alone.

Text inside an element whose `lang` names another language (the language switcher shows each
language in its own name, "English" included) is meant to be in that language and left out.
NOT_YET_TRANSLATED lists what the test found and is not fixed yet; the test fails as well when one
of them is no longer found, so the list only shrinks.

The Wagtail admin is out of scope: Wagtail ships no kk, ky, tg or ckb catalogue of its own.
"""

import gettext
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.test import Client as HttpClient
from django.utils import timezone
from wagtail.models import Page

from aftercare.actions import add_case_note, assign_officer, hand_over
from cso_directory.models import CountryDirectoryPage, DirectoryIndexPage, Region
from portal.foundation.models import HomePage
from referrals.models import Referral, ReferralStatus
from tests.portal.page_parts import VOID_TAGS
from tests.referrals.api_cast import Cast, build_cast, referral_in
from tests.shared_casts import shared_fixture

LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
LOCALE = Path(settings.BASE_DIR) / "locale"
SHOWN_ATTRIBUTES = ("aria-label", "placeholder", "title", "alt")
HIDDEN_TAGS = {"script", "style", "template"}
ENGLISH_WORDS = frozenset(
    "a an the and or of to in on for with from by at as is are be was were been not no yes "
    "this that these those it its your you we our they their he she his her who what when where which "
    "how all any each every some none new add save send cancel back next show hide open close "
    "sign out in up edit delete remove search filter find found results page pages here there "
    "has have had will can may must should would could do does done".split()
)
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")
# Found by this test, not fixed yet: (path without ids, text). Each needs its own change.
NOT_YET_TRANSLATED = {
    # The access log shows the audit events' action codes as they are stored.
    ("/clients/ID/access-log/", "case_note.add"),
    ("/clients/ID/access-log/", "referral.send"),
}
ID = re.compile(r"/[0-9a-f-]{36}/")


@dataclass
class World:
    cast: Cast
    referral: Referral


def build_world() -> World:
    """The API cast, with a referral awaiting the CSO's answer and the client's case under supervision."""
    cast = build_cast()
    referral = referral_in(cast, ReferralStatus.SENT)
    case = hand_over(
        cast.social_worker, cast.client, probation_office=cast.probation_office, release_date=timezone.localdate()
    )
    assign_officer(cast.probation_officer, case, cast.probation_officer)
    add_case_note(cast.probation_officer, cast.client, body="Found a room near her sister.")
    return World(cast=cast, referral=referral)


world = shared_fixture(build_world, name="world")


class VisibleText(HTMLParser):
    """The texts a reader of the page meets in the page's language, each with whitespace collapsed."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self._open: list[tuple[str, bool]] = []  # (tag, whether its content is left out)
        self.feed(html)

    def _left_out(self) -> bool:
        return bool(self._open) and self._open[-1][1]

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        other_language = tag != "html" and bool(attributes.get("lang"))
        left_out = self._left_out() or tag in HIDDEN_TAGS or other_language
        if not left_out:
            for name in SHOWN_ATTRIBUTES:
                self._add(attributes.get(name))
            if tag == "button" or (tag == "input" and attributes.get("type") in {"submit", "button", "reset"}):
                self._add(attributes.get("value"))
        if tag not in VOID_TAGS:
            self._open.append((tag, left_out))

    def handle_endtag(self, tag):
        if any(open_tag == tag for open_tag, _left_out in self._open):
            while self._open.pop()[0] != tag:
                pass

    def handle_data(self, data):
        if not self._left_out():
            self._add(data)

    def _add(self, text: str | None) -> None:
        text = " ".join((text or "").split())
        if text:
            self.texts.append(text)


def translated_messages(language: str) -> set[str]:
    """The English messages (singular forms) of our catalogue for `language` whose translation differs."""
    with (LOCALE / language / "LC_MESSAGES" / "django.mo").open("rb") as compiled:
        catalogue = gettext.GNUTranslations(compiled)._catalog  # type: ignore[attr-defined]
    messages = set()
    for key, translation in catalogue.items():
        msgid = key[0] if isinstance(key, tuple) else key
        if msgid and msgid != translation:
            messages.add(" ".join(msgid.split("\x04")[-1].split()))
    return messages


def looks_english(text: str) -> bool:
    words = LATIN_WORD.findall(text)
    latin = "".join(words)
    letters = [character for character in text if character.isalpha()]
    return len(words) >= 2 and len(latin) == len(letters) and any(word.lower() in ENGLISH_WORDS for word in words)


def typed_values(world: World) -> list[str]:
    """What users typed into the records the pages show (reference data such as region names is not)."""
    cast = world.cast
    people = [cast.social_worker, cast.probation_officer, cast.caseworker]
    values = [
        cast.client.first_name,
        cast.client.last_name,
        cast.client.contact_route,
        cast.client.risk_notes,
        cast.need.details,
        world.referral.note,
        "Found a room near her sister.",
        *(page.description for page in (cast.prison, cast.probation_office, cast.cso, cast.service)),
        *(person.username for person in people),
        *(person.email for person in people),
        *Page.objects.filter(depth__gt=2).values_list("title", flat=True),
    ]
    return [value for value in values if value]


def user_data(world: World) -> list[str]:
    """What the cast's records put on the pages: never interface text."""
    return [
        *typed_values(world),
        *Page.objects.filter(depth__lte=2).values_list("title", flat=True),
        *Region.objects.values_list("name_en", flat=True),
        *Region.objects.values_list("name_local", flat=True),
    ]


def is_user_data(text: str, data: list[str]) -> bool:
    """Whether `text` shows a record's value; a sentence around such a value is left out with it."""
    return any(value in text for value in data if len(value) > 2)


def pages(world: World) -> list[tuple[User | None, str]]:
    cast = world.cast
    client = cast.client.pk
    country = CountryDirectoryPage.objects.get(country="KZ")
    return [
        (None, HomePage.objects.first().url),
        (None, DirectoryIndexPage.objects.first().url),
        (None, f"{country.url}?q="),
        (None, cast.service.url),
        (None, cast.cso.url),
        (None, "/accounts/login/"),
        (None, "/accounts/password_reset/"),
        (cast.social_worker, "/clients/"),
        (cast.social_worker, f"/clients/{client}/"),
        (cast.social_worker, f"/clients/{client}/refer/?service={cast.service.pk}"),
        (cast.social_worker, f"/referrals/{world.referral.pk}/"),
        (cast.caseworker, "/inbox/"),
        (cast.caseworker, f"/referrals/{world.referral.pk}/"),
        (cast.caseworker, "/notifications/"),
        (cast.probation_officer, "/caseload/"),
        (cast.probation_officer, f"/cases/{cast.client.supervision_case.pk}/"),
        (cast.probation_officer, f"/clients/{client}/case/"),
        (cast.social_worker, "/accounts/tokens/"),
        (cast.social_worker, "/accounts/security/"),
        (cast.coordinator, f"/clients/{client}/access-log/"),
    ]


def render(user: User | None, url: str, language: str) -> str:
    http = HttpClient()
    http.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    if user is not None:
        http.force_login(user)
    response = http.get(url)
    assert response.status_code == 200, (url, response.status_code)
    assert f'lang="{language}"' in response.content.decode(), url
    return response.content.decode()


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_main_pages_show_no_english_interface_text(world, language):
    messages = translated_messages(language)
    data = user_data(world)
    findings = set()
    for user, url in pages(world):
        path = ID.sub("/ID/", url.split("?")[0])
        for text in VisibleText(render(user, url, language)).texts:
            if not is_user_data(text, data) and (text in messages or looks_english(text)):
                findings.add((path, text))

    still_english = sorted(findings - NOT_YET_TRANSLATED)
    assert still_english == [], "\n".join(f"{path}: {text!r}" for path, text in still_english)
    assert sorted(NOT_YET_TRANSLATED - findings) == [], "translated now: remove from NOT_YET_TRANSLATED"
