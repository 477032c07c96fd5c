"""Bad input to the staff API answers a clear 4xx naming the field, and writes nothing, on every database."""

import pydantic
import pytest

from portal.foundation.listing import Paging
from referrals.models import Client, Need
from referrals.schemas import ReferableServiceFilters, ReferralIn
from tests.referrals.api_cast import build_cast, signed_in
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_cast, name="cast")

CLIENT_BODY = {"first_name": "Dilnaz", "last_name": "Omarova", "sex": "female", "birth_date": "1995-02-03"}


def post(http, path: str, body: dict):
    return http.post(path, body, content_type="application/json")


def refused_fields(response) -> set[str]:
    return {entry["loc"][-1] for entry in response.json()["detail"]}


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("first_name", "Dil\u202eznaN"),
        ("last_name", "\u2066Omarova\u2069"),
        ("first_name", "\u200b\u200d\ufeff"),
        ("other_names", "\u2060"),
        ("last_name", "Omar\x00ova"),
    ],
)
def test_a_client_name_with_controls_bidi_overrides_or_nothing_visible_is_refused_naming_the_field(cast, field, value):
    before = Client.objects.count()

    response = post(
        signed_in(cast.social_worker), "/api/clients", {"prison_id": cast.prison.pk, **CLIENT_BODY, field: value}
    )

    assert response.status_code == 422, response.content
    assert refused_fields(response) == {field}
    assert Client.objects.count() == before


@pytest.mark.parametrize("field", ["risk_notes", "contact_route"])
def test_nul_in_free_text_is_a_422_on_postgresql_and_writes_nothing(cast, field):
    before = Client.objects.count()

    body = {"prison_id": cast.prison.pk, **CLIENT_BODY, field: "Before\x00after"}
    response = post(signed_in(cast.social_worker), "/api/clients", body)

    assert response.status_code == 422, response.content
    assert refused_fields(response) == {field}
    assert "control characters" in response.json()["detail"][0]["msg"]
    assert Client.objects.count() == before


def test_nul_in_a_code_or_a_patch_is_a_422(cast):
    http = signed_in(cast.social_worker)
    needs = Need.objects.count()

    need = post(http, f"/api/clients/{cast.client.pk}/needs", {"category": "hous\x00ing"})
    renamed = http.patch(f"/api/clients/{cast.client.pk}", {"first_name": "A\u202eB"}, content_type="application/json")

    assert need.status_code == 422 and refused_fields(need) == {"category"}
    assert renamed.status_code == 422 and refused_fields(renamed) == {"first_name"}
    assert Need.objects.count() == needs


def test_free_text_keeps_bidi_marks(cast):
    response = post(
        signed_in(cast.social_worker),
        f"/api/clients/{cast.client.pk}/needs",
        {"category": "housing", "details": "Says \u202eEMAN\u202c at the door"},
    )

    assert response.status_code == 200, response.content
    assert response.json()["details"] == "Says \u202eEMAN\u202c at the door"


def test_a_body_over_the_limit_is_a_413_with_a_reason(cast):
    body = {"category": "housing", "details": "x" * (3 * 1024 * 1024)}

    response = post(signed_in(cast.social_worker), f"/api/clients/{cast.client.pk}/needs", body)

    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("/api/clients", {**CLIENT_BODY, "prison_id": 2**70}),
        ("/api/referrals", {"service_id": 2**70}),
        ("/api/referrals", {"service_id": 1, "need_id": 2**63}),
    ],
)
def test_ids_beyond_64_bits_in_a_body_are_a_422(cast, path, body):
    body = {"client_id": str(cast.client.pk), **body} if path == "/api/referrals" else body

    response = post(signed_in(cast.social_worker), path, body)

    assert response.status_code == 422, response.content


@pytest.mark.parametrize(
    "query",
    [{"page": 2**70}, {"organisation_id": 2**70}],
)
def test_ids_and_pages_beyond_64_bits_in_a_query_are_a_422(cast, query):
    response = signed_in(cast.social_worker).get(f"/api/clients/{cast.client.pk}/referable-services", query)

    assert response.status_code == 422, response.content


@pytest.mark.parametrize(
    ("schema", "fields"),
    [
        (ReferralIn, {"client_id": "7c2a3f1e-1111-4a5b-9c1d-000000000001", "service_id": 2**70}),
        (Paging, {"page": 2**70}),
        (ReferableServiceFilters, {"organisation_id": 2**63}),
    ],
)
def test_the_schemas_refuse_ids_beyond_64_bits_before_any_database_sees_them(schema, fields):
    """What makes the API answer 422 on SQLite as on PostgreSQL: the refusal is the schema's, not the database's."""
    with pytest.raises(pydantic.ValidationError):
        schema(**fields)
