"""What Chromium shows of a case note's time, loaded with the page and arriving live: the server's
format for the page's language (portal.foundation.formats.local_datetime), never the browser's own."""

import pytest
from django.conf import settings
from django.utils import translation
from playwright.sync_api import expect

from aftercare.models import CaseNote
from portal.foundation.formats import local_datetime
from tests.aftercare.notes_cast import build_team
from tests.aftercare.test_notes_browser import NOON, WAIT_MS, note_at_noon, open_notes
from tests.threads import in_another_thread

# The server is another process: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)


def test_a_notes_time_is_in_the_servers_format_for_the_pages_language_loaded_and_live(page, asgi_server):
    team = build_team()
    CaseNote.objects.filter(pk=team.team_note.pk).update(created_at=NOON)
    for language in ("ar", "kk", "en"):
        page.context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": asgi_server}])
        with translation.override(language):
            expected = local_datetime(NOON)
        open_notes(page, asgi_server, team.social_worker, team.client)
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator(f"#note-{team.team_note.pk} [data-slot=created_at]")).to_have_text(expected)

        note = in_another_thread(note_at_noon, team.officer, team.client, f"Arrived live ({language})")
        expect(page.locator(f"#note-{note.pk} [data-slot=created_at]")).to_have_text(expected, timeout=WAIT_MS)
