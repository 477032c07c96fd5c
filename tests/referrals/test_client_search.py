"""The client-name search across scripts: Latin, Cyrillic (with Kazakh, Kyrgyz and Tajik letters) and Arabic.

The search runs over the clients the user may see (referrals.access): another country's client,
or another prison's, is never found, whatever the name.
"""

import datetime
from types import SimpleNamespace

import pytest
from django.db import connection

from portal.foundation.roles import Role
from portal.foundation.text_search import matching
from referrals.actions import create_client
from referrals.models import Client
from tests.factories import make_organisation
from tests.referrals.conftest import make_user
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db


def record(worker, prison, first_name: str, last_name: str, other_names: str = ""):
    return create_client(
        worker,
        prison=prison,
        first_name=first_name,
        last_name=last_name,
        other_names=other_names,
        sex="female",
        birth_date=datetime.date(1990, 1, 1),
        confirmed_new=True,
    )


@shared_fixture
def people():
    kz_prison = make_organisation("KZ", title="Almaty Correctional Colony", kind="prison")
    other_kz_prison = make_organisation("KZ", title="Karaganda Colony", kind="prison")
    iq_prison = make_organisation("IQ", title="Erbil Reform Prison", kind="prison")
    tj_prison = make_organisation("TJ", title="Dushanbe Colony", kind="prison")
    kz_worker = make_user("kz-worker", kz_prison, Role.PRISON_SOCIAL_WORKER)
    iq_worker = make_user("iq-worker", iq_prison, Role.PRISON_SOCIAL_WORKER)
    tj_worker = make_user("tj-worker", tj_prison, Role.PRISON_SOCIAL_WORKER)
    other_kz_worker = make_user("other-kz-worker", other_kz_prison, Role.PRISON_SOCIAL_WORKER)
    return SimpleNamespace(
        kz_worker=kz_worker,
        iq_worker=iq_worker,
        tj_worker=tj_worker,
        aigul=record(kz_worker, kz_prison, "Айгүл", "Нұрланова"),
        aigerim=record(kz_worker, kz_prison, "Айгерим", "Сапарова", "Aigerim Saparova"),
        ghairat=record(kz_worker, kz_prison, "Ғайрат", "Қасымов"),
        ahmed=record(iq_worker, iq_prison, "أحمد", "الجبوري"),
        fatima=record(iq_worker, iq_prison, "فاطِمَة", "Hassan"),
        huriniso=record(tj_worker, tj_prison, "Ҳурниё", "Ҷӯраева"),
        elsewhere=record(other_kz_worker, other_kz_prison, "Aigul", "Nurlanova"),
    )


def found(client, user, query: str) -> list[str]:
    client.force_login(user)
    response = client.get("/clients/", {"q": query})
    assert response.status_code == 200
    return sorted(f"{person.first_name} {person.last_name}" for person in response.context["page_obj"].object_list)


@pytest.mark.parametrize(
    ("worker", "query", "expected"),
    [
        # Latin finds Cyrillic, with the Kazakh letters ү ұ ғ қ folded to u u g k.
        ("kz_worker", "aigul", ["Айгүл Нұрланова"]),
        ("kz_worker", "Aigul Nurlanova", ["Айгүл Нұрланова"]),
        ("kz_worker", "Айгуль", ["Айгүл Нұрланова"]),  # Russian spelling of the Kazakh name
        ("kz_worker", "nurlan", ["Айгүл Нұрланова"]),  # by prefix
        ("kz_worker", "Gairat Kasymov", ["Ғайрат Қасымов"]),
        ("kz_worker", "Ghairat", ["Ғайрат Қасымов"]),
        ("kz_worker", "саПАРОва", ["Айгерим Сапарова"]),
        # Tajik letters ҳ ҷ ӯ.
        ("tj_worker", "hurniyo", ["Ҳурниё Ҷӯраева"]),
        ("tj_worker", "Джураева", ["Ҳурниё Ҷӯраева"]),
        # Arabic: alef variants, diacritics, ta marbuta, the article; Latin by the consonants.
        ("iq_worker", "احمد", ["أحمد الجبوري"]),
        ("iq_worker", "أَحْمَد", ["أحمد الجبوري"]),
        ("iq_worker", "Ahmed", ["أحمد الجبوري"]),
        ("iq_worker", "jubouri", ["أحمد الجبوري"]),
        ("iq_worker", "فاطمه", ["فاطِمَة Hassan"]),
        ("iq_worker", "Fatima", ["فاطِمَة Hassan"]),
        ("iq_worker", "حسن", ["فاطِمَة Hassan"]),  # Arabic finds a Latin name by its consonants
        # Every word must match.
        ("kz_worker", "aigul saparova", []),
    ],
)
def test_names_are_found_across_scripts_and_spellings(client, people, worker, query, expected):
    assert found(client, getattr(people, worker), query) == expected


def test_other_countries_and_prisons_clients_are_never_found(client, people):
    assert found(client, people.iq_worker, "aigul") == []
    assert found(client, people.kz_worker, "ahmed") == []
    assert found(client, people.tj_worker, "Nurlanova") == []
    assert found(client, people.kz_worker, "Nurlanova") == ["Айгүл Нұрланова"]  # not the other prison's Aigul


def test_the_name_search_is_served_by_the_trigram_index(people):
    clients = Client.objects.filter(matching("name_search", "aigul"))
    with connection.cursor() as cursor:  # a handful of rows: make the planner show what its index serves
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = clients.explain()
    assert "client_name_search_trigrams" in plan, plan
