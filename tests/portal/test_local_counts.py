"""Every count a user sees is written the language's way (portal.foundation.formats.local_number): a
thousand clients read "1,000" in Arabic and "1 000" in Russian, as any other number on the page does;
a suppressed figure ("<5", "x") stays as published."""

import re
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

from portal.foundation.formats import local_number
from referrals.models import Client
from reporting.indicators import Cell
from reporting.presentation import shown_cell
from reporting.suppression import Mark
from tests.referrals.api_cast import build_cast
from tests.shared_casts import shared_fixture

NBSP = "\xa0"
THOUSAND = {"ar": "1,000", "ru": f"1{NBSP}000", "kk": f"1{NBSP}000"}
TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Counts that never reach a thousand, so every language writes them alike: an age, minutes of a lock-out,
# recovery codes left.
NEVER_GROUPED = {"age=client.age", "minutes=locked_out_minutes", "left=recovery_codes_left"}
COUNTED = re.compile(r"{% blocktranslate count (\S+)(.*?)%}")


def copies_of(client: Client, prefix: str, how_many: int) -> None:
    """Bulk-created copies of the client under new references: counted as any client, cheaply."""
    fields = {field.attname: getattr(client, field.attname) for field in Client._meta.concrete_fields}
    Client.objects.bulk_create(
        Client(**{**fields, "id": uuid.uuid4(), "reference": f"{prefix}-{number:04d}"}) for number in range(how_many)
    )


def build_thousand_clients():
    cast = build_cast()
    copies_of(cast.client, "KZ-COPY", 999)
    return cast


cast = shared_fixture(build_thousand_clients, name="cast")


def results_heading(html: str) -> str:
    heading = re.search(r'<h2 id="results-heading"[^>]*>(.*?)</h2>', html, re.S)
    assert heading
    return re.sub(r"[ \t\n]+", " ", heading.group(1)).strip()  # the no-break space of a number stays


@pytest.mark.parametrize("language", sorted(THOUSAND))
def test_a_thousand_clients_are_counted_the_languages_way(cast, client, language):
    client.force_login(cast.social_worker)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    with translation.override(settings.LANGUAGE_CODE):
        exactly = results_heading(client.get("/clients/").content.decode())
        copies_of(cast.client, "KZ-MORE", 1)
        more = results_heading(client.get("/clients/").content.decode())

    assert THOUSAND[language] in exactly and "1000" not in exactly
    assert THOUSAND[language] in more and "1000" not in more
    assert exactly != more


@pytest.mark.parametrize("language", sorted(THOUSAND))
def test_a_report_figure_is_grouped_and_a_suppressed_one_stays_as_published(language):
    with translation.override(language):
        assert shown_cell(Cell(1000)) == THOUSAND[language]
        assert shown_cell(Cell(3, mark=Mark.SMALL)) == "<5"
        assert local_number("x") == "x"
        assert local_number(1000) == THOUSAND[language]


def test_every_count_in_the_templates_is_shown_through_local_number():
    unformatted = []
    for path in TEMPLATES.rglob("*.html"):
        for count, rest in COUNTED.findall(path.read_text(encoding="utf-8")):
            shown = count.split("=", 1)[1]
            if count not in NEVER_GROUPED and f"counter={shown}|local_number" not in rest:
                unformatted.append((path.relative_to(TEMPLATES).as_posix(), count))

    assert unformatted == []
