"""A write refused on a page is audited once, as the same refusal through the API is."""

import pytest

from portal.foundation.models import AuditEvent, Decision
from referrals.actions import set_need
from referrals.models import Need, Priority
from tests.factories import pathway
from tests.referrals.conftest import give_consent, new_client

pytestmark = pytest.mark.django_db


def denials(user) -> int:
    return AuditEvent.objects.filter(actor=user, outcome=Decision.DENIED).count()


@pytest.fixture
def people(cast):
    """A client the probation officer supervises, and one only the prison sees, with a need and consent."""
    supervised = new_client(cast)
    prison_only = new_client(cast, first_name="Other", probation_office=None)
    need = set_need(cast.social_worker, prison_only, category=pathway("education"), priority=Priority.HIGH)
    return supervised, prison_only, need, give_consent(cast, prison_only)


def test_removing_another_clients_need_through_a_clients_url_is_a_404_audited_once(client, cast, people):
    supervised, _prison_only, need, _consent = people
    client.force_login(cast.probation_officer)

    response = client.post(f"/clients/{supervised.pk}/needs/{need.pk}/remove/")

    assert response.status_code == 404
    assert Need.objects.filter(pk=need.pk).exists()
    assert denials(cast.probation_officer) == 1
    event = AuditEvent.objects.get(actor=cast.probation_officer, outcome=Decision.DENIED)
    assert (event.action, event.channel) == ("access.denied", "web")
    assert (event.object_type, event.object_id) == ("page:need_remove", str(need.pk))


def test_withdrawing_another_clients_consent_is_a_404_audited_once(client, cast, people):
    supervised, _prison_only, _need, consent = people
    client.force_login(cast.probation_officer)

    response = client.post(f"/clients/{supervised.pk}/consents/{consent.pk}/withdraw/")

    assert response.status_code == 404
    assert denials(cast.probation_officer) == 1


def test_a_refusal_an_access_function_audits_is_audited_once_on_the_page_as_in_the_api(client, cast, people):
    _supervised, prison_only, _need, _consent = people
    client.force_login(cast.caseworker_a)

    page = client.post(f"/clients/{prison_only.pk}/needs/", {"category": pathway("housing").pk, "priority": "high"})
    after_page = denials(cast.caseworker_a)
    api = client.post(
        f"/api/clients/{prison_only.pk}/needs",
        {"category": "housing", "priority": "high"},
        content_type="application/json",
    )

    assert (page.status_code, api.status_code) == (404, 404)
    assert after_page == 1
    assert denials(cast.caseworker_a) == 2


@pytest.mark.parametrize("value", ["²", str(2**70), "abc"])
def test_ticked_notifications_that_are_no_ids_are_left_out(client, cast, value):
    client.force_login(cast.social_worker)

    response = client.post("/notifications/", {"notification": [value]})

    assert response.status_code == 302
