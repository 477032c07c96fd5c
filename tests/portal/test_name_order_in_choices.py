"""Every drop-down of regions or categories lists them in the order of the visitor's alphabet, not by their
English names: in Kazakh, Қарағанды comes after Кәсіптік and before Маңғыстау, never after Я."""

import re
from html import unescape

import pytest
from django.utils import translation

from cso_directory.models import OrganisationPage
from tests.portal.test_collation import KAZAKH_REGIONS
from tests.portal.test_untranslated_pages import build_world, render
from tests.shared_casts import shared_fixture

world = shared_fixture(build_world, name="world")

# The portal's pathways in Kazakh, ordered by hand: Ә after А, І after Ы, Қ after К.
KAZAKH_PATHWAYS = [
    "Әйелдерге арналған қызметтер",
    "Балаларға арналған қызметтер",
    "Баспана",
    "Білім беру және сауаттылық",
    "Денсаулық",
    "Діни диалог",
    "Жұмысқа орналасу",
    "Заң көмегі және құжаттар",
    "Кәсіптік оқыту",
    "Қаржылай қолдау",
    "Отбасын қолдау және отбасымен байланыс",
    "Психоәлеуметтік қолдау және кеңес беру",
]
KAZAKH_COUNTRIES = ["Ирак", "Қазақстан", "Қырғызстан", "Тәжікстан"]
OPTION = re.compile(r'<option value="([^"]+)"[^>]*>([^<]*)</option>')


def options(html: str, name: str) -> list[str]:
    """The names a drop-down `name` offers, the empty choice left out."""
    select = re.search(rf'<select name="{name}".*?</select>', html, re.S)
    assert select, name
    return [unescape(label) for _value, label in OPTION.findall(select.group())]


def in_kazakh(world, who: str | None, url: str) -> str:
    cast = world.cast
    return render(getattr(cast, who) if who else None, url.format(client=cast.client.pk), "kk")


@pytest.mark.parametrize(
    ("who", "url", "name"),
    [
        (None, "/directory/?country=KZ", "region"),
        ("social_worker", "/clients/new/", "region_of_return"),
        ("social_worker", "/clients/", "region"),
        ("coordinator", "/reporting/dashboards/referrals/?country=KZ", "region"),
    ],
)
def test_regions_are_offered_in_the_order_of_the_kazakh_alphabet(world, who, url, name):
    offered = options(in_kazakh(world, who, url), name)

    assert [region for region in offered if region in KAZAKH_REGIONS] == KAZAKH_REGIONS


@pytest.mark.parametrize(
    ("who", "url", "name"),
    [
        (None, "/directory/", "category"),
        ("caseworker", "/inbox/", "category"),
        ("social_worker", "/clients/{client}/", "category"),
        ("coordinator", "/reporting/dashboards/referrals/", "category"),
    ],
)
def test_categories_are_offered_in_the_order_of_the_kazakh_alphabet(world, who, url, name):
    assert options(in_kazakh(world, who, url), name) == KAZAKH_PATHWAYS


def test_with_no_country_chosen_the_directory_groups_regions_by_country_in_the_alphabets_order(world):
    html = in_kazakh(world, None, "/directory/")
    groups = re.findall(r'<optgroup label="([^"]+)">', html)

    assert groups == KAZAKH_COUNTRIES
    assert [region for region in options(html, "region") if region in KAZAKH_REGIONS] == KAZAKH_REGIONS


def test_the_admin_offers_an_organisations_regions_in_the_order_of_the_editors_alphabet(world):
    """The page editor's region choices (Wagtail's form of the page), not only the portal's own forms."""
    organisation = OrganisationPage.objects.filter(country="KZ").first()
    form_class = OrganisationPage.get_edit_handler().get_form_class()
    with translation.override("kk"):
        form = form_class(instance=organisation, parent_page=organisation.get_parent(), for_user=world.cast.coordinator)
        offered = [str(label) for _value, label in form.fields["regions"].widget.choices]

    assert [region for region in offered if region in KAZAKH_REGIONS] == KAZAKH_REGIONS
