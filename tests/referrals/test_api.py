"""The staff JSON API at /api/: lifecycle, authentication, access, disclosure, errors and listings."""

import datetime
import uuid

import pytest
from django.db import connection
from django.test import Client as HttpClient
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import APIToken

from portal.foundation.models import AuditEvent, Decision
from portal.foundation.roles import Role
from referrals.actions import create_referral, send_referral, withdraw_consent
from referrals.models import Client, Consent, Need, Referral, ReferralEvent, ReferralStatus
from tests.factories import make_organisation, make_service
from tests.referrals.api_cast import (
    CANARY_LAST_NAME,
    CANARY_RISK,
    build_cast,
    make_client,
    member,
    referral_in,
    signed_in,
    with_token,
)
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

CLIENT_BODY = {
    "first_name": "Dilnaz",
    "last_name": "Omarova",
    "other_names": "Дильназ Омарова",
    "sex": "female",
    "birth_date": "1995-02-03",
    "expected_release_date": "2026-10-01",
    "region_of_return": "KZ-19",
    "languages": ["kk", "ru"],
    "risk_notes": "Prison-internal note.",
}
CONSENT_BODY = {"organisation_kinds": ["cso"], "given_on": "2026-01-10", "method": "signed_form"}


cast = shared_fixture(build_cast, name="cast")


def post(client: HttpClient, path: str, body: dict):
    return client.post(path, body, content_type="application/json")


def patch(client: HttpClient, path: str, body: dict):
    return client.patch(path, body, content_type="application/json")


def step(client: HttpClient, referral_id, action: str, **fields):
    return post(client, f"/api/referrals/{referral_id}/transitions", {"action": action, **fields})


def domain_rows() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in (Client, Need, Consent, Referral, ReferralEvent)}


def denied(user, object_id) -> bool:
    return AuditEvent.objects.filter(actor=user, object_id=str(object_id), outcome=Decision.DENIED).exists()


# Lifecycle -------------------------------------------------------------------------------------


def record_client_to_draft(client: HttpClient, cast) -> str:
    """Through the API: record a person, their need and consent, and draft a referral. Returns its id."""
    created = post(client, "/api/clients", {"prison_id": cast.prison.pk, **CLIENT_BODY})
    assert created.status_code == 201, created.content
    client_id = created.json()["id"]
    need = post(client, f"/api/clients/{client_id}/needs", {"category": "education", "priority": "high"})
    assert need.status_code == 200, need.content
    consent = post(client, f"/api/clients/{client_id}/consents", CONSENT_BODY)
    assert consent.status_code == 201, consent.content
    draft = post(
        client,
        "/api/referrals",
        {"client_id": client_id, "service_id": cast.service.pk, "need_id": need.json()["id"], "note": "Evenings."},
    )
    assert draft.status_code == 201, draft.content
    assert draft.json()["status"] == "draft"
    return draft.json()["id"]


def test_whole_lifecycle_with_personal_tokens(cast):
    referrer, receiver = with_token(cast.social_worker), with_token(cast.caseworker)
    referral_id = record_client_to_draft(referrer, cast)

    assert step(referrer, referral_id, "send", expected_version=1).status_code == 200
    assert step(receiver, referral_id, "accept", expected_version=2, note="Welcome.").status_code == 200
    assert step(receiver, referral_id, "start").status_code == 200
    done = step(receiver, referral_id, "complete", outcome="achieved", note="Reads well now.")

    assert done.status_code == 200, done.content
    assert done.json() | {"status": "completed", "outcome": "achieved", "version": 5} == done.json()
    verbs = ReferralEvent.objects.filter(referral_id=referral_id).values_list("verb", flat=True)
    assert list(verbs) == ["create", "send", "accept", "start", "complete"]
    assert AuditEvent.objects.filter(object_id=referral_id, action="referral.complete", channel="api").exists()


def test_decline_with_the_session_and_its_csrf_token(cast):
    referrer, receiver = signed_in(cast.social_worker), signed_in(cast.caseworker)
    referral_id = record_client_to_draft(referrer, cast)
    assert step(referrer, referral_id, "send").status_code == 200

    declined = step(receiver, referral_id, "decline", reason="no_capacity", note="Full until June.")

    assert declined.status_code == 200, declined.content
    assert Referral.objects.get(pk=referral_id).decline_reason == "no_capacity"
    assert Referral.objects.get(pk=referral_id).status == ReferralStatus.DECLINED


def test_the_referrer_withdraws_a_sent_referral(cast):
    referral = referral_in(cast, ReferralStatus.SENT)

    withdrawn = step(signed_in(cast.probation_officer), referral.pk, "withdraw", note="Released early.")

    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == "withdrawn"
    assert withdrawn.json()["side"] == "sender"


# Authentication --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/api/clients"), ("get", "/api/referrals"), ("post", "/api/clients"), ("post", "/api/referrals")],
)
def test_no_credentials_answer_401_and_write_nothing(cast, method, path):
    before = domain_rows()

    response = getattr(HttpClient(), method)(path, {}, content_type="application/json")

    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}
    assert domain_rows() == before


def test_a_revoked_token_answers_401(cast):
    client = with_token(cast.social_worker)
    assert client.get("/api/clients").status_code == 200
    APIToken.objects.get(user=cast.social_worker).revoke()

    assert client.get("/api/clients").status_code == 401


def test_a_bad_token_is_not_rescued_by_a_session_cookie(cast):
    client = signed_in(cast.social_worker)

    response = client.get("/api/clients", headers={"authorization": "Bearer wagtail_not-a-real-token"})

    assert response.status_code == 401


def test_a_session_write_without_the_csrf_token_is_refused(cast):
    client = HttpClient(enforce_csrf_checks=True)
    client.force_login(cast.social_worker)
    before = domain_rows()

    response = post(client, "/api/clients", {"prison_id": cast.prison.pk, **CLIENT_BODY})

    assert response.status_code == 403
    assert domain_rows() == before


# Access: 404 for what a user may not see, audited ----------------------------------------------

STRANGERS = ["outsider", "other_caseworker", "foreign_user", "editor", "coordinator"]


def read_paths(cast, referral):
    client_id = cast.client.pk
    return {
        "client": (f"/api/clients/{client_id}", client_id),
        "needs": (f"/api/clients/{client_id}/needs", client_id),
        "consents": (f"/api/clients/{client_id}/consents", client_id),
        "consent": (f"/api/consents/{cast.consent.pk}", cast.consent.pk),
        "referral": (f"/api/referrals/{referral.pk}", referral.pk),
    }


@pytest.mark.parametrize("endpoint", ["client", "needs", "consents", "consent", "referral"])
@pytest.mark.parametrize("role", STRANGERS)
def test_strangers_get_404_and_the_denial_is_audited(cast, role, endpoint):
    user = cast.user(role)
    path, object_id = read_paths(cast, referral_in(cast, ReferralStatus.SENT))[endpoint]

    response = signed_in(user).get(path)

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}
    assert denied(user, object_id)


@pytest.mark.parametrize("endpoint", ["client", "needs", "consents", "consent"])
def test_the_receiving_caseworker_cannot_read_the_client_record(cast, endpoint):
    path, object_id = read_paths(cast, referral_in(cast, ReferralStatus.SENT))[endpoint]

    assert signed_in(cast.caseworker).get(path).status_code == 404
    assert denied(cast.caseworker, object_id)


def test_an_unknown_id_answers_like_a_hidden_one(cast):
    response = signed_in(cast.social_worker).get(f"/api/referrals/{uuid.uuid4()}")

    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_a_caseworker_cannot_change_a_client_record(cast):
    referral_in(cast, ReferralStatus.SENT)

    response = patch(signed_in(cast.caseworker), f"/api/clients/{cast.client.pk}", {"risk_notes": "Harmless."})

    assert response.status_code == 404
    assert Client.objects.get(pk=cast.client.pk).risk_notes == CANARY_RISK
    assert denied(cast.caseworker, cast.client.pk)


def test_prison_and_probation_staff_change_a_client_record(cast):
    for user, note in [(cast.social_worker, "Updated by the prison."), (cast.probation_officer, "From probation.")]:
        response = patch(signed_in(user), f"/api/clients/{cast.client.pk}", {"risk_notes": note, "languages": ["ru"]})

        assert response.status_code == 200, response.content
        assert response.json()["risk_notes"] == note
        assert response.json()["languages"] == ["ru"]
    assert response.json()["last_name"] == CANARY_LAST_NAME  # untouched: not sent


def test_patch_clears_only_fields_that_may_be_empty(cast):
    client = signed_in(cast.social_worker)
    path = f"/api/clients/{cast.client.pk}"

    refused = patch(client, path, {"last_name": None, "expected_release_date": None})
    cleared = patch(client, path, {"expected_release_date": None, "region_of_return": None})

    assert refused.status_code == 422
    assert "last_name" in refused.json()["detail"][0]["msg"]
    assert cleared.status_code == 200, cleared.content
    assert (cleared.json()["expected_release_date"], cleared.json()["region_of_return"]) == (None, None)
    assert cleared.json()["last_name"] == CANARY_LAST_NAME


# Disclosure: what the receiving organisation sees ----------------------------------------------


def test_the_referrer_sees_the_canary_so_the_checks_below_can_fail(cast):
    referral = referral_in(cast, ReferralStatus.SENT)

    body = signed_in(cast.social_worker).get(f"/api/clients/{cast.client.pk}").content.decode()
    referral_body = signed_in(cast.social_worker).get(f"/api/referrals/{referral.pk}").json()

    assert CANARY_RISK in body and CANARY_LAST_NAME in body
    assert referral_body["side"] == "sender"
    assert referral_body["client"] == {"id": str(cast.client.pk), "reference": cast.client.reference}
    assert referral_body["note"] == "Mornings suit her."


def test_a_caseworker_gets_the_disclosed_snapshot_and_no_canary(cast):
    referral = referral_in(cast, ReferralStatus.SENT)
    client = signed_in(cast.caseworker)

    responses = [
        client.get(f"/api/referrals/{referral.pk}"),
        client.get("/api/referrals"),
        client.get("/api/referrals?status=sent"),
        step(client, referral.pk, "accept", note="We will call."),
    ]

    for response in responses:
        assert response.status_code == 200, response.content
        body = response.content.decode()
        assert body.count(CANARY_RISK) == 0
        assert body.count(CANARY_LAST_NAME) == 0
        assert str(cast.client.pk) not in body
        assert cast.client.reference in body  # the response is about this referral
    shown = responses[0].json()
    assert shown["side"] == "receiver"
    assert shown["disclosed"]["first_name"] == "Aigul"
    assert shown["disclosed"]["contact_route"] == "Through her sister in Almaty"
    assert not {"client", "note", "referring_organisation"} & shown.keys()


def test_withdrawn_consent_stops_showing_the_profile(cast):
    referral = referral_in(cast, ReferralStatus.SENT)

    withdrawn = post(signed_in(cast.social_worker), f"/api/consents/{cast.consent.pk}/withdraw", {})

    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["in_force"] is False
    shown = signed_in(cast.caseworker).get(f"/api/referrals/{referral.pk}").json()
    assert shown["disclosed"] == {"reference": cast.client.reference, "consent_withdrawn": True}
    assert shown["consent_withdrawn"] is True


def test_sending_without_consent_in_force_is_refused_with_a_reason(cast):
    withdraw_consent(cast.social_worker, cast.consent)
    referral = referral_in(cast, ReferralStatus.DRAFT)

    response = step(signed_in(cast.social_worker), referral.pk, "send")

    assert response.status_code == 400
    assert "consent" in response.json()["detail"]
    assert response.json()["errors"]["__all__"] == [response.json()["detail"]]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.DRAFT


# Illegal transitions and stale versions -------------------------------------------------------


@pytest.mark.parametrize(
    ("status", "role", "action", "message"),
    [
        (ReferralStatus.SENT, "caseworker", "complete", "A referral that is “Sent” cannot be completed."),
        (ReferralStatus.SENT, "caseworker", "start", "A referral that is “Sent” cannot be started."),
        (ReferralStatus.ACCEPTED, "caseworker", "accept", "A referral that is “Accepted” cannot be accepted."),
        (ReferralStatus.SENT, "social_worker", "send", "A referral that is “Sent” cannot be sent."),
    ],
)
def test_an_illegal_transition_answers_409_and_changes_nothing(cast, status, role, action, message):
    referral = referral_in(cast, status)
    events = ReferralEvent.objects.count()

    response = step(signed_in(cast.user(role)), referral.pk, action, outcome="achieved")

    assert response.status_code == 409
    assert response.json() == {"detail": message}
    after = Referral.objects.get(pk=referral.pk)
    assert (after.status, after.version) == (referral.status, referral.version)
    assert ReferralEvent.objects.count() == events
    assert denied(cast.user(role), referral.pk)


def test_a_stale_version_answers_409(cast):
    referral = referral_in(cast, ReferralStatus.SENT)

    response = step(signed_in(cast.caseworker), referral.pk, "accept", expected_version=referral.version - 1)

    assert response.status_code == 409
    assert "changed this referral" in response.json()["detail"]
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


# Malformed input -------------------------------------------------------------------------------


def malformed_requests(cast, referral):
    client_body = {"prison_id": cast.prison.pk, **CLIENT_BODY}
    transitions = f"/api/referrals/{referral.pk}/transitions"
    return {
        "client without a last name": ("/api/clients", {k: v for k, v in client_body.items() if k != "last_name"}),
        "birth date not a date": ("/api/clients", client_body | {"birth_date": "yesterday"}),
        "unknown sex": ("/api/clients", client_body | {"sex": "unknown"}),
        "prison id not a number": ("/api/clients", client_body | {"prison_id": "the colony"}),
        "referral with a bad client uuid": ("/api/referrals", {"client_id": "not-a-uuid", "service_id": 1}),
        "referral without a service": ("/api/referrals", {"client_id": str(cast.client.pk)}),
        "unknown action": (transitions, {"action": "approve"}),
        "version not a number": (transitions, {"action": "accept", "expected_version": "latest"}),
        "unknown decline reason": (transitions, {"action": "decline", "reason": "busy"}),
        "bad uuid in the path": ("/api/referrals/123/transitions", {"action": "accept"}),
        "consent without kinds": (f"/api/clients/{cast.client.pk}/consents", CONSENT_BODY | {"organisation_kinds": []}),
    }


MALFORMED = [
    "client without a last name",
    "birth date not a date",
    "unknown sex",
    "prison id not a number",
    "referral with a bad client uuid",
    "referral without a service",
    "unknown action",
    "version not a number",
    "unknown decline reason",
    "bad uuid in the path",
    "consent without kinds",
]


@pytest.mark.parametrize("case", MALFORMED)
def test_malformed_input_answers_422_with_a_reason_and_writes_nothing(cast, case):
    referral = referral_in(cast, ReferralStatus.SENT)
    path, body = malformed_requests(cast, referral)[case]
    before = domain_rows()

    response = post(signed_in(cast.social_worker), path, body)

    assert response.status_code == 422, response.content
    problems = response.json()["detail"]
    assert problems and all(problem["loc"] and problem["msg"] for problem in problems)
    assert domain_rows() == before


def test_malformed_json_answers_4xx_and_writes_nothing(cast):
    before = domain_rows()

    response = signed_in(cast.social_worker).post("/api/clients", "{not json", content_type="application/json")

    assert 400 <= response.status_code < 500
    assert response.json()["detail"]
    assert domain_rows() == before


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"region_of_return": "XX-00"}, "region_of_return"),
        ({"languages": ["kk", "klingon"]}, "languages"),
        ({"mother_id": str(uuid.uuid4())}, "mother_id"),
        ({"prison_id": 999999}, "prison_id"),
    ],
)
def test_unknown_references_answer_400_naming_the_field(cast, change, field):
    before = domain_rows()

    response = post(
        signed_in(cast.social_worker), "/api/clients", {"prison_id": cast.prison.pk, **CLIENT_BODY} | change
    )

    assert response.status_code == 400, response.content
    assert list(response.json()["errors"]) == [field]
    assert domain_rows() == before


def test_a_verb_refusal_answers_400_with_field_errors(cast):
    referral = referral_in(cast, ReferralStatus.SENT)

    response = step(signed_in(cast.caseworker), referral.pk, "decline")

    assert response.status_code == 400
    assert response.json() == {
        "detail": "Choose why the referral is declined.",
        "errors": {"reason": ["Choose why the referral is declined."]},
    }
    assert Referral.objects.get(pk=referral.pk).status == ReferralStatus.SENT


def test_only_a_social_worker_of_the_prison_records_its_clients(cast):
    before = domain_rows()

    response = post(signed_in(cast.probation_officer), "/api/clients", {"prison_id": cast.prison.pk, **CLIENT_BODY})

    assert response.status_code == 403
    assert response.json() == {"detail": "Only social workers of this prison can record its clients."}
    assert domain_rows() == before


def test_a_refused_create_through_the_api_is_audited_once_and_writes_nothing(cast):
    before = domain_rows()

    response = post(signed_in(cast.probation_officer), "/api/clients", {"prison_id": cast.prison.pk, **CLIENT_BODY})

    assert response.status_code == 403
    denials = AuditEvent.objects.filter(actor=cast.probation_officer, outcome=Decision.DENIED)
    assert list(denials.values_list("object_id", flat=True)) == [str(cast.prison.pk)]
    assert domain_rows() == before


def test_a_referral_for_a_need_of_another_client_is_refused(cast):
    other = make_client(cast.social_worker, cast.prison, first_name="Saule", last_name="Nurova", confirmed_new=True)
    before = domain_rows()

    response = post(
        signed_in(cast.social_worker),
        "/api/referrals",
        {"client_id": str(other.pk), "service_id": cast.service.pk, "need_id": cast.need.pk},
    )

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["need_id"]
    assert domain_rows() == before


# Possible duplicates --------------------------------------------------------------------------


def test_a_possible_duplicate_answers_409_until_confirmed(cast):
    client = signed_in(cast.social_worker)
    same_person = {
        "prison_id": cast.prison.pk,
        "first_name": "Айгуль",
        "last_name": "Канарбекова",
        "sex": "female",
        "birth_date": cast.client.birth_date.isoformat(),
    }

    refused = post(client, "/api/clients", same_person)

    assert refused.status_code == 409
    assert refused.json()["duplicates"] == [cast.client.reference]
    assert "confirmed_new" in refused.json()["hint"]
    assert Client.objects.count() == 1
    confirmed = post(client, "/api/clients", same_person | {"confirmed_new": True})
    assert confirmed.status_code == 201
    assert Client.objects.count() == 2


def test_duplicates_the_user_may_not_see_are_not_named(cast):
    other_prison = make_organisation("KZ", title="Karaganda colony", kind="prison")
    other_social_worker = member("other-social-worker", other_prison, Role.PRISON_SOCIAL_WORKER)
    hidden = make_client(other_social_worker, other_prison, confirmed_new=True)
    same_person = {**CLIENT_BODY, "first_name": "Aigul", "last_name": CANARY_LAST_NAME, "other_names": ""}

    refused = post(
        signed_in(cast.social_worker),
        "/api/clients",
        {**same_person, "prison_id": cast.prison.pk, "birth_date": cast.client.birth_date.isoformat()},
    )

    assert refused.status_code == 409
    assert refused.json()["duplicates"] == [cast.client.reference]
    assert hidden.reference not in refused.content.decode()


# Listings --------------------------------------------------------------------------------------


def test_client_listing_filters_by_release_date_and_region(cast):
    make_client(
        cast.social_worker,
        cast.prison,
        first_name="Saule",
        last_name="Nurova",
        birth_date=datetime.date(1980, 1, 1),
        expected_release_date=datetime.date(2027, 3, 1),
        region_of_return=None,
    )
    client = signed_in(cast.social_worker)

    def references(query: str) -> list[str]:
        response = client.get(f"/api/clients{query}")
        assert response.status_code == 200, response.content
        return [item["reference"] for item in response.json()["items"]]

    assert len(references("")) == 2
    assert references("?release_after=2026-08-01&release_before=2026-12-31") == [cast.client.reference]
    assert references("?region=KZ-19") == [cast.client.reference]
    assert references("?q=aigul") == [cast.client.reference]
    assert signed_in(cast.other_caseworker).get("/api/clients").json()["count"] == 0


def test_a_bad_filter_value_answers_with_a_reason(cast):
    response = signed_in(cast.social_worker).get("/api/clients?region=XX-00")

    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["region"]


def test_client_listing_pages_and_its_query_count_does_not_grow(cast):
    client = signed_in(cast.social_worker)
    client.get("/api/clients")  # the session is warm
    with CaptureQueriesContext(connection) as one_client:
        assert client.get("/api/clients").status_code == 200
    for number in range(3):
        make_client(
            cast.social_worker, cast.prison, first_name=f"Person{number}", last_name="Other", confirmed_new=True
        )
    with CaptureQueriesContext(connection) as four_clients:
        page = client.get("/api/clients?per_page=3&page=2").json()

    assert (page["count"], page["page"], len(page["items"])) == (4, 2, 1)
    assert len(four_clients) == len(one_client)
    assert AuditEvent.objects.filter(action="client.list", actor=cast.social_worker).count() == 3


def test_referral_listing_filters_and_its_query_count_does_not_grow(cast):
    sent = referral_in(cast, ReferralStatus.SENT)
    client = signed_in(cast.caseworker)
    client.get("/api/referrals")
    with CaptureQueriesContext(connection) as one_referral:
        assert client.get("/api/referrals").json()["count"] == 1
    for number in range(3):  # each to another service: an open duplicate would be refused
        service = make_service(cast.service.organisation, title=f"Service {number}")
        send_referral(cast.social_worker, create_referral(cast.social_worker, cast.client, service))
    Referral.objects.filter(pk=sent.pk).update(response_due=datetime.date(2020, 1, 6))
    with CaptureQueriesContext(connection) as four_referrals:
        listing = client.get("/api/referrals").json()

    assert listing["count"] == 4
    assert len(four_referrals) == len(one_referral)
    assert [item["id"] for item in client.get("/api/referrals?overdue=true").json()["items"]] == [str(sent.pk)]
    assert client.get("/api/referrals?overdue=false").json()["count"] == 3
    assert client.get("/api/referrals?status=accepted").json()["count"] == 0


def test_drafts_are_listed_for_the_referrer_only(cast):
    draft = referral_in(cast, ReferralStatus.DRAFT)

    mine = signed_in(cast.social_worker).get("/api/referrals?status=draft").json()
    theirs = signed_in(cast.caseworker).get("/api/referrals").json()

    assert [item["id"] for item in mine["items"]] == [str(draft.pk)]
    assert theirs["count"] == 0


# OpenAPI ---------------------------------------------------------------------------------------


def test_the_openapi_document_lists_the_endpoints_and_their_errors():
    response = HttpClient().get(reverse("api:openapi-json"))

    assert response.status_code == 200
    document = response.json()
    assert response.request["PATH_INFO"] == "/api/openapi.json"
    assert {
        "/api/clients",
        "/api/clients/{client_id}",
        "/api/clients/{client_id}/needs",
        "/api/clients/{client_id}/consents",
        "/api/consents/{consent_id}",
        "/api/consents/{consent_id}/withdraw",
        "/api/referrals",
        "/api/referrals/{referral_id}",
        "/api/referrals/{referral_id}/transitions",
    } <= document["paths"].keys()
    transitions = document["paths"]["/api/referrals/{referral_id}/transitions"]["post"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "422"} <= transitions.keys()
    assert {"BearerTokenAuth", "SessionAuth"} <= document["components"]["securitySchemes"].keys()


def test_the_hsds_api_keeps_its_prefix():
    assert HttpClient().get("/api/hsds/").status_code == 200
    assert "/api/hsds/services" in HttpClient().get("/api/hsds/openapi.json").json()["paths"]


def test_a_referral_names_its_receiving_organisation_under_the_apis_stable_name(cast):
    referral = referral_in(cast, ReferralStatus.SENT)
    receiving = referral.receiving_organisation
    for user in (cast.social_worker, cast.caseworker):
        body = signed_in(user).get(f"/api/referrals/{referral.pk}").json()
        assert body["organisation"] == {"id": receiving.pk, "title": receiving.title}
        assert "receiving_organisation" not in body
