"""Password rules per ASVS 5.0 6.2: at least 12 characters, up to 128 (64 and more allowed), not a
common or breached password, and no composition rules."""

import pytest
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(db):
    return User.objects.create_user("staff", email="staff@example.org")


def refusals(password: str, user=None) -> list[str]:
    try:
        validate_password(password, user)
    except ValidationError as error:
        return error.messages
    return []


def test_eleven_characters_are_too_short_and_twelve_are_enough(staff):
    assert refusals("correcthors", staff)
    assert refusals("correcthorse", staff) == []


@pytest.mark.parametrize("length", [64, 100, 128])
def test_long_passphrases_up_to_128_characters_are_accepted(staff, length):
    assert refusals(("a quiet walk by the river " * 6)[:length], staff) == []


def test_more_than_128_characters_are_refused_with_a_clear_reason(staff):
    messages = refusals("x" * 110 + "a quiet walk by the river", staff)

    assert messages == ["This password is too long: it may have at most 128 characters."]


@pytest.mark.parametrize("password", ["password1234", "qwerty123456", "Qazwsxedcrfv"])
def test_common_and_breached_passwords_are_refused(staff, password):
    assert "This password is too common." in refusals(password, staff)


@pytest.mark.parametrize(
    "password",
    [
        "alllowercaseletters",  # no capital, digit or symbol is asked for
        "857203948571",  # digits only: a random 12-digit number is no weaker than 12 letters
        "ПАРОЛЬ НА РУССКОМ",  # any script, spaces included
        "كلمة السر الطويلة",
    ],
)
def test_no_composition_rules(staff, password):
    assert refusals(password, staff) == []
