"""Bad input on the workspace's pages: names refused with a message on the field, huge ids answer 404."""

import pytest

from referrals.models import Client
from tests.factories import pathway
from tests.referrals.conftest import new_client
from tests.referrals.test_views_clients import client_form_data

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("field", "value"),
    [("first_name", "Ай\u202eгерим"), ("last_name", "\u2067Сапарова"), ("other_names", "\u200b\u200c")],
)
def test_a_client_name_with_bidi_overrides_or_nothing_visible_is_refused_on_its_field(client, cast, field, value):
    client.force_login(cast.social_worker)
    before = Client.objects.count()

    response = client.post("/clients/new/", client_form_data(cast, **{field: value}))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert Client.objects.count() == before


def test_a_page_url_with_an_id_beyond_64_bits_answers_404(client, cast):
    person = new_client(cast)
    client.force_login(cast.social_worker)

    response = client.post(f"/clients/{person.pk}/needs/{2**70}/remove/")

    assert response.status_code == 404


def test_free_text_with_a_control_character_is_refused_on_its_field(client, cast):
    client.force_login(cast.social_worker)
    before = Client.objects.count()

    response = client.post("/clients/new/", client_form_data(cast, contact_route="Ring \x07 twice"))

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["contact_route"]
    assert Client.objects.count() == before


def test_need_details_with_a_control_character_are_refused(client, cast):
    person = new_client(cast)
    client.force_login(cast.social_worker)

    response = client.post(
        f"/clients/{person.pk}/needs/", {"category": pathway("housing").pk, "priority": "high", "details": "A\x1bB"}
    )

    assert response.status_code == 400
    assert not person.needs.exists()
