"""The public directory at /directory/: every filter narrows, shareable URLs, no leaks."""

import pytest
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cso_directory.actions import add_membership
from cso_directory.directory_cache import directory_changed
from cso_directory.models import ServicePage
from cso_directory.search import matching_services
from portal.foundation.roles import Role
from tests.factories import make_organisation, make_service
from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return sorted(service.title for service in response.context["results_page"].object_list)


@shared_fixture
def services():
    """Five services that differ in exactly one filterable way each from 'Literacy classes'."""
    almaty = make_organisation("KZ", title="Almaty Learning Centre", regions=["KZ-75"])
    erbil = make_organisation("IQ", title="Erbil Family House", regions=["IQ-AR"])
    return {
        "literacy": make_service(almaty, title="Literacy classes", languages=["kk", "ru"], minimum_age=16),
        "welding": make_service(
            almaty,
            title="Welding course",
            categories=["vocational-training"],
            languages=["ru"],
            regions=["KZ-19"],
            sex_served="male",
            minimum_age=18,
            maximum_age=45,
            capacity="waitlist",
        ),
        "counselling": make_service(
            almaty,
            title="Online counselling",
            categories=["psychosocial"],
            languages=["kk"],
            delivery="remote",
            capacity="full",
            description="Talk to a counsellor by video.",
        ),
        "mothers": make_service(
            erbil,
            title="Mothers and children support",
            categories=["family-support", "women"],
            languages=["ar", "ckb"],
            sex_served="female",
            delivery="both",
            sensitive=["returnees"],
        ),
        "children": make_service(
            erbil,
            title="Homework club",
            categories=["children", "education"],
            languages=["ar"],
            minimum_age=6,
            maximum_age=14,
        ),
    }


def test_without_filters_lists_every_live_service(client, services):
    response = client.get("/directory/")
    assert response.status_code == 200
    assert titles(response) == sorted(service.title for service in services.values())
    assert response.context["result_count"] == 5


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("country=IQ", ["Homework club", "Mothers and children support"]),
        ("category=education", ["Homework club", "Literacy classes"]),
        ("category=vocational-training", ["Welding course"]),
        ("language=ckb", ["Mothers and children support"]),
        ("language=ru", ["Literacy classes", "Welding course"]),
        ("sex=female", ["Homework club", "Literacy classes", "Mothers and children support", "Online counselling"]),
        ("sex=male", ["Homework club", "Literacy classes", "Online counselling", "Welding course"]),
        ("age=10", ["Homework club", "Mothers and children support", "Online counselling"]),
        ("age=50", ["Literacy classes", "Mothers and children support", "Online counselling"]),
        ("delivery=remote", ["Mothers and children support", "Online counselling"]),
        ("delivery=in_person", ["Homework club", "Literacy classes", "Mothers and children support", "Welding course"]),
        ("accepting=on", ["Homework club", "Literacy classes", "Mothers and children support"]),
        ("q=counsellor", ["Online counselling"]),
        ("q=Erbil", ["Homework club", "Mothers and children support"]),
        ("country=KZ&category=education&age=30&accepting=on", ["Literacy classes"]),
    ],
)
def test_each_filter_narrows_the_results(client, services, query, expected):
    response = client.get(f"/directory/?{query}")
    assert response.status_code == 200
    assert titles(response) == expected
    assert response.context["result_count"] == len(expected)


def test_region_matches_the_service_regions_or_else_the_organisations(client, services):
    # Welding names KZ-19 itself; the other Almaty services name none and inherit KZ-75.
    assert titles(client.get("/directory/?region=KZ-19")) == ["Welding course"]
    assert titles(client.get("/directory/?region=KZ-75")) == ["Literacy classes", "Online counselling"]


def test_no_results_gives_guidance(client, services):
    response = client.get("/directory/?country=TJ")
    assert response.context["result_count"] == 0
    assert "No service matches all of these filters." in response.content.decode()
    assert 'href="/directory/"' in response.content.decode()


def test_invalid_filter_values_are_explained_not_ignored_silently(client, services):
    response = client.get("/directory/?age=old&category=no-such-category")
    assert response.status_code == 200
    form = response.context["form"]
    assert set(form.errors) == {"age", "category"}
    assert "Enter a number." in response.content.decode()


def test_pages_keep_the_filters_in_their_links(client):
    organisation = make_organisation("KG", title="Bishkek Jobs")
    for number in range(23):
        make_service(organisation, title=f"Job club {number:02}", categories=["employment"])
    first = client.get("/directory/?category=employment")
    assert len(first.context["results_page"].object_list) == 20
    assert 'href="?category=employment&amp;page=2"' in first.content.decode()
    second = client.get("/directory/?category=employment&page=2")
    assert titles(second) == ["Job club 20", "Job club 21", "Job club 22"]


def test_unpublished_services_are_neither_listed_nor_served(client, services):
    services["welding"].unpublish()
    assert "Welding course" not in titles(client.get("/directory/"))
    assert client.get(services["welding"].url).status_code == 404


def test_the_public_never_sees_staff_only_attributes(client, services):
    for url in ["/directory/", services["mothers"].url, services["mothers"].organisation.url]:
        body = client.get(url).content.decode()
        assert "Experienced with returnees" not in body, url


def test_signed_in_staff_see_staff_only_attributes(client, services):
    worker = User.objects.create_user("worker", password="a-long-password-1")
    add_membership(worker, services["literacy"].organisation, Role.CSO_CASEWORKER)
    client.force_login(worker)
    for url in ["/directory/", services["mothers"].url]:
        assert "Experienced with returnees" in client.get(url).content.decode(), url


def test_a_signed_in_user_without_membership_is_not_staff(client, services):
    client.force_login(User.objects.create_user("visitor", password="a-long-password-1"))
    assert "Experienced with returnees" not in client.get(services["mothers"].url).content.decode()


def test_detail_pages_show_the_service_and_its_organisation(client, services):
    service = services["welding"]
    body = client.get(service.url).content.decode()
    assert "Welding course" in body
    assert "Almaty Learning Centre" in body
    assert "ages 18–45" in body
    organisation_body = client.get(service.organisation.url).content.decode()
    assert "Literacy classes" in organisation_body and "Welding course" in organisation_body
    assert "Homework club" not in organisation_body


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("url", ["/directory/", "/directory/?category=education&language=kk&accepting=on"])
def test_query_count_does_not_grow_with_the_number_of_services(client, url):
    organisation = make_organisation("KZ", title="Astana Open Doors", regions=["KZ-71"])
    for number in range(10):
        make_service(organisation, title=f"Course {number:03}", languages=["kk", "ru"], sensitive=["returnees"])
    staff = User.objects.create_user("staff", password="a-long-password-1")
    add_membership(staff, organisation, Role.CSO_CASEWORKER)
    client.get(url)  # warm Wagtail's site cache
    with_ten = queries_for(client, url)
    for number in range(10, 60):  # more than two full pages (portal.foundation.listing.PAGE_SIZE)
        make_service(organisation, title=f"Course {number:03}", languages=["kk", "ru"], sensitive=["returnees"])
    assert queries_for(client, url) == with_ten
    # Wagtail routing 7, count + page + 2 prefetches, 2 prefetches of the translations into the visitor's language,
    # 3 filter choice lists, 2 lookups
    assert with_ten <= 18
    client.force_login(staff)
    client.get(url)
    staff_queries = queries_for(client, url)
    for number in range(60, 70):
        make_service(organisation, title=f"Course {number:03}", languages=["kk"], sensitive=["returnees"])
    assert queries_for(client, url) == staff_queries


@pytest.mark.parametrize(("language", "direction"), [("ar", "rtl"), ("ckb", "rtl"), ("ru", "ltr"), ("en", "ltr")])
def test_html_lang_and_dir_follow_the_active_language(client, language, direction):
    client.cookies["django_language"] = language
    body = client.get("/directory/").content.decode()
    assert f'<html lang="{language}" dir="{direction}">' in body


def region_choices(response) -> list:
    return list(response.context["form"].fields["region"].widget.choices)


def test_regions_follow_the_chosen_country(client, services):
    choices = region_choices(client.get("/directory/?country=IQ"))
    codes = [str(value) for value, _label in choices if value]
    assert "IQ-AR" in codes
    assert all(code.startswith("IQ-") for code in codes)
    assert len(codes) == 18


def test_without_a_country_the_regions_are_grouped_by_country(client, services):
    choices = region_choices(client.get("/directory/"))
    groups = {label: options for label, options in choices if isinstance(options, list)}
    assert set(groups) == {"Iraq", "Kazakhstan", "Kyrgyzstan", "Tajikistan"}
    assert ("TJ-DU", "Dushanbe (city)") in groups["Tajikistan"]
    assert len(groups["Tajikistan"]) == 5
    body = client.get("/directory/").content.decode()
    assert '<optgroup label="Kazakhstan">' in body


def test_a_region_of_another_country_is_refused_with_a_reason(client, services):
    response = client.get("/directory/?country=IQ&region=KZ-75")
    assert set(response.context["form"].errors) == {"region"}
    assert "Almaty (city) is not a region of Iraq." in response.content.decode()


def test_an_empty_result_says_which_filter_emptied_it(client, services, django_assert_max_num_queries):
    client.get("/directory/")  # warm Wagtail's site cache
    with django_assert_max_num_queries(16 + 3):  # the listing, plus one count per active filter
        response = client.get("/directory/?country=KZ&language=ar&accepting=on")
    assert response.context["result_count"] == 0
    body = response.content.decode()
    assert "Without “Country: Kazakhstan” there would be 2 services." in body
    assert 'href="?language=ar&amp;accepting=on"' in body
    assert "Without “Language: Arabic” there would be 1 service." in body
    assert 'href="?country=KZ&amp;accepting=on"' in body
    assert "Without “Accepting referrals now”" not in body  # still nothing without it


# Search across scripts and word forms (portal.foundation.text_search) ---------------------------


@shared_fixture
def multilingual():
    """Services written in English, Russian, Kazakh, Tajik and Arabic, one of them unpublished.

    Only "Identity documents" and the unpublished one are in "Legal aid and documents": the
    category's name is part of what a service is found by.
    """
    almaty = make_organisation("KZ", title="Almaty Legal Aid", regions=["KZ-75"])
    dushanbe = make_organisation("TJ", title="Dushanbe Rights Centre")
    baghdad = make_organisation("IQ", title="Baghdad Family House", local_name="بيت العائلة")
    services = {
        "identity": make_service(
            almaty,
            title="Identity documents",
            categories=["legal-aid"],
            description="Help to obtain national ID cards and birth certificates.",
        ),
        "consultation": make_service(
            almaty,
            title="Юридическая консультация",
            categories=["employment"],
            description="Legal advice.",
            description_local="Восстановление документов и паспорта после освобождения.",
        ),
        "kazakh": make_service(
            almaty, title="Құжаттар бойынша көмек", categories=["employment"], description="Help with papers."
        ),
        "tajik": make_service(
            dushanbe,
            title="Legal aid in Dushanbe",
            categories=["employment"],
            description="Lawyers for returnees.",
            description_local="Барқарорсозии ҳуҷҷатҳо ва шиноснома.",
        ),
        "housing": make_service(
            baghdad,
            title="Housing support",
            categories=["housing"],
            description="A place to stay after release.",
            description_local="المساعدة في السكن بعد الإفراج، وغرفة مؤقتة في مَسْكَنٍ آمِن.",
        ),
        "school": make_service(
            baghdad,
            title="Back to school",
            categories=["education"],
            description="Help to enrol children.",
            description_local="إعادة التسجيل في المدرسة وزيارة مستشفى الأطفال.",
        ),
        "hidden": make_service(
            almaty, title="Unpublished documents desk", categories=["legal-aid"], description="ID card help."
        ),
    }
    services["hidden"].unpublish()
    return services


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # Word forms by stem ("documents" ↔ "document"), by word start ("ID" ↔ "identity"), and across
        # scripts: "documents" and "документов" fold to the same Latin "dokument…".
        ("documents", ["Identity documents", "Юридическая консультация"]),
        ("document", ["Identity documents", "Юридическая консультация"]),
        ("ID card", ["Identity documents"]),
        ("документы", ["Identity documents", "Юридическая консультация"]),
        # A Latin spelling finding the Cyrillic title.
        ("yuridicheskaya", ["Юридическая консультация"]),
        ("konsultatsiya", ["Юридическая консультация"]),
        # Kazakh and Tajik, which PostgreSQL has no stemmer for, by prefix: other case endings.
        ("құжаттарды", ["Құжаттар бойынша көмек"]),
        ("құжат", ["Құжаттар бойынша көмек"]),
        ("ҳуҷҷатҳоро", ["Legal aid in Dushanbe"]),
        ("hujjat", ["Legal aid in Dushanbe"]),
        # Arabic: a word with the article in the text, diacritics on either side, letter variants.
        ("سكن", ["Housing support"]),
        ("سَكَن", ["Housing support"]),
        ("مسكن امن", ["Housing support"]),
        ("اعادة", ["Back to school"]),  # إعادة: alef with hamza below
        ("مستشفي", ["Back to school"]),  # مستشفى: alef maqsura as ya
        ("المدرسه", ["Back to school"]),  # المدرسة: ta marbuta as ha
        ("العائلـــة", ["Back to school", "Housing support"]),  # tatweel; the organisation's local name
        # Arabic and Latin spellings by their consonants.
        ("sakan", ["Housing support"]),
        # Every word must match.
        ("documents housing", []),
    ],
)
def test_keyword_search_finds_word_forms_across_scripts(client, multilingual, query, expected):
    response = client.get("/directory/", {"q": query})
    assert titles(response) == expected


def test_keyword_search_never_finds_unpublished_services(client, multilingual):
    assert titles(client.get("/directory/", {"q": "unpublished"})) == []
    assert "Unpublished documents desk" not in titles(client.get("/directory/", {"q": "desk"}))


def test_keyword_search_runs_in_a_fixed_number_of_queries(client, multilingual, django_assert_num_queries):
    client.get("/directory/")  # warm Wagtail's site cache
    queries = queries_for(client, "/directory/?q=documents")
    for number in range(30):
        make_service(multilingual["identity"].organisation, title=f"Documents desk {number:02}")
    directory_changed()  # the page is rendered again, not served from the directory cache
    with django_assert_num_queries(queries):
        response = client.get("/directory/?q=documents")
    assert response.context["result_count"] == 32  # and "Identity documents" and "Юридическая консультация"


def test_renaming_an_organisation_updates_what_its_services_are_found_by(client, multilingual):
    organisation = multilingual["identity"].organisation
    organisation.title = "Talapker Legal Clinic"
    organisation.save_revision().publish()
    found = titles(client.get("/directory/", {"q": "talapker"}))
    assert found == ["Identity documents", "Юридическая консультация", "Құжаттар бойынша көмек"]
    assert titles(client.get("/directory/", {"q": "Almaty"})) == []


def test_keyword_search_is_served_by_the_trigram_and_stem_indexes(multilingual):
    services = matching_services(ServicePage.objects.all(), "documents").values("pk")
    with connection.cursor() as cursor:  # a handful of rows: make the planner show what its indexes serve
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
    plan = services.explain()
    assert "service_search_trigrams" in plan, plan
    assert "service_search_stems" in plan, plan
