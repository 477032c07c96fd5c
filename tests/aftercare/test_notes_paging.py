"""A client with thousands of notes: the case and notes pages show the latest ones, earlier ones
on demand (`?before=`), and stay the same size and the same number of queries."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aftercare.models import CaseNote, NoteVisibility, SupervisionCase
from aftercare.views import NOTES_SHOWN
from tests.aftercare.notes_cast import build_team, signed_in
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

NOTES = 2_000


def build_busy_team():
    """The notes cast with 2,000 more notes by the probation office (sequences 3 to 2,002); the
    last amends note 10, note 1,990 amends the prison's own note 2."""
    team = build_team()
    notes = [
        CaseNote(
            client=team.client,
            sequence=sequence,
            author=team.officer,
            organisation=team.probation,
            visibility=NoteVisibility.TEAM,
            body=f"Weekly meeting {sequence}: all well, job search going on, sees the housing adviser on Friday.",
        )
        for sequence in range(3, NOTES + 3)
    ]
    CaseNote.objects.bulk_create(notes)
    by_sequence = {note.sequence: note for note in CaseNote.objects.filter(client=team.client)}
    CaseNote.objects.filter(pk=by_sequence[NOTES + 2].pk).update(amends=by_sequence[10])
    CaseNote.objects.filter(pk=by_sequence[1990].pk).update(amends=by_sequence[2])
    team.notes = by_sequence
    return team


busy = shared_fixture(build_busy_team, name="busy")


def shown_sequences(html: str) -> list[int]:
    return [int(sequence) for sequence in re.findall(r'data-sequence="(\d+)"', html)]


def amends_choices(html: str) -> int:
    select = re.search(r'<select name="amends".*?</select>', html, re.S)
    assert select is not None
    return select.group(0).count("<option")


def page_url(team, page: str) -> str:
    if page == "case page":
        return f"/cases/{SupervisionCase.objects.get(client=team.client).pk}/"
    return f"/clients/{team.client.pk}/case/"


@pytest.mark.parametrize("page", ["notes page", "case page"])
def test_the_pages_of_a_client_with_2000_notes_show_the_latest_50_in_under_100_kb(busy, page):
    html = signed_in(busy.officer).get(page_url(busy, page)).content.decode()

    assert len(html.encode()) <= 100_000
    assert shown_sequences(html) == list(range(NOTES + 3 - NOTES_SHOWN, NOTES + 3))
    assert amends_choices(html) == NOTES_SHOWN + 1  # and "Nothing: this is a new note"
    assert f'href="?before={NOTES + 3 - NOTES_SHOWN}#case-notes"' in html
    assert f'data-last-sequence="{NOTES + 2}"' in html


def test_earlier_notes_come_page_by_page_through_the_before_link_until_the_first(busy):
    http = signed_in(busy.officer)
    url = f"/clients/{busy.client.pk}/case/"

    earlier = http.get(url, {"before": 1953}).content.decode()
    first = http.get(url, {"before": 3}).content.decode()

    assert shown_sequences(earlier) == list(range(1903, 1953))
    assert 'href="?before=1903#case-notes"' in earlier
    assert "Show the latest notes" in earlier
    assert f'data-last-sequence="{NOTES + 2}"' in earlier  # the socket catches up from the latest, not from here
    assert shown_sequences(first) == [1]  # note 2 is the prison's own
    assert re.search(r"data-earlier-notes\s+hidden", first)


def test_a_cso_pages_through_the_team_notes_only(busy):
    http = signed_in(busy.caseworker)
    url = f"/clients/{busy.client.pk}/case/"

    html = http.get(url, {"before": 60}).content.decode()
    first = http.get(url, {"before": 10}).content.decode()

    assert shown_sequences(html) == list(range(10, 60))
    assert 'href="?before=10#case-notes"' in html
    assert shown_sequences(first) == [1, *range(3, 10)]  # never the prison's note 2


def test_links_between_an_amendment_and_an_earlier_note_lead_to_the_page_showing_it(busy):
    http = signed_in(busy.officer)
    url = f"/clients/{busy.client.pk}/case/"
    note_10, amendment = busy.notes[10], busy.notes[NOTES + 2]

    latest = http.get(url).content.decode()
    earlier = http.get(url, {"before": 60}).content.decode()

    assert f'href="?before=11#note-{note_10.pk}"' in latest
    assert f'href="?before={NOTES + 3}#note-{amendment.pk}"' in earlier
    assert "Amends note #2, which you cannot see." in signed_in(busy.caseworker).get(url).content.decode()


def test_amending_an_earlier_note_offers_it_in_the_form(busy):
    http = signed_in(busy.officer)
    html = http.get(f"/clients/{busy.client.pk}/case/", {"amends": busy.notes[5].pk}).content.decode()

    assert amends_choices(html) == NOTES_SHOWN + 2
    assert re.search(rf'<option value="{busy.notes[5].pk}" selected>', html)


def test_the_notes_page_makes_as_many_queries_for_2000_notes_as_for_2(busy):
    http = signed_in(busy.officer)
    url = f"/clients/{busy.client.pk}/case/"
    http.get(url)  # the session and the user, read once

    with CaptureQueriesContext(connection) as two_notes:
        http.get(url, {"before": 3})
    with CaptureQueriesContext(connection) as latest:
        http.get(url)

    assert len(latest) == len(two_notes)


def test_the_notes_api_gives_200_notes_at_a_time_and_the_next_after_the_last(busy):
    http = signed_in(busy.officer)
    url = f"/api/clients/{busy.client.pk}/notes"

    first = [note["sequence"] for note in http.get(url).json()]
    following = [note["sequence"] for note in http.get(url, {"after": first[-1], "limit": 50}).json()]

    assert first == [1, *range(3, 202)]
    assert following == list(range(202, 252))
    assert http.get(url, {"limit": 201}).status_code == 422
