"""Every write of the staff API takes an idempotency key: a retry with the same key and the same request
answers what the first answered (200 where it was 201) and writes nothing; the key sent with another
request is refused with the reason; two simultaneous requests with one key write once."""

import datetime
import threading
import uuid

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.utils import timezone

from aftercare.models import CheckIn, Goal
from portal.foundation.models import AuditEvent
from tests.aftercare.supervision_cast import build_cast, open_case
from tests.shared_casts import shared_fixture

cast = shared_fixture(build_cast, name="cast")


def post(http, path, body):
    return http.post(path, body, content_type="application/json")


@pytest.mark.django_db
def test_a_retried_goal_answers_the_first_goal_and_adds_nothing(client, cast):
    case = open_case(cast, officer=cast.officer)
    client.force_login(cast.officer)
    body = {"pathway": "housing", "description": "A flat", "idempotency_key": str(uuid.uuid4())}
    first = post(client, f"/api/cases/{case.pk}/goals", body)
    retry = post(client, f"/api/cases/{case.pk}/goals", body)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert Goal.objects.filter(case=case).count() == 1
    assert AuditEvent.objects.filter(action="goal.add", object_id=str(case.pk)).count() == 1


@pytest.mark.django_db
def test_a_key_sent_again_with_other_input_or_for_another_operation_is_refused_with_the_reason(client, cast):
    case = open_case(cast, officer=cast.officer)
    client.force_login(cast.officer)
    key = str(uuid.uuid4())
    assert (
        post(client, f"/api/cases/{case.pk}/check-ins", {"due_on": "2026-06-01", "idempotency_key": key}).status_code
        == 201
    )
    other_input = post(client, f"/api/cases/{case.pk}/check-ins", {"due_on": "2026-06-02", "idempotency_key": key})
    other_operation = post(
        client, f"/api/cases/{case.pk}/goals", {"pathway": "housing", "description": "A flat", "idempotency_key": key}
    )
    for refused in (other_input, other_operation):
        assert refused.status_code == 409
        assert "idempotency key" in refused.json()["detail"]
    assert list(case.check_ins.filter(due_on__in=["2026-06-01", "2026-06-02"]).values_list("due_on", flat=True)) == [
        datetime.date(2026, 6, 1)
    ]
    assert not Goal.objects.filter(case=case).exists()


@pytest.mark.django_db
def test_keys_are_each_users_own(client, cast):
    case = open_case(cast, officer=cast.officer)
    key = str(uuid.uuid4())
    client.force_login(cast.officer)
    assert (
        post(client, f"/api/cases/{case.pk}/check-ins", {"due_on": "2026-06-01", "idempotency_key": key}).status_code
        == 201
    )
    client.force_login(cast.supervisor)
    assert (
        post(client, f"/api/cases/{case.pk}/check-ins", {"due_on": "2026-06-01", "idempotency_key": key}).status_code
        == 201
    )
    assert CheckIn.objects.filter(case=case, due_on="2026-06-01").count() == 2


@pytest.mark.django_db(transaction=True)
def test_simultaneous_requests_with_one_key_write_once_and_answer_alike():
    """Each thread has its own connection on PostgreSQL: the data must be committed."""
    team = build_cast()
    case = open_case(team, officer=team.officer, release_date=timezone.localdate())
    body = {"due_on": "2026-07-01", "idempotency_key": str(uuid.uuid4())}
    writers = 6
    start = threading.Barrier(writers)
    answers: list[tuple[int, dict]] = []

    def send() -> None:
        http = HttpClient()
        http.force_login(team.officer)
        try:
            start.wait()
            response = post(http, f"/api/cases/{case.pk}/check-ins", body)
            answers.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(writers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sorted(status for status, _answer in answers) == [200] * (writers - 1) + [201]
    assert len({answer["id"] for _status, answer in answers}) == 1
    assert CheckIn.objects.filter(case=case, due_on="2026-07-01").count() == 1
