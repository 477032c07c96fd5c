"""Fifty people posting to one client at once: every note stored, numbered 1..50 without a gap or a twin."""

import threading
import uuid

import pytest
from django.db import connection

from aftercare.actions import add_case_note
from aftercare.models import CaseNote
from tests.aftercare.notes_cast import build_team

# Each thread has its own database connection: the data must be committed.
pytestmark = pytest.mark.django_db(transaction=True)

WRITERS = 50


def test_fifty_concurrent_posts_get_fifty_unique_consecutive_sequence_numbers():
    team = build_team()
    CaseNote.objects.filter(client=team.client).delete()  # the cast's own notes; numbering starts again at 1
    authors = [team.social_worker, team.officer, team.caseworker]
    keys = [uuid.uuid4() for _ in range(WRITERS)]
    start = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def post(index: int) -> None:
        try:
            start.wait()
            author = authors[index % len(authors)]
            add_case_note(author, team.client, body=f"Note {index}", idempotency_key=keys[index])
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(index,)) for index in range(WRITERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    notes = CaseNote.objects.filter(client=team.client).order_by("sequence")
    sequences = list(notes.values_list("sequence", flat=True))
    assert sequences == list(range(1, WRITERS + 1))

    retried = add_case_note(team.social_worker, team.client, body="Note 0", idempotency_key=keys[0])
    assert retried.body == "Note 0"
    assert CaseNote.objects.filter(client=team.client).count() == WRITERS


ROUNDS = 12


def post_in_parallel(users, client, payload) -> list[int]:
    """Each user posts `payload` over the API at the same instant, from their own thread; the statuses, sorted."""
    from django.test import Client as HttpClient

    sessions = []
    for user in users:
        http = HttpClient()
        http.force_login(user)
        sessions.append(http)
    start = threading.Barrier(len(sessions))
    statuses: list[int] = []

    def post(http) -> None:
        try:
            start.wait()
            statuses.append(
                http.post(f"/api/clients/{client.pk}/notes", payload, content_type="application/json").status_code
            )
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(http,)) for http in sessions]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return sorted(statuses)


def test_two_simultaneous_posts_with_one_key_store_one_note_answering_201_once_and_200_once():
    team = build_team()
    for round_number in range(ROUNDS):
        key = uuid.uuid4()
        payload = {"body": f"Round {round_number}", "idempotency_key": str(key)}

        statuses = post_in_parallel([team.officer, team.officer], team.client, payload)

        assert statuses == [200, 201], f"round {round_number}"
        assert CaseNote.objects.filter(client=team.client, idempotency_key=key).count() == 1
