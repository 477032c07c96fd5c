"""Referring and answering through the HTML pages: the whole lifecycle, conflicts, access and need-to-know."""

import datetime

import pytest

from portal.foundation.models import AuditEvent, Decision
from referrals.models import Referral, ReferralStatus
from tests.factories import pathway
from tests.referrals.conftest import (
    CANARY_BIRTH_DATE_SPELLINGS,
    CANARY_LAST_NAME,
    CANARY_RISK,
    give_consent,
    new_client,
)

pytestmark = pytest.mark.django_db


def assert_no_canary(response) -> None:
    body = response.content.decode()
    for canary in (CANARY_RISK, CANARY_LAST_NAME, *CANARY_BIRTH_DATE_SPELLINGS):
        assert body.count(canary) == 0, canary
    assert "Almaty Correctional Colony" not in body  # nothing of the prison reaches a CSO


def act(client, referral: Referral, verb: str, **data):
    data.setdefault("expected_version", referral.version)
    return client.post(f"/referrals/{referral.pk}/{verb}/", data)


def test_the_whole_lifecycle_through_the_pages(client, cast):
    client.force_login(cast.social_worker)
    response = client.post(
        "/clients/new/",
        {
            "prison": cast.kz_prison.pk,
            "first_name": "Aigerim",
            "last_name": CANARY_LAST_NAME,
            "sex": "female",
            "birth_date": "1988-04-17",
            "risk_notes": CANARY_RISK,
            "contact_route": "Through her sister",
        },
    )
    person_url = response["Location"]
    person_id = person_url.split("/")[2]
    assert (
        client.post(f"{person_url}needs/", {"category": pathway("education").pk, "priority": "high"}).status_code == 302
    )
    consent = {
        "share_basic_profile": "on",
        "organisation_kinds": ["cso"],
        "given_on": "2026-02-01",
        "method": "signed_form",
    }
    assert client.post(f"{person_url}consents/", consent).status_code == 302

    preview = client.get(f"{person_url}refer/?service={cast.service.pk}")
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"]
    need = preview.context["need"]
    assert need.category.code == "education"
    assert dict(preview.context["disclosure"])["First name"] == "Aigerim"
    assert "Through her sister" not in preview.content.decode()  # consent does not cover the contact route

    response = client.post(f"{person_url}refer/?service={cast.service.pk}", {"need": need.pk, "note": "Wants to read."})
    referral = Referral.objects.get(client_id=person_id)
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.status == ReferralStatus.SENT
    assert referral.disclosed["first_name"] == "Aigerim"
    assert {row[1] for row in preview.context["disclosure"]} >= {referral.disclosed["reference"], "Aigerim"}

    client.force_login(cast.caseworker_a)
    page = client.get(f"/referrals/{referral.pk}/")
    assert page.status_code == 200
    assert "Wants to read." in page.content.decode()
    assert_no_canary(page)
    assert [form.verb for form in page.context["forms"]] == ["accept", "decline"]
    assert act(client, referral, "accept").status_code == 302
    referral.refresh_from_db()
    assert act(client, referral, "start").status_code == 302
    referral.refresh_from_db()
    response = act(client, referral, "complete", outcome="achieved", note="Reads short texts now.")
    assert response.status_code == 302
    assert_no_canary(client.get(response["Location"]))
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.COMPLETED
    assert referral.outcome == "achieved"

    client.force_login(cast.social_worker)
    sender_page = client.get(f"/referrals/{referral.pk}/")
    steps = [event.to_status for event in sender_page.context["events"]]
    assert steps == ["draft", "sent", "accepted", "in_progress", "completed"]
    assert "Reads short texts now." in sender_page.content.decode()
    client_page = client.get(person_url)
    assert referral.service.title in client_page.content.decode()


def test_the_service_declines_with_a_reason(client, cast, referral):
    client.force_login(cast.caseworker_a)
    assert act(client, referral, "decline", note="Come back in spring.").status_code == 400  # no reason given
    response = act(client, referral, "decline", reason="no_capacity", note="Come back in spring.")
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.status, referral.decline_reason) == (ReferralStatus.DECLINED, "no_capacity")
    client.force_login(cast.social_worker)
    assert "No capacity at the moment" in client.get(f"/referrals/{referral.pk}/").content.decode()


def test_the_sender_withdraws_and_the_service_cannot(client, cast, referral):
    client.force_login(cast.caseworker_a)
    assert act(client, referral, "withdraw").status_code == 403
    client.force_login(cast.social_worker)
    assert act(client, referral, "accept").status_code == 403
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert act(client, referral, "withdraw", note="Released early.").status_code == 302
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.WITHDRAWN


def test_a_stale_form_gets_a_conflict_and_changes_nothing(client, cast, referral):
    stale_version = referral.version
    client.force_login(cast.caseworker_a)
    assert act(client, referral, "accept").status_code == 302
    response = act(client, referral, "decline", reason="other", expected_version=stale_version)
    assert response.status_code == 409
    assert "Someone else changed this referral in the meantime." in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.decline_reason == ""
    # The page offers fresh forms for the current status, carrying the current version.
    assert {form.verb: form.initial["expected_version"] for form in response.context["forms"]} == {
        "start": referral.version,
        "not_complete": referral.version,
    }


def test_an_illegal_step_is_a_conflict(client, cast, referral):
    client.force_login(cast.caseworker_a)
    response = act(client, referral, "complete", outcome="achieved")
    assert response.status_code == 409
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_unknown_steps_and_missing_versions_are_refused(client, cast, referral):
    client.force_login(cast.caseworker_a)
    assert client.post(f"/referrals/{referral.pk}/expire/", {"expected_version": referral.version}).status_code == 404
    assert client.post(f"/referrals/{referral.pk}/accept/", {}).status_code == 400
    assert client.get(f"/referrals/{referral.pk}/accept/").status_code == 405
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


@pytest.mark.parametrize("user", ["caseworker_b", "iq_social_worker", "outsider"])
def test_others_get_404_on_the_referral_and_the_denial_is_audited(client, cast, referral, user):
    actor = getattr(cast, user)
    client.force_login(actor)
    assert client.get(f"/referrals/{referral.pk}/").status_code == 404
    assert act(client, referral, "accept").status_code == 404
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT
    assert AuditEvent.objects.filter(actor=actor, outcome=Decision.DENIED, object_id=str(referral.pk)).count() == 2


def test_a_draft_is_not_seen_by_the_service(client, cast, canary):
    from referrals.actions import create_referral

    draft = create_referral(cast.social_worker, canary, cast.service)
    client.force_login(cast.caseworker_a)
    assert client.get(f"/referrals/{draft.pk}/").status_code == 404


def test_the_service_sees_only_the_reference_once_consent_is_withdrawn(client, cast, canary, referral):
    client.force_login(cast.social_worker)
    consent = canary.consents.get()
    assert client.post(f"/clients/{canary.pk}/consents/{consent.pk}/withdraw/").status_code == 302
    client.force_login(cast.caseworker_a)
    page = client.get(f"/referrals/{referral.pk}/")
    body = page.content.decode()
    assert canary.reference in body
    assert "Aigerim" not in body
    assert "withdrew their consent" in body


def test_without_consent_the_referral_is_refused_with_a_clear_message(client, cast):
    person = new_client(cast)
    client.force_login(cast.social_worker)
    url = f"/clients/{person.pk}/refer/?service={cast.service.pk}"
    preview = client.get(url)
    assert "no consent in force" in preview.content.decode()
    assert "override_reason" not in preview.context["form"].fields
    response = client.post(url, {"note": "Please help.", "override_reason": "Court order"})
    assert response.status_code == 400
    assert "Record consent first." in response.content.decode()
    assert not Referral.objects.exists()  # not even a draft is left


def test_a_permitted_override_needs_a_reason_and_is_audited(client, cast, override_permission):
    person = new_client(cast)
    cast.social_worker.user_permissions.add(override_permission)
    client.force_login(cast.social_worker)
    url = f"/clients/{person.pk}/refer/?service={cast.service.pk}"
    assert "override_reason" in client.get(url).context["form"].fields
    assert client.post(url, {"override_reason": "  "}).status_code == 400
    assert not Referral.objects.exists()
    response = client.post(url, {"override_reason": "Court order 12/2026"})
    assert response.status_code == 302
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.SENT
    assert referral.consent_override_reason == "Court order 12/2026"
    assert AuditEvent.objects.filter(action="referral.send", object_id=str(referral.pk)).exists()


def test_a_mother_is_referred_together_with_her_children(client, cast, canary):
    child = new_client(cast, first_name="Timur", sex="male", birth_date=datetime.date(2016, 2, 2), mother=canary)
    give_consent(cast, child)
    client.force_login(cast.social_worker)
    url = f"/clients/{canary.pk}/refer/?service={cast.service.pk}"
    assert list(client.get(url).context["form"].fields["children"].queryset) == [child]
    response = client.post(url, {"children": [child.pk]})
    assert response.status_code == 302
    referrals = Referral.objects.filter(status=ReferralStatus.SENT)
    assert {referral.client_id for referral in referrals} == {canary.pk, child.pk}
    assert len({referral.family_group for referral in referrals}) == 1
    assert referrals[0].family_group is not None


def test_only_live_services_of_the_clients_country_can_be_chosen(client, cast, canary):
    from tests.factories import make_organisation, make_service

    erbil = make_service(make_organisation("IQ", title="Erbil Family House"), title="Family support")
    client.force_login(cast.social_worker)
    assert client.get(f"/clients/{canary.pk}/refer/?service={erbil.pk}").status_code == 404
    assert client.get(f"/clients/{canary.pk}/refer/?service=abc").status_code == 404
    cast.service.unpublish()
    assert client.get(f"/clients/{canary.pk}/refer/?service={cast.service.pk}").status_code == 404


def test_a_refused_step_is_audited_once_from_the_pages(client, cast, referral):
    client.force_login(cast.caseworker_a)
    assert act(client, referral, "withdraw").status_code == 403
    stale = act(client, referral, "start")
    assert stale.status_code == 409
    denied = AuditEvent.objects.filter(actor=cast.caseworker_a, outcome=Decision.DENIED, object_id=str(referral.pk))
    assert sorted(denied.values_list("action", flat=True)) == ["referral.start", "referral.withdraw"]
