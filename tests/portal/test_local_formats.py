"""Dates, times and numbers in each interface language's own format, one format per kind on every page.

A date is shown in the language's DATE_FORMAT, a moment (date and time) in its DATETIME_FORMAT,
a number grouped the language's way: EXPECTED says what each looks like. Those of the pages of
tests/portal/test_untranslated_pages.py that show a record's date or moment are rendered in each
language: it must be found as EXPECTED says, and no page may show another, shorter form
(11/29/2026, 29.11.2026, 2026/11/29).
"""

import re

import pytest
from django.conf import settings
from django.template import Context, Template
from django.utils import dateformat, timezone, translation

from aftercare.models import CaseNote
from portal.foundation.audit import AuditEvent
from referrals.models import Notification
from tests.portal.test_untranslated_pages import VisibleText, build_world, pages, render
from tests.shared_casts import shared_fixture

NBSP = "\xa0"
# language: (date, date and time, 1234567 grouped)
EXPECTED = {
    "en": ("N j, Y", "N j, Y, P", "1,234,567"),
    "ar": ("j F، Y", "j F، Y، g:i A", "1,234,567"),
    "ckb": ("j F Y", "j F Y، کاتژمێر G:i", "1,234,567"),
    "ru": ("j E Y г.", "j E Y г. G:i", f"1{NBSP}234{NBSP}567"),
    "kk": ("Y ж. j E", "Y ж. j E, H:i", f"1{NBSP}234{NBSP}567"),
    "ky": ("j E Y ж.", "j E Y ж. G:i", f"1{NBSP}234{NBSP}567"),
    "tg": ("j E Y", "j E Y, H:i", f"1{NBSP}234{NBSP}567"),
}
LANGUAGES = [code for code, _name in settings.LANGUAGES]
# Digits, a separator, digits, the same separator, digits: a short numeric date, in any order (not an IP address).
world = shared_fixture(build_world, name="world")
SHORT_DATE = re.compile(r"(?<![\d.])\d{1,4}\u200f?([./-])\d{1,2}\u200f?\1\d{1,4}(?![\d.])")


def shown_date(value, language: str) -> str:
    with translation.override(language):
        return dateformat.format(value, EXPECTED[language][0])


def shown_moment(value, language: str) -> str:
    with translation.override(language):
        return dateformat.format(timezone.localtime(value), EXPECTED[language][1])


def test_every_interface_language_has_its_formats():
    assert sorted(EXPECTED) == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_number_is_grouped_the_languages_way(language):
    with translation.override(language):
        shown = Template("{% load local_formats %}{{ number|local_number }}").render(Context({"number": 1234567}))

    assert shown == EXPECTED[language][2]


def expected_on(world, user, url: str, language: str) -> list[str]:
    """The dates and moments the page at `url` shows, in the language's format; asked just before it is shown."""
    cast = world.cast
    client = cast.client
    if url == f"/clients/{client.pk}/":
        return [shown_date(client.birth_date, language), shown_date(client.expected_release_date, language)]
    if url == "/clients/":
        return [shown_date(client.expected_release_date, language)]
    if url == f"/clients/{client.pk}/case/":
        return [shown_moment(CaseNote.objects.get(client=client).created_at, language)]
    if url == "/notifications/":
        notification = Notification.objects.filter(user=cast.caseworker).latest("created_at")
        return [shown_moment(notification.created_at, language)]
    if url == f"/referrals/{world.referral.pk}/" and user == cast.social_worker:  # the sender's timeline
        return [shown_moment(world.referral.events.earliest("at").at, language)]
    if url == f"/clients/{client.pk}/access-log/":
        return [shown_moment(AuditEvent.objects.filter(subject_id=str(client.pk)).latest("at").at, language)]
    return []


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_and_moments_have_one_format_on_every_page(world, language):
    missing, short_dates, checked = [], [], 0
    for user, url in pages(world):
        expected = expected_on(world, user, url, language)
        if not expected:
            continue
        text = "\n".join(VisibleText(render(user, url, language)).texts)
        short_dates += [(url, match.group()) for match in SHORT_DATE.finditer(text)]
        missing += [(url, value) for value in expected if value not in text]
        checked += len(expected)

    assert short_dates == []
    assert missing == [], "not shown in the language's format"
    assert checked == 7
