"""tests/shared_casts.py: a shared cast is built once, yet each test sees it as freshly built."""

import pytest
from django.contrib.auth.models import User

from tests.shared_casts import shared_fixture

pytestmark = pytest.mark.django_db
BUILDS = []


def build_people() -> dict[str, User]:
    BUILDS.append(build_people)
    return {"user": User.objects.create_user("shared-person", first_name="Asel")}


people = shared_fixture(build_people, name="people")


@pytest.mark.parametrize("attempt", [1, 2, 3])
def test_each_test_sees_the_cast_as_built_though_it_is_built_once(people, attempt):
    assert people["user"].first_name == "Asel"
    assert list(User.objects.values_list("username", "first_name")) == [("shared-person", "Asel")]
    assert len(BUILDS) == 1

    people["user"].first_name = f"Changed by test {attempt}"
    people["user"].save()
    User.objects.create_user(f"extra-{attempt}")


def test_a_test_without_the_cast_sees_none_of_it():
    assert not User.objects.exists()
