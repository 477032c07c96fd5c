"""Bad input on the supervision pages and the notes API: huge ids answer 404 or 422, NUL and oversize bodies 4xx."""

import uuid

import pytest
from django.urls import reverse

from aftercare.actions import add_goal
from aftercare.models import CaseNote
from portal.foundation.models import AuditEvent, Decision
from tests.aftercare.supervision_cast import build_cast, open_case
from tests.factories import pathway
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db

cast = shared_fixture(build_cast, name="cast")


@pytest.mark.parametrize("path", ["goals/{id}/review/", "check-ins/{id}/"])
def test_a_goal_or_check_in_id_beyond_64_bits_answers_404(client, cast, path):
    case = open_case(cast, officer=cast.officer)
    client.force_login(cast.officer)

    response = client.post(reverse("aftercare:case_detail", kwargs={"pk": case.pk}) + path.format(id=2**70))

    assert response.status_code == 404


def test_a_note_with_nul_is_a_422_and_a_note_of_3_mb_a_413(client, cast):
    case = open_case(cast, officer=cast.officer)
    client.force_login(cast.social_worker)
    url = f"/api/clients/{case.client.pk}/notes"

    with_nul = client.post(url, {"body": "Met\x00him"}, content_type="application/json")
    too_large = client.post(url, {"body": "x" * (3 * 1024 * 1024)}, content_type="application/json")
    after_too_far = client.get(url, {"after": 2**70})

    assert with_nul.status_code == 422
    assert with_nul.json()["detail"][0]["loc"][-1] == "body"
    assert too_large.status_code == 413
    assert after_too_far.status_code == 422
    assert not CaseNote.objects.filter(client=case.client).exists()


def test_reviewing_a_goal_of_another_case_is_a_404_audited_once(client, cast):
    case = open_case(cast, officer=cast.officer)
    other = open_case(cast, officer=cast.officer, first_name="Other")
    goal = add_goal(cast.officer, other, pathway=pathway("housing"), description="A flat.")
    client.force_login(cast.officer)

    response = client.post(
        reverse("aftercare:goal_review", kwargs={"pk": case.pk, "goal_id": goal.pk}),
        {"status": "achieved", "achievement": "achieved"},
    )

    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=cast.officer, outcome=Decision.DENIED).count() == 1


@pytest.mark.parametrize("value", ["²", str(2**70)])
def test_ticked_alerts_that_are_no_ids_are_left_out(client, cast, value):
    client.force_login(cast.officer)

    assert client.post(reverse("aftercare:alerts_mark_read"), {"alert": [value]}).status_code == 302


def test_a_note_with_a_control_character_is_refused_on_the_page_too(client, cast):
    case = open_case(cast, officer=cast.officer)
    client.force_login(cast.social_worker)

    response = client.post(
        f"/clients/{case.client.pk}/notes/",
        {"body": "Met \x1b[31mhim", "visibility": "team", "idempotency_key": str(uuid.uuid4())},
    )

    assert response.status_code == 400
    assert "control characters" in response.content.decode()
    assert not CaseNote.objects.filter(client=case.client).exists()
