"""What the client's page and the notifications page offer, the staff API offers too, with the same
answer: removing a need, the consent's evidence file, the user's notifications."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from portal.foundation.models import AuditEvent
from referrals.actions import record_consent
from referrals.models import Notification
from referrals.notifications import subject_for
from tests.security.matrix_cast import EVIDENCE, build_cast
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_cast, name="cast")


def signed_in(client, user):
    client.force_login(user)
    return client


def body_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_a_need_is_removed_through_the_api_as_on_the_page(client, cast):
    signed_in(client, cast.officer)
    path = f"/api/clients/{cast.client.pk}/needs/{cast.need.pk}"
    response = client.delete(path)
    assert response.status_code == 204
    assert not cast.client.needs.filter(pk=cast.need.pk).exists()
    event = AuditEvent.objects.filter(actor=cast.officer, action="need.remove").get()
    assert (event.object_id, event.detail["category"]) == (str(cast.client.pk), "education")
    again = client.delete(path)
    assert again.status_code == 404
    assert again.json()["detail"] == "This client has no need with this id."


def test_only_who_sees_the_client_removes_a_need(client, cast):
    response = signed_in(client, cast.caseworker).delete(f"/api/clients/{cast.client.pk}/needs/{cast.need.pk}")
    assert response.status_code == 404
    assert cast.client.needs.filter(pk=cast.need.pk).exists()


def test_the_consent_evidence_is_the_pages_file_and_is_audited_alike(client, cast):
    # Evidence files live in a storage of the test's own: this consent is recorded here.
    consent = record_consent(
        cast.social_worker,
        cast.client,
        organisation_kinds=["cso"],
        given_on=timezone.localdate(),
        method="signed_form",
        evidence=SimpleUploadedFile("consent.pdf", EVIDENCE, "application/pdf"),
    )
    signed_in(client, cast.social_worker)
    page = client.get(reverse("referrals:consent_evidence", kwargs={"pk": cast.client.pk, "consent_id": consent.pk}))
    api = client.get(f"/api/clients/{cast.client.pk}/consents/{consent.pk}/evidence")
    assert api.status_code == 200
    assert api["Content-Disposition"] == page["Content-Disposition"]
    assert body_of(api) == body_of(page) == EVIDENCE
    assert AuditEvent.objects.filter(actor=cast.social_worker, action="consent.evidence.view").count() == 2


def test_the_consent_evidence_answers_404_to_who_may_not_see_the_client(client, cast):
    response = signed_in(client, cast.caseworker).get(
        f"/api/clients/{cast.client.pk}/consents/{cast.consent.pk}/evidence"
    )
    assert response.status_code == 404


def test_the_api_notifications_are_the_pages_and_are_marked_read_alike(client, cast):
    user = Notification.objects.values_list("user", flat=True).first()
    notices = Notification.objects.filter(user=user)
    assert notices.count() >= 1
    signed_in(client, notices.first().user)
    page = client.get(reverse("referrals:notifications"))
    api = client.get("/api/notifications").json()
    shown = [notice for notice, _subject in page.context["notices"]]
    assert [item["id"] for item in api["items"]] == [notice.pk for notice in shown]
    assert [item["subject"] for item in api["items"]] == [subject_for(notice) for notice in shown]
    first = api["items"][0]["id"]
    read = client.post("/api/notifications/read", {"notifications": [first]}, content_type="application/json")
    assert read.json() == {"count": 1}
    rest = client.post("/api/notifications/read", {}, content_type="application/json")
    assert rest.json() == {"count": notices.count() - 1}
    assert not notices.filter(read_at__isnull=True).exists()


def test_the_notifications_page_is_audited_as_the_api_audits_it(client, cast):
    user = Notification.objects.values_list("user", flat=True).first()
    signed_in(client, Notification.objects.filter(user=user).first().user)
    client.get(reverse("referrals:notifications"))
    client.get("/api/notifications")
    page_event, api_event = AuditEvent.objects.filter(actor=user, action="notification.list").order_by("at")
    assert (page_event.object_type, page_event.object_id) == (api_event.object_type, api_event.object_id)
    assert page_event.detail["ids"] == api_event.detail["ids"] != []


def test_another_users_notification_stays_unread(client, cast):
    notice = Notification.objects.first()
    signed_in(client, cast.coordinator)
    read = client.post("/api/notifications/read", {"notifications": [notice.pk]}, content_type="application/json")
    assert read.json() == {"count": 0}
    notice.refresh_from_db()
    assert notice.read_at is None


def test_the_notifications_query_count_does_not_grow(client, cast, django_assert_num_queries):
    notice = Notification.objects.first()
    signed_in(client, notice.user)
    client.get("/api/notifications")
    with django_assert_num_queries(5):
        client.get("/api/notifications")
    for _index in range(6):
        Notification.objects.create(user=notice.user, referral=notice.referral, verb=notice.verb)
    with django_assert_num_queries(5):
        client.get("/api/notifications")
