"""Every form, through templates/includes/form_fields.html: an error summary linked to the fields,
descriptions that exist, checkbox groups and date ranges in a fieldset, every input labelled."""

import pytest
from django.test import Client as HttpClient

from tests.aftercare.supervision_cast import build_cast, open_case
from tests.portal.page_parts import Elements

pytestmark = pytest.mark.django_db

TYPED_INPUTS = {"text", "date", "email", "password", "number", "checkbox", "radio", "file", "search", None}


@pytest.fixture
def cast():
    cast = build_cast()
    open_case(cast, officer=cast.officer)
    return cast


def page_as(user, url: str, data=None) -> Elements:
    """The page as `user` sees it; with `data`, the form posted there (sent back with errors: 400)."""
    http = HttpClient()
    http.force_login(user)
    response = http.post(url, data) if data is not None else http.get(url)
    assert response.status_code == (200 if data is None else 400)
    return Elements(response.content.decode())


def test_a_form_sent_back_with_errors_opens_with_a_summary_linking_to_each_field(cast):
    page = page_as(cast.social_worker, "/clients/new/", {"first_name": ""})

    [summary] = [element for element in page.all if "data-error-summary" in element["attrs"]]
    links = [element for element in page.all if element["tag"] == "a" and summary in element["ancestors"]]
    first_field = next(element for element in page.all if element["attrs"].get("class", "").startswith("field"))
    assert page.all.index(summary) < page.all.index(first_field)
    assert summary["attrs"]["tabindex"] == "-1"
    assert "First name: This field is required." in summary["text"]
    assert {link["attrs"]["href"] for link in links} >= {"#id_first_name", "#id_last_name", "#id_birth_date"}
    assert {link["attrs"]["href"][1:] for link in links} <= page.ids()


def test_the_sign_in_form_summarises_a_wrong_password(db):
    response = HttpClient().post("/accounts/login/", {"username": "nobody", "password": "wrong-password"})
    page = Elements(response.content.decode())

    [summary] = [element for element in page.all if "data-error-summary" in element["attrs"]]
    assert "Please enter a correct username and password" in summary["text"]


@pytest.mark.parametrize(
    ("who", "url", "data"),
    [
        ("social_worker", "/clients/", None),
        ("social_worker", "/clients/new/", None),
        ("social_worker", "/clients/new/", {"first_name": ""}),
        ("social_worker", "/clients/new/", {"first_name": "Aigerim", "birth_date": "not a date"}),
        ("caseworker", "/inbox/", None),
        ("officer", "/caseload/", None),
    ],
)
def test_every_aria_describedby_points_at_ids_on_the_page(cast, who, url, data):
    page = page_as(getattr(cast, who), url, data)

    described = [element for element in page.all if "aria-describedby" in element["attrs"]]
    referenced = {name for element in described for name in element["attrs"]["aria-describedby"].split()}
    assert referenced <= page.ids()


def test_a_field_with_errors_is_described_by_them(cast):
    page = page_as(cast.social_worker, "/clients/new/", {"first_name": ""})

    [first_name] = page.find("input", name="first_name")
    assert first_name["attrs"]["aria-invalid"] == "true"
    described_by = first_name["attrs"]["aria-describedby"].split()
    [errors] = [element for element in page.all if element["attrs"].get("id") in described_by]
    assert "This field is required." in errors["text"]


def test_checkbox_groups_sit_in_a_fieldset_whose_legend_is_the_field_label(cast):
    page = page_as(cast.social_worker, "/clients/new/")

    checkboxes = page.find("input", type="checkbox", name="languages")
    assert checkboxes
    for checkbox in checkboxes:
        [fieldset] = [element for element in checkbox["ancestors"] if element["tag"] == "fieldset"]
        [legend] = [element for element in page.all if element["tag"] == "legend" and fieldset in element["ancestors"]]
        assert legend["text"].strip() == "Languages"


@pytest.mark.parametrize(
    ("who", "url", "legend"),
    [
        ("social_worker", "/clients/", "Expected release between"),
        ("caseworker", "/inbox/", "Sent between"),
        ("officer", "/caseload/", "Released between"),
    ],
)
def test_every_filter_input_has_a_label_and_the_dates_a_legend(cast, who, url, legend):
    page = page_as(getattr(cast, who), url)

    inputs = [element for element in page.find("input") if element["attrs"].get("type") in TYPED_INPUTS]
    inputs += page.find("select")
    labelled = {label["attrs"].get("for") for label in page.find("label")}
    assert [element["attrs"]["name"] for element in inputs if element["attrs"].get("id") not in labelled] == []
    dates = page.find("input", type="date")
    assert len(dates) == 2
    assert [
        label["text"] for label in page.find("label") if label["attrs"]["for"] in {d["attrs"]["id"] for d in dates}
    ] == [
        "From",
        "To",
    ]
    [fieldset] = {id(a): a for d in dates for a in d["ancestors"] if a["tag"] == "fieldset"}.values()
    assert [e["text"] for e in page.all if e["tag"] == "legend" and fieldset in e["ancestors"]] == [legend]


def test_the_messages_list_is_a_plain_list_inside_a_status_region(cast):
    case = open_case(cast, first_name="Ayan")
    http = HttpClient()
    http.force_login(cast.social_worker)
    page = Elements(http.get(f"/clients/{case.client.pk}/handover/", follow=True).content.decode())

    [messages] = page.find("ul", **{"class": "messages"})
    assert "role" not in messages["attrs"]
    assert any(ancestor["attrs"].get("role") == "status" for ancestor in messages["ancestors"])
    assert "This client has already been handed over." in messages["text"]
