"""The CSO inbox and the notifications page."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from portal.foundation.models import AuditEvent
from referrals.actions import take_referral_step
from referrals.models import Notification, Referral
from tests.factories import make_service
from tests.referrals.conftest import CANARY_LAST_NAME, CANARY_RISK, give_consent, new_client, sent_referral

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return [referral.disclosed["reference"] for referral in response.context["page_obj"].object_list]


def refer_people(cast, count: int, *, start: int = 0, service=None) -> list[Referral]:
    referrals = []
    for number in range(start, start + count):
        person = new_client(
            cast, first_name=f"Person{number:03}", birth_date=datetime.date(1980, 1, 1) + datetime.timedelta(number)
        )
        give_consent(cast, person)
        referrals.append(sent_referral(cast, person, service))
    return referrals


def test_the_inbox_lists_the_organisations_referrals_with_the_disclosed_fields_only(client, cast, referral):
    client.force_login(cast.caseworker_a)
    response = client.get("/inbox/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert listed(response) == [referral.disclosed["reference"]]
    body = response.content.decode()
    assert "Aigerim" in body
    assert body.count(CANARY_RISK) == 0
    assert body.count(CANARY_LAST_NAME) == 0
    assert AuditEvent.objects.get(action="referral.list", actor=cast.caseworker_a).detail["ids"] == [str(referral.pk)]


@pytest.mark.parametrize("user", ["caseworker_b", "iq_social_worker", "outsider", "social_worker"])
def test_nobody_else_sees_the_organisations_inbox(client, cast, referral, user):
    client.force_login(getattr(cast, user))
    response = client.get("/inbox/")
    assert response.status_code == 200
    assert listed(response) == []
    assert CANARY_LAST_NAME not in response.content.decode()


def test_filters_and_counts_per_status(client, cast):
    accepted, overdue, fresh = refer_people(cast, 3)
    take_referral_step(cast.caseworker_a, accepted, "accept")
    Referral.objects.filter(pk=overdue.pk).update(response_due=timezone.localdate() - datetime.timedelta(days=1))
    welding = make_service(cast.cso_a, title="Welding", categories=["vocational-training"])
    vocational = refer_people(cast, 1, start=3, service=welding)[0]
    client.force_login(cast.caseworker_a)

    response = client.get("/inbox/")
    assert response.context["status_counts"] == [("sent", "Sent", 3), ("accepted", "Accepted", 1)]
    assert sorted(listed(client.get("/inbox/?status=accepted"))) == [accepted.disclosed["reference"]]
    assert listed(client.get("/inbox/?overdue=on")) == [overdue.disclosed["reference"]]
    assert listed(client.get("/inbox/?category=vocational-training")) == [vocational.disclosed["reference"]]
    today = timezone.localdate().isoformat()
    assert len(listed(client.get(f"/inbox/?sent_after={today}&sent_before={today}"))) == 4
    assert listed(client.get("/inbox/?sent_before=2000-01-01")) == []
    overdue_page = client.get("/inbox/")
    assert "Answer overdue since" in overdue_page.content.decode()
    assert fresh.disclosed["reference"] in overdue_page.content.decode()


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/inbox/", "/inbox/?status=sent&category=education&overdue=on&sent_after=2026-01-01"])
def test_inbox_query_count_does_not_grow_with_the_number_of_referrals(client, cast, url):
    refer_people(cast, 3)
    client.force_login(cast.caseworker_a)
    client.get(url)
    with_three = queries_for(client, url)
    refer_people(cast, 27, start=3)
    assert queries_for(client, url) == with_three


# Notifications ---------------------------------------------------------------------------------


def test_notifications_are_listed_and_marked_read(client, cast, referral):
    client.force_login(cast.caseworker_a)
    response = client.get("/notifications/")
    assert response.status_code == 200
    assert "New referral for <bdi>Literacy classes</bdi>" in response.content.decode()
    notice = Notification.objects.get(user=cast.caseworker_a)
    assert client.post("/notifications/", {"notification": notice.pk}).status_code == 302
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_mark_all_read_touches_only_the_users_own_notices(client, cast, referral):
    client.force_login(cast.social_worker)
    take_referral_step(cast.caseworker_a, referral, "accept")
    assert client.post("/notifications/", {"all": "1"}).status_code == 302
    assert not Notification.objects.filter(user=cast.social_worker, read_at__isnull=True).exists()
    assert Notification.objects.filter(user=cast.caseworker_a, read_at__isnull=True).exists()
    other = Notification.objects.get(user=cast.caseworker_a)
    client.post("/notifications/", {"notification": other.pk})
    other.refresh_from_db()
    assert other.read_at is None


def test_staff_see_the_workspace_link_and_land_on_their_page(client, cast):
    client.force_login(cast.social_worker)
    assert 'href="/workspace/"' in client.get("/directory/").content.decode()
    assert client.get("/workspace/")["Location"] == "/clients/"
    client.force_login(cast.caseworker_a)
    assert client.get("/workspace/")["Location"] == "/inbox/"
    client.force_login(cast.outsider)
    assert 'href="/workspace/"' not in client.get("/directory/").content.decode()
