"""The database ranks the suggestions: the same services, order and reasons as scoring every
eligible service in Python, while reading only the shown ones."""

import datetime
import itertools

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cso_directory.models import Language, Region
from referrals.actions import set_need
from referrals.suggestions import (
    SUGGESTION_LIMIT,
    eligible_services,
    rank,
    services_in_region,
    suggest_services,
)
from tests.factories import make_organisation, make_service, pathway
from tests.referrals.conftest import new_client

pytestmark = pytest.mark.django_db

VARIANTS = list(
    itertools.product(
        [["education"], ["employment"], ["education", "employment"]],
        [["kk"], ["ru"]],
        ["in_person", "remote"],
        ["accepting", "waitlist", "full"],
    )
)


def ranked_in_python(person) -> list[tuple[str, int, list[str]]]:
    """Every eligible service scored in Python, best first: what the page did before."""
    needs = {need.category_id: need for need in person.needs.select_related("category")}
    services = eligible_services(person, list(needs))
    in_region = services_in_region(services, person.region_of_return)
    languages = {language.code: language for language in person.languages.all()}
    ranked = [rank(service, person, needs, service.pk in in_region, languages) for service in services]
    ranked.sort(key=lambda suggestion: (-suggestion.score, suggestion.service.title))
    return [(s.service.title, s.score, s.reasons) for s in ranked]


def test_the_database_ranks_like_python_and_reads_only_the_shown_services(cast):
    person = new_client(
        cast,
        first_name="Nurlan",
        sex="male",
        birth_date=datetime.date(1990, 1, 1),
        region_of_return=Region.objects.get(code="KZ-75"),
    )
    person.languages.set(Language.objects.filter(code="kk"))
    set_need(cast.social_worker, person, category=pathway("education"), priority="high")
    set_need(cast.social_worker, person, category=pathway("employment"), priority="low")
    near = make_organisation("KZ", title="Near", regions=["KZ-75"])
    far = make_organisation("KZ", title="Far", regions=["KZ-19"])
    for number, (categories, languages, delivery, capacity) in enumerate(VARIANTS):
        make_service(
            near if number % 2 else far,
            title=f"Service {number:02}",
            categories=categories,
            languages=languages,
            delivery=delivery,
            capacity=capacity,
        )

    with CaptureQueriesContext(connection) as queries:
        suggestions = suggest_services(person)

    expected = ranked_in_python(person)[:SUGGESTION_LIMIT]
    assert [(s.service.title, s.score, s.reasons) for s in suggestions] == expected
    ranking = [query["sql"] for query in queries if 'AS "fit"' in query["sql"]]
    assert len(ranking) == 1 and ranking[0].endswith(f"LIMIT {SUGGESTION_LIMIT}")
