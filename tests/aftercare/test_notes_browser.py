"""What Chromium shows of case notes and referral status, server-rendered and arriving live.

A daphne process serves the portal (the live parts need WebSockets); notes and referral steps
are written here through the verbs, and reach the page over the suite's Redis.
"""

import datetime

import pytest
from django.db import transaction
from playwright.sync_api import expect

from aftercare.actions import add_case_note
from aftercare.models import CaseNote, NoteVisibility
from referrals.actions import create_referral, send_referral, take_referral_step
from tests.aftercare.live_servers import serve_static_files
from tests.aftercare.notes_cast import build_team, session_cookie
from tests.factories import make_service
from tests.threads import in_another_thread

# The server is another process: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

WAIT_MS = 15_000
NOON = datetime.datetime(2026, 3, 9, 12, 5, tzinfo=datetime.UTC)


def note_at_noon(author, client, body: str):
    with transaction.atomic():  # the note goes out after commit, with the time set here
        note = add_case_note(author, client, body=body)
        CaseNote.objects.filter(pk=note.pk).update(created_at=NOON)
    return note


def sign_in(page, base_url: str, user) -> None:
    page.context.add_cookies([{"name": "sessionid", "value": session_cookie(user), "url": base_url}])
    serve_static_files(page)


def open_notes(page, base_url: str, user, client) -> None:
    sign_in(page, base_url, user)
    page.goto(f"{base_url}/clients/{client.pk}/case/")
    expect(page.locator("[data-case-notes]")).to_have_attribute("data-live-state", "open", timeout=WAIT_MS)


def badge(page, note_id) -> object:
    return page.locator(f"#note-{note_id} [data-slot=private]")


def test_the_own_organisation_badge_shows_on_own_organisation_notes_only_as_loaded_and_live(page, asgi_server):
    team = build_team()
    open_notes(page, asgi_server, team.social_worker, team.client)
    expect(badge(page, team.prison_note.pk)).to_be_visible()
    expect(badge(page, team.team_note.pk)).not_to_be_visible()

    private = in_another_thread(
        add_case_note, team.social_worker, team.client, body="Live, ours", visibility=NoteVisibility.ORGANISATION
    )
    shared = in_another_thread(add_case_note, team.social_worker, team.client, body="Live, for the team")
    expect(page.locator(f"#note-{shared.pk}")).to_be_visible(timeout=WAIT_MS)
    expect(badge(page, private.pk)).to_be_visible()
    expect(badge(page, shared.pk)).not_to_be_visible()


def test_a_live_note_below_the_fold_gets_a_visible_notice_that_leads_to_it(page, asgi_server):
    team = build_team()
    for number in range(8):
        add_case_note(team.officer, team.client, body=f"Earlier note {number}\n\nwith\nseveral\nlines")
    page.set_viewport_size({"width": 900, "height": 500})
    notice = page.locator("[data-new-note]")
    open_notes(page, asgi_server, team.social_worker, team.client)
    expect(notice).not_to_be_visible()

    note = in_another_thread(add_case_note, team.officer, team.client, body="Arrived while you were reading")
    expect(page.locator(f"#note-{note.pk}")).to_have_count(1, timeout=WAIT_MS)
    assert page.locator(f"#note-{note.pk}").bounding_box()["y"] > 500
    expect(notice).to_be_visible()

    notice.get_by_role("link").click()
    expect(page.locator(f"#note-{note.pk}")).to_be_in_viewport()
    expect(notice).not_to_be_visible()


def test_markup_in_a_note_shows_as_text_and_never_runs_as_loaded_and_live(page, asgi_server):
    team = build_team()
    markup = '<img src=x onerror="window.ran=1"><script>window.ran=1</script><a href="javascript:window.ran=1">x</a>'
    loaded = add_case_note(team.officer, team.client, body=f"Loaded {markup}")
    open_notes(page, asgi_server, team.social_worker, team.client)
    live = in_another_thread(add_case_note, team.officer, team.client, body=f"Live {markup}")

    for note, word in ((loaded, "Loaded"), (live, "Live")):
        body = page.locator(f"#note-{note.pk} [data-slot=body]")
        expect(body).to_have_text(f"{word} {markup}", timeout=WAIT_MS)
        expect(body.locator("img, script, a")).to_have_count(0)
    assert page.evaluate("window.ran") is None


def test_a_live_note_shows_its_time_in_the_format_of_the_notes_the_page_came_with(page, asgi_server):
    team = build_team()
    CaseNote.objects.filter(pk=team.team_note.pk).update(created_at=NOON)
    open_notes(page, asgi_server, team.social_worker, team.client)
    loaded_time = page.locator(f"#note-{team.team_note.pk} [data-slot=created_at]").inner_text()

    note = in_another_thread(note_at_noon, team.officer, team.client, "Same minute")
    live_time = page.locator(f"#note-{note.pk} [data-slot=created_at]")

    expect(live_time).to_have_text(loaded_time, timeout=WAIT_MS)
    assert loaded_time.strip() != ""


def test_the_referrers_page_shows_the_new_status_once_the_service_accepts(page, asgi_server):
    team = build_team()
    service = make_service(team.cso, title="Job coaching")
    referral = send_referral(team.social_worker, create_referral(team.social_worker, team.client, service))
    status = page.locator(".page-header .status")
    sign_in(page, asgi_server, team.social_worker)
    page.goto(f"{asgi_server}/referrals/{referral.pk}/")
    expect(page.locator("[data-user-events]")).to_have_attribute("data-live-state", "open", timeout=WAIT_MS)
    expect(status).to_have_text("Sent")
    page.evaluate("window.notReloaded = true")

    in_another_thread(take_referral_step, team.caseworker, referral, "accept")

    expect(status).to_have_text("Accepted", timeout=WAIT_MS)
    assert page.evaluate("window.notReloaded") is True


def test_earlier_notes_load_in_place_above_the_latest_and_live_notes_still_arrive(page, asgi_server):
    team = build_team()
    CaseNote.objects.bulk_create(
        CaseNote(
            client=team.client,
            sequence=sequence,
            author=team.social_worker,
            organisation=team.prison,
            body=f"Note {sequence}",
        )
        for sequence in range(3, 63)
    )
    open_notes(page, asgi_server, team.social_worker, team.client)
    notes = page.locator("[data-notes-list] > [data-note-id]")
    expect(notes).to_have_count(50)
    expect(notes.first).to_contain_text("Note 13")

    page.get_by_role("link", name="Show earlier notes").click()

    expect(notes).to_have_count(62)
    expect(page.locator(f"#note-{team.team_note.pk}")).to_be_visible()
    expect(notes.first).to_have_attribute("id", f"note-{team.team_note.pk}")
    expect(page.get_by_role("link", name="Show earlier notes")).to_be_hidden()
    assert "before=" not in page.url
    live = in_another_thread(add_case_note, team.social_worker, team.client, body="Live after the earlier ones")
    expect(page.locator(f"#note-{live.pk}")).to_be_visible(timeout=WAIT_MS)
    expect(notes.last).to_have_attribute("id", f"note-{live.pk}")
