"""The clients pages: listing and filters, recording a client, the client page, needs and access."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cso_directory.models import Language
from portal.foundation.models import AuditEvent, Decision
from portal.foundation.roles import Role
from referrals.models import Client, Need
from tests.factories import make_organisation, pathway
from tests.referrals.conftest import CANARY_RISK, make_user, new_client

pytestmark = pytest.mark.django_db


def references(response) -> list[str]:
    return [client.reference for client in response.context["page_obj"].object_list]


def client_form_data(cast, **overrides) -> dict:
    data = {
        "prison": cast.kz_prison.pk,
        "first_name": "Айгерим",
        "last_name": "Сапарова",
        "other_names": "Aigerim Saparova",
        "sex": "female",
        "birth_date": "1990-06-01",
        "expected_release_date": "2026-09-30",
        "region_of_return": cast.kz_prison.regions.get().pk,
        "languages": [],
        "contact_route": "Her brother",
        "risk_notes": "",
    }
    return {**data, **overrides}


# Listing -----------------------------------------------------------------------------------------


def test_each_referrer_lists_only_the_clients_of_their_organisation(client, cast, canary):
    not_handed_over = new_client(cast, first_name="Other", probation_office=None)
    client.force_login(cast.social_worker)
    assert sorted(references(client.get("/clients/"))) == sorted([canary.reference, not_handed_over.reference])
    client.force_login(cast.probation_officer)
    assert references(client.get("/clients/")) == [canary.reference]
    for user in (cast.iq_social_worker, cast.caseworker_a, cast.outsider):
        client.force_login(user)
        response = client.get("/clients/")
        assert response.status_code == 200
        assert references(response) == [], user
        assert CANARY_RISK not in response.content.decode()


def test_anonymous_users_are_sent_to_sign_in(client, cast, canary):
    for url in ["/clients/", f"/clients/{canary.pk}/", "/inbox/", "/notifications/"]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")


def test_name_search_matches_across_scripts(client, cast):
    aigul = new_client(cast, first_name="Айгүл", last_name="Нурланова")
    new_client(cast, first_name="Dana", last_name="Bekova")
    client.force_login(cast.social_worker)
    # Stored in Cyrillic, found by its Latin transliteration, and by Cyrillic in any case.
    assert references(client.get("/clients/?q=aygul")) == [aigul.reference]
    assert references(client.get("/clients/?q=NURLANOVA")) == [aigul.reference]
    assert references(client.get("/clients/?q=НУРЛАН")) == [aigul.reference]
    assert references(client.get(f"/clients/?q={aigul.reference[-4:]}")) == [aigul.reference]


def test_release_date_and_region_filters_narrow_the_list(client, cast):
    soon = new_client(cast, first_name="Soon", expected_release_date=datetime.date(2026, 3, 1))
    later = new_client(cast, first_name="Later", expected_release_date=datetime.date(2027, 3, 1))
    soon.region_of_return = cast.kz_prison.regions.get()
    soon.save()
    client.force_login(cast.social_worker)
    assert references(client.get("/clients/?release_after=2026-01-01&release_before=2026-12-31")) == [soon.reference]
    assert references(client.get("/clients/?release_after=2027-01-01")) == [later.reference]
    assert references(client.get("/clients/?region=KZ-75")) == [soon.reference]


def test_the_list_is_audited_and_never_cached(client, cast, canary):
    client.force_login(cast.social_worker)
    response = client.get("/clients/")
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="client.list", actor=cast.social_worker)
    assert event.detail["ids"] == [str(canary.pk)]


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/clients/", "/clients/?q=person&release_after=2026-01-01&region=KZ-75"])
def test_client_list_query_count_does_not_grow_with_the_number_of_clients(client, cast, url):
    region = cast.kz_prison.regions.get()

    def add_clients(start, stop):
        for number in range(start, stop):
            new_client(
                cast,
                first_name=f"Person{number:03}",
                birth_date=datetime.date(1980, 1, 1) + datetime.timedelta(days=number),
                expected_release_date=datetime.date(2026, 6, 1),
                region_of_return=region,
            )

    add_clients(0, 5)
    client.force_login(cast.social_worker)
    client.get(url)
    with_five = queries_for(client, url)
    add_clients(5, 50)
    assert queries_for(client, url) == with_five
    assert len(client.get(url).context["page_obj"].object_list) == 25


# Recording a client ------------------------------------------------------------------------------


def test_a_social_worker_records_a_client(client, cast):
    client.force_login(cast.social_worker)
    assert client.get("/clients/new/").status_code == 200
    kazakh = Language.objects.get(code="kk")
    response = client.post("/clients/new/", client_form_data(cast, languages=[kazakh.pk]))
    recorded = Client.objects.get(last_name="Сапарова")
    assert response.status_code == 302
    assert response["Location"] == f"/clients/{recorded.pk}/"
    assert recorded.prison == cast.kz_prison
    assert recorded.reference.startswith("KZ-")
    assert list(recorded.languages.values_list("code", flat=True)) == ["kk"]


def test_errors_are_shown_in_the_users_language_and_nothing_is_saved(client, cast):
    client.force_login(cast.social_worker)
    client.cookies["django_language"] = "ru"
    response = client.post("/clients/new/", client_form_data(cast, first_name="", birth_date="not a date"))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Требуется заполнить это поле." in body
    assert "Введите правильную дату." in body
    assert not Client.objects.exists()


def test_a_region_of_another_country_is_refused(client, cast):
    client.force_login(cast.social_worker)
    erbil = cast.iq_prison.regions.get()
    response = client.post("/clients/new/", client_form_data(cast, region_of_return=erbil.pk))
    assert response.status_code == 400
    assert not Client.objects.exists()


def test_a_possible_duplicate_is_shown_and_can_be_confirmed_as_someone_else(client, cast):
    existing = new_client(cast, first_name="Aigerim", last_name="Saparova", birth_date=datetime.date(1990, 6, 1))
    client.force_login(cast.social_worker)
    response = client.post("/clients/new/", client_form_data(cast, other_names=""))
    assert response.status_code == 400
    body = response.content.decode()
    assert existing.reference in body
    assert "This is a different person" in body
    assert [candidate.pk for candidate in response.context["duplicates"]] == [existing.pk]
    assert Client.objects.count() == 1
    response = client.post("/clients/new/", client_form_data(cast, other_names="", confirmed_new="on"))
    assert response.status_code == 302
    assert Client.objects.count() == 2


def test_duplicates_held_elsewhere_are_not_revealed(client, cast):
    existing = new_client(cast, first_name="Aigerim", last_name="Saparova", birth_date=datetime.date(1990, 6, 1))
    other_prison = make_organisation("KZ", title="Karaganda Colony", kind="prison")
    other_prison_worker = make_user("colleague", other_prison, Role.PRISON_SOCIAL_WORKER)
    client.force_login(other_prison_worker)
    response = client.post(
        "/clients/new/", client_form_data(cast, prison=other_prison.pk, region_of_return="", other_names="")
    )
    assert response.status_code == 400
    assert existing.reference not in response.content.decode()
    assert "held by another prison" in response.content.decode()


@pytest.mark.parametrize("user", ["probation_officer", "caseworker_a", "outsider"])
def test_only_prison_social_workers_record_clients(client, cast, user):
    client.force_login(getattr(cast, user))
    assert client.get("/clients/new/").status_code == 403
    assert client.post("/clients/new/", client_form_data(cast)).status_code == 403
    assert not Client.objects.exists()


def test_a_refused_create_on_the_page_is_audited_once_and_writes_nothing(client, cast):
    client.force_login(cast.probation_officer)
    clients_before = Client.objects.count()

    assert client.post("/clients/new/", client_form_data(cast)).status_code == 403

    denials = AuditEvent.objects.filter(actor=cast.probation_officer, outcome=Decision.DENIED)
    assert denials.count() == 1
    assert Client.objects.count() == clients_before


def test_the_mother_must_be_a_client_the_user_sees(client, cast):
    client.force_login(cast.iq_social_worker)
    kz_mother = new_client(cast)
    data = client_form_data(
        cast, prison=cast.iq_prison.pk, region_of_return=cast.iq_prison.regions.get().pk, mother=kz_mother.pk
    )
    response = client.post("/clients/new/", data)
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"mother"}


# The client page -------------------------------------------------------------------------------


def test_the_client_page_shows_the_record_and_audits_the_read(client, cast, canary):
    for user in (cast.social_worker, cast.probation_officer):
        client.force_login(user)
        response = client.get(f"/clients/{canary.pk}/")
        assert response.status_code == 200
        assert CANARY_RISK in response.content.decode()
        assert "no-store" in response["Cache-Control"]
        assert AuditEvent.objects.filter(
            actor=user, action="client.view", object_id=str(canary.pk), outcome=Decision.ALLOWED
        ).exists()


@pytest.mark.parametrize("user", ["caseworker_a", "caseworker_b", "iq_social_worker", "outsider"])
def test_others_get_404_and_the_denial_is_audited(client, cast, canary, referral, user):
    actor = getattr(cast, user)
    client.force_login(actor)
    for url in [
        f"/clients/{canary.pk}/",
        f"/clients/{canary.pk}/refer/?service={cast.service.pk}",
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert CANARY_RISK not in response.content.decode()
    assert client.post(f"/clients/{canary.pk}/needs/", {"category": pathway("housing").pk}).status_code == 404
    assert not canary.needs.filter(category__code="housing").exists()
    denials = AuditEvent.objects.filter(actor=actor, outcome=Decision.DENIED, object_id=str(canary.pk))
    assert denials.count() == 3


def test_a_missing_client_is_404_like_a_hidden_one(client, cast):
    client.force_login(cast.social_worker)
    assert client.get("/clients/00000000-0000-0000-0000-000000000000/").status_code == 404


def test_needs_are_added_changed_and_removed(client, cast, canary):
    client.force_login(cast.social_worker)
    url = f"/clients/{canary.pk}/needs/"
    assert client.post(url, {"category": pathway("housing").pk, "priority": "low"}).status_code == 302
    assert client.post(url, {"category": pathway("housing").pk, "priority": "high"}).status_code == 302
    need = Need.objects.get(client=canary, category__code="housing")
    assert need.priority == "high"
    assert "Housing" in client.get(f"/clients/{canary.pk}/").content.decode()
    assert client.post(url, {"category": "", "priority": "high"}).status_code == 400
    response = client.post(f"/clients/{canary.pk}/needs/{need.pk}/remove/")
    assert response.status_code == 302
    assert not Need.objects.filter(pk=need.pk).exists()


def test_pages_only_take_their_methods(client, cast, canary):
    client.force_login(cast.social_worker)
    assert client.post(f"/clients/{canary.pk}/").status_code == 405
    assert client.get(f"/clients/{canary.pk}/needs/").status_code == 405
    assert client.put("/clients/new/").status_code == 405


def test_family_links_show_on_both_pages(client, cast, canary):
    child = new_client(cast, first_name="Timur", sex="male", birth_date=datetime.date(2016, 2, 2), mother=canary)
    client.force_login(cast.social_worker)
    assert child.reference in client.get(f"/clients/{canary.pk}/").content.decode()
    assert canary.reference in client.get(f"/clients/{child.pk}/").content.decode()
