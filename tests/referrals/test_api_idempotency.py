"""The referral side's writes take the staff API's idempotency key: a retry answers the first answer
(200 where it was 201) and writes nothing; the key reused for other input is refused with the reason."""

import uuid

import pytest

from portal.foundation.models import AuditEvent
from referrals.models import Client, Consent, Referral
from tests.security.matrix_cast import build_cast
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_cast, name="cast")


def twice(client, method, path, body) -> tuple:
    body = {**body, "idempotency_key": str(uuid.uuid4())}
    send = getattr(client, method)
    return send(path, body, content_type="application/json"), send(path, body, content_type="application/json")


def test_a_retried_client_record_answers_the_first_and_records_one_client(client, cast):
    client.force_login(cast.social_worker)
    body = {
        "prison_id": cast.prison.pk,
        "first_name": "Dana",
        "last_name": "Example",
        "sex": "female",
        "birth_date": "1992-06-01",
        "confirmed_new": True,
    }
    first, retry = twice(client, "post", "/api/clients", body)
    assert (first.status_code, retry.status_code) == (201, 200)
    assert retry.json() == first.json()
    assert Client.objects.filter(last_name="Example").count() == 1


@pytest.mark.parametrize(
    ("method", "path", "body", "statuses"),
    [
        ("patch", "/api/clients/{client}", {"other_names": "Dina"}, (200, 200)),
        ("post", "/api/clients/{client}/needs", {"category": "housing", "priority": "low"}, (200, 200)),
        (
            "post",
            "/api/clients/{client}/consents",
            {"organisation_kinds": ["cso"], "given_on": "2026-01-05", "method": "signed_form"},
            (201, 200),
        ),
        ("post", "/api/consents/{consent}/withdraw", {}, (200, 200)),
        ("post", "/api/referrals", {"client_id": "{client}", "service_id": "{other_service}"}, (201, 200)),
    ],
)
def test_each_referral_side_write_retried_answers_alike_and_audits_once(client, cast, method, path, body, statuses):
    ids = {"client": cast.client.pk, "consent": cast.consent.pk, "other_service": cast.other_service.pk}
    path = path.format(**ids)
    body = {name: value.format(**ids) if isinstance(value, str) else value for name, value in body.items()}
    if "service_id" in body:
        body["service_id"] = int(body["service_id"])
    client.force_login(cast.social_worker)
    consents, referrals = Consent.objects.count(), Referral.objects.count()
    body = {**body, "idempotency_key": str(uuid.uuid4())}
    send = getattr(client, method)
    first, by_first = audited(cast.social_worker, lambda: send(path, body, content_type="application/json"))
    retry, by_retry = audited(cast.social_worker, lambda: send(path, body, content_type="application/json"))
    assert (first.status_code, retry.status_code) == statuses
    assert retry.json() == first.json()
    # The retry reads the record again (audited) and writes nothing: the first's events but its write.
    assert len(by_retry) == len(by_first) - 1
    assert set(by_retry) < set(by_first)
    assert Consent.objects.count() - consents == int(path.endswith("/consents"))
    assert Referral.objects.count() - referrals == int(path == "/api/referrals")


def audited(user, request) -> tuple:
    """The response to `request()` and the actions it audited for `user`."""
    last = AuditEvent.objects.filter(actor=user).order_by("-pk").values_list("pk", flat=True).first() or 0
    response = request()
    return response, list(AuditEvent.objects.filter(actor=user, pk__gt=last).values_list("action", flat=True))


def test_a_retried_referral_step_answers_the_first_and_steps_once(client, cast):
    client.force_login(cast.caseworker)
    first, retry = twice(client, "post", f"/api/referrals/{cast.referral.pk}/transitions", {"action": "start"})
    assert (first.status_code, retry.status_code) == (200, 200)
    assert retry.json() == first.json()
    assert cast.referral.events.filter(verb="start").count() == 1


def test_the_key_reused_with_other_input_is_refused(client, cast):
    client.force_login(cast.social_worker)
    key = str(uuid.uuid4())
    path = f"/api/clients/{cast.client.pk}"
    first = client.patch(path, {"other_names": "Dina", "idempotency_key": key}, content_type="application/json")
    assert first.status_code == 200
    refused = client.patch(path, {"other_names": "Dinara", "idempotency_key": key}, content_type="application/json")
    assert refused.status_code == 409
    assert refused.json()["detail"] == "This idempotency key was already used with other input."
    cast.client.refresh_from_db()
    assert cast.client.other_names == "Dina"


def test_a_refused_step_sent_with_a_key_is_audited_and_leaves_the_key_free(client, cast):
    """The refusal's audit event outlives the rolled-back write; the key is not spent on it."""
    client.force_login(cast.caseworker)
    key = str(uuid.uuid4())
    path = f"/api/referrals/{cast.referral.pk}/transitions"
    stale = {"action": "start", "expected_version": cast.referral.version - 1, "idempotency_key": key}
    refused, events = audited(cast.caseworker, lambda: client.post(path, stale, content_type="application/json"))
    assert refused.status_code == 409
    assert "referral.start" in events
    assert AuditEvent.objects.get(actor=cast.caseworker, action="referral.start").outcome == "denied"
    fresh = {**stale, "expected_version": cast.referral.version}
    assert client.post(path, fresh, content_type="application/json").status_code == 200
