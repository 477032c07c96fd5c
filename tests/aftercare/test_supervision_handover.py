"""Handover at release: /clients/<id>/handover/ opens a supervision case; the prison's access then runs out."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from aftercare.models import CheckInStatus, SupervisionCase
from portal.foundation.models import AuditEvent, Decision
from referrals.access import get_client_for_user
from referrals.actions import create_referral, set_need
from referrals.models import Priority
from tests.aftercare.supervision_cast import RELEASE_DATE, TEMPLATE_OFFSETS, build_cast, new_client, open_case
from tests.factories import pathway
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db


cast = shared_fixture(build_cast, name="cast")


def handover_url(client) -> str:
    return reverse("aftercare:handover", kwargs={"pk": client.pk})


def case_url(case) -> str:
    return reverse("aftercare:case_detail", kwargs={"pk": case.pk})


def denied(user, pk) -> bool:
    return AuditEvent.objects.filter(
        actor=user, action="access.denied", outcome=Decision.DENIED, object_id=str(pk)
    ).exists()


def post_handover(http, cast, person, **changes):
    data = {"probation_office": cast.office_a.pk, "release_date": RELEASE_DATE.isoformat(), "note": "Keen to work."}
    return http.post(handover_url(person), {**data, **changes})


def test_handover_form_offers_probation_offices_of_the_clients_country_only(client, cast):
    person = new_client(cast)
    client.force_login(cast.social_worker)
    response = client.get(handover_url(person))
    assert response.status_code == 200
    assert "no-cache" in response["Cache-Control"]
    offices = list(response.context["form"].fields["probation_office"].queryset)
    assert offices == [cast.office_a, cast.office_b]
    assert response.context["form"]["release_date"].value() == RELEASE_DATE


def test_handover_opens_the_case_on_the_release_date_with_check_ins_from_the_template(client, cast):
    person = new_client(cast)
    client.force_login(cast.social_worker)
    response = post_handover(client, cast, person)
    case = SupervisionCase.objects.get(client=person)
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    assert case.opened_on == RELEASE_DATE
    assert case.probation_office == cast.office_a
    assert case.handover_note == "Keen to work."
    check_ins = case.check_ins.order_by("due_on")
    assert [c.due_on for c in check_ins] == [RELEASE_DATE + datetime.timedelta(days=d) for d in TEMPLATE_OFFSETS]
    assert {(c.status, c.from_template) for c in check_ins} == {(CheckInStatus.SCHEDULED, True)}
    person.refresh_from_db()
    assert person.probation_office == cast.office_a
    assert person.prison_access_until == RELEASE_DATE + datetime.timedelta(days=30)


def test_the_case_page_shows_the_handover_summary(client, cast):
    person = new_client(cast)
    set_need(cast.social_worker, person, category=pathway("education"), priority=Priority.HIGH, details="Cannot read")
    create_referral(cast.social_worker, person, cast.service)
    client.force_login(cast.social_worker)
    post_handover(client, cast, person)
    client.force_login(cast.officer)
    response = client.get(case_url(person.supervision_case))
    assert response.status_code == 200
    for text in ("Cannot read", "High", "Literacy classes", "Bright Futures", "Draft", "Keen to work."):
        assert text in response.content.decode(), text


def test_a_probation_office_of_another_country_is_refused_in_the_users_language(client, cast):
    person = new_client(cast)
    client.force_login(cast.social_worker)
    response = client.post(
        handover_url(person),
        {"probation_office": cast.iq_office.pk, "release_date": RELEASE_DATE.isoformat()},
        HTTP_ACCEPT_LANGUAGE="ru",
    )
    assert response.status_code == 400
    assert "Выберите корректный вариант" in response.content.decode()
    assert not SupervisionCase.objects.filter(client=person).exists()


def test_a_missing_release_date_is_refused(client, cast):
    person = new_client(cast)
    client.force_login(cast.social_worker)
    response = post_handover(client, cast, person, release_date="")
    assert response.status_code == 400
    assert response.context["form"].errors["release_date"]
    assert not SupervisionCase.objects.filter(client=person).exists()


def test_a_client_is_handed_over_once(client, cast):
    case = open_case(cast)
    client.force_login(cast.social_worker)
    response = post_handover(client, cast, case.client, probation_office=cast.office_b.pk)
    assert response.status_code == 302
    assert response["Location"] == case_url(case)
    assert SupervisionCase.objects.get(client=case.client).probation_office == cast.office_a


def test_probation_staff_who_see_the_client_may_not_hand_over(client, cast):
    person = new_client(cast, probation_office=cast.office_a)
    client.force_login(cast.officer)
    assert client.get(handover_url(person)).status_code == 403
    assert post_handover(client, cast, person).status_code == 403
    assert not SupervisionCase.objects.filter(client=person).exists()


@pytest.mark.parametrize("channel", ["page", "api"])
def test_a_refused_handover_says_why_and_is_audited_once_whatever_the_channel(client, cast, channel):
    person = new_client(cast, probation_office=cast.office_a)
    client.force_login(cast.officer)
    if channel == "page":
        response = post_handover(client, cast, person)
    else:
        payload = {"probation_office": cast.office_a.pk, "release_date": RELEASE_DATE.isoformat()}
        response = client.post(f"/api/clients/{person.pk}/handover", payload, content_type="application/json")
    assert response.status_code == 403
    assert "Only social workers of the holding prison can hand this client over." in response.content.decode()
    refusals = AuditEvent.objects.filter(actor=cast.officer, outcome=Decision.DENIED, object_id=str(person.pk))
    assert list(refusals.values_list("action", "channel")) == [
        ("access.refused", "web" if channel == "page" else "api")
    ]


@pytest.mark.parametrize("who", ["outsider", "caseworker", "iq_officer", "office_b_officer"])
def test_users_who_cannot_see_the_client_get_404_and_the_denial_is_audited(client, cast, who):
    person = new_client(cast)
    user = getattr(cast, who)
    client.force_login(user)
    assert client.get(handover_url(person)).status_code == 404
    assert post_handover(client, cast, person).status_code == 404
    assert denied(user, person.pk)
    assert not SupervisionCase.objects.filter(client=person).exists()


def test_handover_needs_a_login_and_allows_get_and_post_only(client, cast):
    person = new_client(cast)
    assert client.get(handover_url(person))["Location"].startswith(reverse("login"))
    client.force_login(cast.social_worker)
    assert client.put(handover_url(person)).status_code == 405


def test_the_prison_keeps_read_access_for_the_set_period_then_loses_it(client, cast):
    case = open_case(cast)
    client_page = reverse("referrals:client_detail", kwargs={"pk": case.client.pk})
    client.force_login(cast.social_worker)
    assert client.get(case_url(case)).status_code == 200
    assert client.get(client_page).status_code == 200
    assert get_client_for_user(cast.social_worker, case.client.pk) == case.client

    yesterday = timezone.localdate() - datetime.timedelta(days=1)
    type(case.client).objects.filter(pk=case.client.pk).update(prison_access_until=yesterday)

    assert client.get(case_url(case)).status_code == 404
    assert client.get(client_page).status_code == 404
    assert denied(cast.social_worker, case.pk)
    assert denied(cast.social_worker, case.client.pk)
    client.force_login(cast.officer)
    assert client.get(case_url(case)).status_code == 200


def test_a_handover_note_over_its_limit_is_refused_naming_the_limit(client, cast):
    limit = SupervisionCase._meta.get_field("handover_note").max_length
    person = new_client(cast)
    client.force_login(cast.social_worker)

    response = post_handover(client, cast, person, note="x" * (limit + 1))

    assert response.status_code == 400
    assert f"can be at most {limit} characters" in response.content.decode()
    assert not SupervisionCase.objects.filter(client=person).exists()
