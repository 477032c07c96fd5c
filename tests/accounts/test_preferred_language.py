"""A signed-in user's choice of language is kept with their account and comes back on their next sign-in,
in another browser with no language cookie; the switcher names each language in that language."""

import pytest
from django.conf import settings
from django.contrib.auth.models import User
from django.core import mail
from django.utils import translation

from accounts.access import preferred_language
from accounts.actions import set_preferred_language

PASSWORD = "a-long-password-1"


@pytest.fixture
def worker(db) -> User:
    return User.objects.create_user("worker", password=PASSWORD, email="worker@example.org")


def sign_in(client):
    return client.post("/accounts/login/", {"username": "worker", "password": PASSWORD})


def switch_language(client, code: str):
    return client.post("/accounts/language/", {"language": code, "next": "/"})


def test_choosing_a_language_while_signed_in_keeps_it_as_the_users_preference(client, worker):
    sign_in(client)

    response = switch_language(client, "ar")

    assert response.status_code == 302
    assert preferred_language(worker) == "ar"


def test_choosing_a_language_signed_out_keeps_no_preference(client, worker):
    switch_language(client, "ru")

    assert preferred_language(worker) is None


def test_an_unknown_language_is_not_kept(client, worker):
    sign_in(client)
    switch_language(client, "ar")

    switch_language(client, "xx")

    assert preferred_language(worker) == "ar"


def test_the_next_sign_in_without_a_language_cookie_opens_in_the_preferred_language(client, worker, django_user_model):
    sign_in(client)
    switch_language(client, "ru")
    client.logout()
    client.cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)

    response = sign_in(client)

    assert response.cookies[settings.LANGUAGE_COOKIE_NAME].value == "ru"
    page = client.get("/")
    assert '<html lang="ru"' in page.content.decode()


def test_signing_in_without_a_preference_leaves_the_language_alone(client, worker):
    response = sign_in(client)

    assert settings.LANGUAGE_COOKIE_NAME not in response.cookies


@pytest.mark.parametrize(
    ("code", "own_name"),
    [
        ("en", "English"),
        ("ar", "العربية"),
        ("ckb", "کوردی"),
        ("ru", "Русский"),
        ("kk", "Қазақша"),
        ("ky", "Кыргызча"),
        ("tg", "Тоҷикӣ"),
    ],
)
def test_the_switcher_names_each_language_in_that_language(client, db, code, own_name):
    page = client.get("/").content.decode()

    assert f'<option value="{code}" lang="{code}"' in page
    assert f">{own_name}</option>" in page


def test_a_password_reset_e_mail_is_written_in_the_accounts_preferred_language(client, worker):
    set_preferred_language(worker, "ru")

    client.post("/accounts/password_reset/", {"email": "worker@example.org"})

    [email] = mail.outbox
    with translation.override("ru"):
        expected = translation.gettext("Choose a new password for %(site)s") % {"site": settings.WAGTAIL_SITE_NAME}
    assert email.subject == expected
    assert any("\u0400" <= letter <= "\u04ff" for letter in email.body)
