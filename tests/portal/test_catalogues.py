"""The translation catalogues: every message translated, none fuzzy, and the compiled files that
Django reads (committed, so a fresh clone needs no gettext) are exactly what the sources compile to."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

LOCALE = Path(settings.BASE_DIR) / "locale"
LANGUAGES = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
MSGFMT = shutil.which("msgfmt") or "msgfmt"
MSGCMP = shutil.which("msgcmp") or "msgcmp"
# What `make messages` leaves out, as the Makefile says.
MAKEMESSAGES_IGNORE = re.search(r"^MESSAGES_IGNORE := (.*)$", (LOCALE.parent / "Makefile").read_text(), re.M)[1].split()


def msgfmt(language: str, output: Path) -> str:
    """Compile one catalogue as `manage.py compilemessages` does; gettext's statistics, on stderr."""
    source = LOCALE / language / "LC_MESSAGES" / "django.po"
    result = subprocess.run(  # noqa: S603 - gettext's msgfmt on our own file
        [MSGFMT, "--check-format", "--check-domain", "--statistics", "-o", str(output), str(source)],
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stderr


def test_every_interface_language_but_english_has_a_catalogue():
    assert sorted(path.name for path in LOCALE.iterdir() if path.is_dir()) == sorted(LANGUAGES)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_is_translated_and_none_is_fuzzy(language, tmp_path):
    statistics = msgfmt(language, tmp_path / "django.mo")

    assert "untranslated" not in statistics
    assert "fuzzy" not in statistics
    assert "translated message" in statistics


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_compiled_catalogue_is_up_to_date(language, tmp_path):
    msgfmt(language, tmp_path / "django.mo")

    committed = LOCALE / language / "LC_MESSAGES" / "django.mo"
    assert committed.read_bytes() == (tmp_path / "django.mo").read_bytes(), (
        f"run `python manage.py compilemessages` after editing locale/{language}"
    )


def test_the_catalogues_hold_exactly_the_messages_of_the_code(settings, tmp_path, monkeypatch):
    """`makemessages` run now finds no message the catalogues lack, and they keep none it dropped.

    It runs on a copy of the sources: makemessages writes into a `locale/` folder beside them."""
    copy = tmp_path / "project"
    shutil.copytree(settings.BASE_DIR, copy, ignore=shutil.ignore_patterns(".git", *MAKEMESSAGES_IGNORE, "locale*"))
    shutil.copytree(LOCALE / "ru", copy / "locale" / "ru")
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["ru"], ignore_patterns=MAKEMESSAGES_IGNORE, no_obsolete=True, verbosity=0)

    committed, fresh = LOCALE / "ru" / "LC_MESSAGES" / "django.po", copy / "locale" / "ru" / "LC_MESSAGES" / "django.po"
    for definitions, references in ((committed, fresh), (fresh, committed)):
        result = subprocess.run(  # noqa: S603 - gettext's msgcmp on our own files
            [MSGCMP, "--use-untranslated", str(definitions), str(references)], capture_output=True, text=True
        )
        assert result.returncode == 0, f"run `make messages`:\n{result.stderr}"
