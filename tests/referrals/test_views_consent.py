"""Consent on the client page: recording, withdrawing, and evidence files that are checked and kept private."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, encode_multipart

from portal.foundation.models import AuditEvent
from referrals.models import Consent
from tests.referrals.api_cast import signed_in
from tests.referrals.conftest import give_consent, new_client

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PDF = b"%PDF-1.7\n" + b"0" * 64


def consent_data(**overrides) -> dict:
    data = {
        "share_basic_profile": "on",
        "organisation_kinds": ["cso"],
        "given_on": "2026-02-01",
        "method": "signed_form",
    }
    return {**data, **overrides}


def post_consent(client, person, **overrides):
    return client.post(f"/clients/{person.pk}/consents/", consent_data(**overrides))


@pytest.fixture
def person(cast):
    return new_client(cast)


def test_consent_is_recorded_with_its_evidence(client, cast, person):
    client.force_login(cast.social_worker)
    response = post_consent(client, person, evidence=SimpleUploadedFile("form of Aigerim.png", PNG, "image/png"))
    assert response.status_code == 302
    consent = Consent.objects.get(client=person)
    assert consent.organisation_kinds == ["cso"]
    assert consent.evidence.name.endswith(".png")
    assert "Aigerim" not in consent.evidence.name  # stored names never carry the person's name


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("signature.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "image/svg+xml"),
        ("form.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "application/pdf"),
        ("form.png", b"<?xml version='1.0'?><svg xmlns='http://www.w3.org/2000/svg'/>", "image/png"),
        ("form.html", PDF, "text/html"),
        ("large.pdf", b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024), "application/pdf"),
    ],
)
def test_evidence_of_the_wrong_type_or_size_is_refused(client, cast, person, name, content, content_type):
    client.force_login(cast.social_worker)
    response = post_consent(client, person, evidence=SimpleUploadedFile(name, content, content_type))
    assert response.status_code == 400
    assert response.context["consent_form"].errors["evidence"]
    assert not Consent.objects.exists()


def test_a_pdf_of_exactly_five_megabytes_is_accepted(client, cast, person):
    client.force_login(cast.social_worker)
    content = b"%PDF-1.7\n" + b"0" * (5 * 1024 * 1024 - 9)
    response = post_consent(client, person, evidence=SimpleUploadedFile("form.pdf", content, "application/pdf"))
    assert response.status_code == 302


def test_evidence_is_downloaded_as_an_attachment_by_those_who_see_the_client(client, cast, person):
    give_consent(cast, person, evidence=SimpleUploadedFile("x.pdf", PDF))
    consent = Consent.objects.get(client=person)
    url = f"/clients/{person.pk}/consents/{consent.pk}/evidence/"
    for user in (cast.social_worker, cast.probation_officer):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        assert response["Content-Disposition"] == f'attachment; filename="consent-{person.reference}.pdf"'
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="consent.evidence.view", object_id=str(person.pk)).count() == 2


@pytest.mark.parametrize("user", ["caseworker_a", "caseworker_b", "iq_social_worker", "outsider"])
def test_evidence_is_404_for_everyone_else(client, cast, person, user):
    give_consent(cast, person, evidence=SimpleUploadedFile("x.pdf", PDF))
    consent = Consent.objects.get(client=person)
    client.force_login(getattr(cast, user))
    assert client.get(f"/clients/{person.pk}/consents/{consent.pk}/evidence/").status_code == 404


def test_a_consent_without_evidence_has_no_download(client, cast, person):
    consent = give_consent(cast, person)
    client.force_login(cast.social_worker)
    assert client.get(f"/clients/{person.pk}/consents/{consent.pk}/evidence/").status_code == 404


def test_consent_is_withdrawn_once(client, cast, person):
    consent = give_consent(cast, person)
    client.force_login(cast.social_worker)
    url = f"/clients/{person.pk}/consents/{consent.pk}/withdraw/"
    assert client.post(url).status_code == 302
    consent.refresh_from_db()
    assert consent.withdrawn_on is not None
    response = client.post(url, follow=True)
    assert "This consent was already withdrawn." in response.content.decode()


def test_others_cannot_record_or_withdraw_consent(client, cast, person):
    consent = give_consent(cast, person)
    client.force_login(cast.caseworker_a)
    assert post_consent(client, person).status_code == 404
    assert client.post(f"/clients/{person.pk}/consents/{consent.pk}/withdraw/").status_code == 404
    consent.refresh_from_db()
    assert consent.in_force
    assert Consent.objects.count() == 1


def test_evidence_over_the_limit_is_refused_with_413_before_the_body_is_read(cast, person):
    http = signed_in(cast.social_worker)  # with the CSRF check on, which would read the form first
    evidence = SimpleUploadedFile("form.pdf", b"%PDF-1.7\n" + b"0" * (30 * 1024 * 1024), "application/pdf")
    body = encode_multipart(BOUNDARY, consent_data(evidence=evidence))

    response = http.generic(
        "POST", f"/clients/{person.pk}/consents/", body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )

    assert response.status_code == 413
    assert "larger than 5 MB" in response.content.decode()
    request = response.wsgi_request
    assert not hasattr(request, "_body") and not hasattr(request, "_files")
    assert request._stream._pos == 0  # not one byte of the body was read
    assert not Consent.objects.exists()
