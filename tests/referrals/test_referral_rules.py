"""The rules of referring hold in the verbs, whatever the channel: HTML page, staff API or demo loader."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from portal.foundation.models import AuditEvent, Decision
from referrals.actions import create_referral, send_family_referrals, send_referral, set_need
from referrals.models import Referral, ReferralStatus
from tests.factories import make_organisation, make_service, pathway
from tests.referrals.api_cast import signed_in
from tests.referrals.conftest import give_consent, new_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def kz_service(cast):
    return cast.service


@pytest.fixture
def iq_client(cast):
    from referrals.actions import create_client

    return create_client(
        cast.iq_social_worker,
        prison=cast.iq_prison,
        first_name="Layla",
        last_name="Hassan",
        sex="female",
        birth_date=datetime.date(1990, 3, 1),
        confirmed_new=True,
    )


def post_json(http, path, body):
    return http.post(path, body, content_type="application/json")


# A service of another country ------------------------------------------------------------------


def test_the_verb_refuses_a_service_of_another_country(cast, iq_client, kz_service):
    with pytest.raises(ValidationError):
        create_referral(cast.iq_social_worker, iq_client, kz_service)
    assert not Referral.objects.exists()


def test_the_api_answers_a_service_of_another_country_like_a_missing_one_and_audits_it(cast, iq_client, kz_service):
    http = signed_in(cast.iq_social_worker)
    response = post_json(http, "/api/referrals", {"client_id": str(iq_client.pk), "service_id": kz_service.pk})
    missing = post_json(http, "/api/referrals", {"client_id": str(iq_client.pk), "service_id": 999999})
    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert "takes referrals" in response.json()["detail"]
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(
        action="referral.refused", outcome=Decision.DENIED, object_id=str(kz_service.pk)
    ).exists()


def test_the_page_answers_a_service_of_another_country_with_404_and_audits_it(client, cast, iq_client, kz_service):
    client.force_login(cast.iq_social_worker)
    assert client.get(f"/clients/{iq_client.pk}/refer/?service={kz_service.pk}").status_code == 404
    assert client.post(f"/clients/{iq_client.pk}/refer/?service={kz_service.pk}", {}).status_code == 404
    assert AuditEvent.objects.filter(action="referral.refused", outcome=Decision.DENIED).count() == 2


def test_sending_rechecks_that_the_service_still_takes_referrals_for_the_client(cast, canary):
    referral = create_referral(cast.social_worker, canary, cast.service)
    Referral.objects.filter(pk=referral.pk).update(service=make_service(make_organisation("IQ", title="Erbil Aid")))
    referral.refresh_from_db()
    with pytest.raises(ValidationError):
        send_referral(cast.social_worker, referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.DRAFT


# Kinds of organisation that take referrals ----------------------------------------------------


def test_a_probation_offices_service_is_not_referable_on_any_channel(client, cast, canary):
    probation_service = make_service(cast.kz_probation, title="Probation reporting")
    with pytest.raises(ValidationError):
        create_referral(cast.social_worker, canary, probation_service)
    client.force_login(cast.social_worker)
    assert client.get(f"/clients/{canary.pk}/refer/?service={probation_service.pk}").status_code == 404
    http = signed_in(cast.social_worker)
    body = {"client_id": str(canary.pk), "service_id": probation_service.pk}
    assert post_json(http, "/api/referrals", body).status_code == 404


def test_the_consent_form_offers_every_kind_of_organisation_a_referral_can_go_to(client, cast, canary):
    from referrals.forms import ConsentForm
    from referrals.models import REFERABLE_KINDS

    offered = {value for value, _label in ConsentForm().fields["organisation_kinds"].choices}
    assert offered == {str(kind) for kind in REFERABLE_KINDS}
    assert "international" in offered


# Duplicates ------------------------------------------------------------------------------------


def test_an_open_duplicate_referral_is_refused_by_the_verb(cast, canary, referral):
    with pytest.raises(ValidationError, match="already"):
        create_referral(cast.social_worker, canary, cast.service)


def test_a_closed_referral_does_not_block_a_new_one(cast, canary, referral):
    from referrals.actions import take_referral_step

    take_referral_step(cast.caseworker_a, referral, "decline", reason="no_capacity")
    assert create_referral(cast.social_worker, canary, cast.service).status == ReferralStatus.DRAFT


def test_an_open_duplicate_is_refused_on_the_page_and_the_api(client, cast, canary, referral):
    client.force_login(cast.social_worker)
    response = client.post(f"/clients/{canary.pk}/refer/?service={cast.service.pk}", {"note": "Again"})
    assert response.status_code == 400
    assert "already" in response.content.decode()
    http = signed_in(cast.social_worker)
    api = post_json(http, "/api/referrals", {"client_id": str(canary.pk), "service_id": cast.service.pk})
    assert api.status_code == 400
    assert "already" in api.json()["detail"]
    assert Referral.objects.count() == 1


# Family referral --------------------------------------------------------------------------------


def test_a_family_referral_needs_a_female_mother(cast):
    father = new_client(cast, first_name="Bolat", sex="male", birth_date=datetime.date(1980, 1, 1))
    give_consent(cast, father)
    child = new_client(cast, first_name="Aru", birth_date=datetime.date(2015, 1, 1))
    child.mother = father  # a record that slipped past the client form
    child.save()
    give_consent(cast, child)
    with pytest.raises(ValidationError):
        send_family_referrals(cast.social_worker, father, [child], cast.service)
    assert not Referral.objects.exists()


def test_a_need_of_another_client_is_refused(cast, canary):
    other = new_client(cast, first_name="Dana", birth_date=datetime.date(1991, 1, 1))
    need = set_need(cast.social_worker, other, category=pathway("education"), priority="high")
    with pytest.raises(ValidationError):
        create_referral(cast.social_worker, canary, cast.service, need=need)


def test_an_override_without_the_permission_is_refused(cast):
    person = new_client(cast, first_name="Saule", birth_date=datetime.date(1992, 1, 1))
    referral = create_referral(cast.social_worker, person, cast.service)
    with pytest.raises(PermissionDenied):
        send_referral(cast.social_worker, referral, override_reason="Urgent")


# Warnings before referring ---------------------------------------------------------------------


@pytest.fixture
def full_service(cast):
    return make_service(cast.cso_b, title="Full literacy classes", categories=["education"], capacity="full")


@pytest.fixture
def government_service(cast):
    ministry = make_organisation("KZ", title="Employment Centre", kind="government")
    return make_service(ministry, title="Job placement", categories=["education"])


def test_the_refer_page_warns_of_capacity_duplicates_and_missing_consent(
    client, cast, canary, referral, full_service, government_service
):
    client.force_login(cast.social_worker)
    full = client.get(f"/clients/{canary.pk}/refer/?service={full_service.pk}").content.decode()
    assert "This service is full at the moment" in full
    again = client.get(f"/clients/{canary.pk}/refer/?service={cast.service.pk}").content.decode()
    assert "already has an open referral to this service" in again
    government = client.get(f"/clients/{canary.pk}/refer/?service={government_service.pk}").content.decode()
    assert "no consent in force for sharing with this kind of organisation (Government service)" in government
    assert f'href="/clients/{canary.pk}/#consent"' in government


def test_the_client_page_suggestions_carry_the_same_notices(client, cast, canary, referral, full_service):
    client.force_login(cast.social_worker)
    body = client.get(f"/clients/{canary.pk}/").content.decode()
    assert "This service is full at the moment" in body
    assert "already has an open referral to this service" in body


# The API offers what the pages offer ------------------------------------------------------------


def test_the_api_lists_suggestions_with_reasons_warnings_and_missing_consent(
    cast, canary, referral, full_service, government_service
):
    http = signed_in(cast.social_worker)
    response = http.get(f"/api/clients/{canary.pk}/suggestions")
    assert response.status_code == 200
    by_title = {item["title"]: item for item in response.json()}
    assert any("already has an open referral" in warning for warning in by_title["Literacy classes"]["warnings"])
    assert by_title["Literacy classes"]["reasons"]
    assert any("full" in warning for warning in by_title["Full literacy classes"]["warnings"])
    assert "Government service" in by_title["Job placement"]["missing_consent"]
    assert by_title["Literacy classes"]["missing_consent"] == ""


def test_outsiders_get_404_on_suggestions_services_and_timeline(cast, canary, referral):
    for user in (cast.outsider, cast.iq_social_worker, cast.caseworker_b):
        http = signed_in(user)
        assert http.get(f"/api/clients/{canary.pk}/suggestions").status_code == 404
        assert http.get(f"/api/clients/{canary.pk}/referable-services").status_code == 404
        assert http.get(f"/api/referrals/{referral.pk}/events").status_code == 404
    assert signed_in(cast.outsider).get("/api/referable-organisations").json()["items"] == []
    assert signed_in(cast.outsider).get("/api/prisons").json() == []


def test_the_api_lists_referable_services_with_ids_post_referrals_accepts(
    cast, canary, full_service, government_service, django_assert_num_queries
):
    make_service(cast.kz_probation, title="Probation reporting")
    make_service(make_organisation("IQ", title="Erbil Aid"), title="Erbil classes")
    http = signed_in(cast.social_worker)
    with django_assert_num_queries(9):
        response = http.get(f"/api/clients/{canary.pk}/referable-services")
    titles = [item["title"] for item in response.json()["items"]]
    assert titles == ["Full literacy classes", "Job placement", "Literacy classes", "Welding course"]
    chosen = response.json()["items"][0]["id"]
    created = post_json(http, "/api/referrals", {"client_id": str(canary.pk), "service_id": chosen})
    assert created.status_code == 201


def test_the_api_lists_referable_organisations_and_prisons(cast, django_assert_num_queries):
    make_organisation("IQ", title="Erbil Aid")
    http = signed_in(cast.social_worker)
    with django_assert_num_queries(5):
        organisations = http.get("/api/referable-organisations").json()
    assert [item["title"] for item in organisations["items"]] == ["Bright Futures", "Second Chance Kazakhstan"]
    assert [item["title"] for item in http.get("/api/prisons").json()] == ["Almaty Correctional Colony"]
    iq_organisations = signed_in(cast.iq_social_worker).get("/api/referable-organisations").json()["items"]
    assert [item["title"] for item in iq_organisations] == ["Erbil Aid"]


def test_the_api_timeline_shows_who_did_what_as_each_side_may_see_it(cast, canary, referral):
    from referrals.actions import take_referral_step

    cast.social_worker.first_name, cast.social_worker.last_name = "Gulnara", "Sadykova"
    cast.social_worker.save()
    take_referral_step(cast.caseworker_a, referral, "accept", note="Starts Monday.")
    sender = signed_in(cast.social_worker).get(f"/api/referrals/{referral.pk}/events").json()
    assert [(event["verb"], event["actor"], event["organisation"]["title"]) for event in sender] == [
        ("create", "Gulnara Sadykova", "Almaty Correctional Colony"),
        ("send", "Gulnara Sadykova", "Almaty Correctional Colony"),
        ("accept", "caseworker-a", "Bright Futures"),
    ]
    assert sender[2]["note"] == "Starts Monday."
    receiver = signed_in(cast.caseworker_a).get(f"/api/referrals/{referral.pk}/events").json()
    assert [(event["verb"], event["actor"]) for event in receiver] == [("send", None), ("accept", "caseworker-a")]
    assert "Gulnara" not in str(receiver)


# Limits on free text ---------------------------------------------------------------------------

HUGE = "x" * 30_000


def test_every_free_text_field_has_a_limit_on_the_model():
    from django.db import models

    from referrals.models import Client, Need, Referral, ReferralEvent

    for model in (Client, Need, Referral, ReferralEvent):
        for model_field in model._meta.fields:
            if isinstance(model_field, models.TextField) and model_field.editable:  # not derived columns
                assert model_field.max_length, f"{model.__name__}.{model_field.name}"


def test_the_verbs_refuse_text_over_the_limit_naming_the_field(cast, canary, referral):
    from referrals.actions import take_referral_step

    with pytest.raises(ValidationError) as refused:
        create_referral(cast.social_worker, canary, cast.service_b, note=HUGE)
    assert "note" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        set_need(cast.social_worker, canary, category=pathway("housing"), priority="high", details=HUGE)
    assert "details" in refused.value.message_dict
    with pytest.raises(ValidationError) as refused:
        take_referral_step(cast.caseworker_a, referral, "accept", note=HUGE)
    assert "response_note" in refused.value.message_dict
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.SENT


def test_the_refer_page_names_the_field_and_the_limit(client, cast, canary):
    client.force_login(cast.social_worker)
    response = client.post(f"/clients/{canary.pk}/refer/?service={cast.service.pk}", {"note": HUGE})
    assert response.status_code == 400
    assert "at most 2000 characters" in response.content.decode()
    assert not Referral.objects.exists()


def test_the_api_refuses_text_over_the_limit_naming_the_field(cast, canary, referral):
    http = signed_in(cast.social_worker)
    response = post_json(
        http, "/api/referrals", {"client_id": str(canary.pk), "service_id": cast.service_b.pk, "note": HUGE}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][-1] == "note"
    assert "2000" in response.json()["detail"][0]["msg"]
    need = post_json(http, f"/api/clients/{canary.pk}/needs", {"category": "housing", "details": HUGE})
    assert need.status_code == 422
    assert need.json()["detail"][0]["loc"][-1] == "details"
    patch = http.patch(f"/api/clients/{canary.pk}", {"contact_route": HUGE}, content_type="application/json")
    assert patch.status_code == 422
    answer = signed_in(cast.caseworker_a)
    accepted = post_json(answer, f"/api/referrals/{referral.pk}/transitions", {"action": "accept", "note": HUGE})
    assert accepted.status_code == 422
