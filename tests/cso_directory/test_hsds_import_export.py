"""`import_hsds` and `export_hsds` with Open Referral's official HSDS 3.0 examples.

The examples go in and come back out with the same content for every table and field the
portal models; whatever it does not model is named in the import report; bad input stops the
import with the file, record and field, and leaves the database as it was.
"""

import csv
import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from wagtail.models import Page

from cso_directory.hsds.tables import MODELLED_FIELDS, PORTAL_SET_FIELDS, TABLE_FILES, flatten
from cso_directory.models import CountryDirectoryPage, OrganisationPage, ServicePage, TaxonomyTerm
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID, STAFF_ATTRIBUTES_TAXONOMY_ID
from tests.factories import make_organisation, make_service, pathway

pytestmark = pytest.mark.django_db

EXAMPLES = Path(settings.BASE_DIR) / "cso_directory" / "hsds" / "vendor" / "examples"
SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
ORGANISATION_ID = "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"


def import_hsds(path: Path, *args: str) -> str:
    out = StringIO()
    call_command("import_hsds", str(path), *args, stdout=out)
    return out.getvalue()


def publish_hsds(path: Path, *args: str) -> str:
    """Import and publish at once, as a superuser: for the tests of what the export gives back."""
    if not User.objects.filter(username="importer").exists():
        User.objects.create_superuser("importer")
    return import_hsds(path, *args, "--publish", "--as", "importer")


def export_hsds(directory: Path) -> None:
    call_command("export_hsds", str(directory), stdout=StringIO())


def row_counts() -> dict[str, int]:
    return {model._meta.label: model.objects.count() for model in apps.get_app_config("cso_directory").get_models()}


def normal(value):
    """One spelling per value: no empty strings, numbers as floats, times with seconds."""
    if value in (None, ""):
        return None
    text = str(value)
    if re.fullmatch(r"\d\d:\d\d", text):
        return f"{text}:00"
    try:
        return float(text)
    except ValueError:
        return text


def json_tables(directory: Path) -> dict[str, dict[str, dict]]:
    """Rows per table of every HSDS JSON file in the directory, a record met again keeping its first values."""
    tables: dict[str, dict[str, dict]] = {}
    for file in sorted(directory.glob("*.json")):
        document = json.loads(file.read_text())
        if isinstance(document, dict) and all(key.endswith(".csv") for key in document):
            continue  # the tabular envelope: the CSV datapackage's content, compared in its own test
        records = document.get("contents", [document]) if isinstance(document, dict) else document
        if isinstance(document, dict) and "id" not in document and "contents" not in document:
            continue  # base.json describes an API, it holds no records
        table = table_of(file.stem.removesuffix("_full").removesuffix("_list"))
        for record in records:
            for row_table, row in flatten(record, table):
                merged = tables.setdefault(row_table, {}).setdefault(row["id"], {})
                for name, value in row.items():
                    merged.setdefault(name, value)
    return tables


def csv_tables(directory: Path) -> dict[str, dict[str, dict]]:
    tables = {}
    for table, file_name in TABLE_FILES.items():
        if (directory / file_name).exists():
            with (directory / file_name).open(encoding="utf-8", newline="") as stream:
                tables[table] = {row["id"]: row for row in csv.DictReader(stream)}
    return tables


def table_of(stem: str) -> str:
    return next(table for table, file_name in TABLE_FILES.items() if stem in (table, file_name.removesuffix(".csv")))


def kept_fields(table: str) -> list[str]:
    return [name for name in MODELLED_FIELDS[table] if name not in PORTAL_SET_FIELDS.get(table, set())]


def differences(expected: dict[str, dict[str, dict]], actual: dict[str, dict[str, dict]]) -> list[str]:
    """Every modelled field of every expected record that the actual data lacks or spells differently."""
    found = []
    for table in MODELLED_FIELDS:
        for record_id, row in expected.get(table, {}).items():
            actual_row = actual.get(table, {}).get(record_id)
            if actual_row is None:
                found.append(f"{table} {record_id} missing")
                continue
            found += [
                f"{table} {record_id} {name}: {row.get(name)!r} != {actual_row.get(name)!r}"
                for name in kept_fields(table)
                if normal(row.get(name)) != normal(actual_row.get(name))
            ]
    return found


def unmodelled_fields(tables: dict[str, dict[str, dict]]) -> set[tuple[str, str]]:
    return {
        (table, name)
        for table, rows in tables.items()
        for row in rows.values()
        for name, value in row.items()
        if value not in (None, "") and (table not in MODELLED_FIELDS or name not in kept_fields(table))
    }


def test_json_examples_round_trip_for_every_modelled_table_and_field(tmp_path):
    expected = json_tables(EXAMPLES)

    publish_hsds(EXAMPLES, "--country", "KZ")
    export_hsds(tmp_path)

    assert set(MODELLED_FIELDS) <= set(expected)  # the examples exercise every modelled table
    assert differences(expected, json_tables(tmp_path)) == []
    assert differences(expected, csv_tables(tmp_path / "csv")) == []


def test_csv_datapackage_round_trips_except_the_links_the_report_names_as_dropped(tmp_path):
    original = csv_tables(EXAMPLES / "csv")

    report = publish_hsds(EXAMPLES / "csv", "--country", "KZ")
    export_hsds(tmp_path)

    # The official CSV example links some rows to records it does not contain.
    dropped = {
        ("contact", "organization_id"),
        ("contact", "service_at_location_id"),
        ("location", "organization_id"),
        ("taxonomy_term", "taxonomy_id"),
    }
    for table, name in dropped:
        assert f"  {table} → {name} → 1" in report
        for row in original[table].values():
            row[name] = ""
    # Its one attribute describes a record it does not contain either: reported, not imported.
    assert "  attribute → link_id → 1" in report
    del original["attribute"]
    exported = csv_tables(tmp_path / "csv")
    assert "attribute" not in exported
    assert differences(original, exported) == []


@pytest.mark.parametrize("source", ["", "csv"])
def test_the_report_lists_every_table_and_field_the_portal_does_not_model(source):
    tables = csv_tables(EXAMPLES / source) if source else json_tables(EXAMPLES)

    report = import_hsds(EXAMPLES / source, "--country", "KZ")

    unmodelled = unmodelled_fields(tables)
    assert {("funding", "source"), ("service", "wait_time"), ("organization", "tax_status")} <= unmodelled
    for table, name in unmodelled:
        whole_table = " (whole table)" if table not in MODELLED_FIELDS else ""
        assert re.search(rf"^  {table}{re.escape(whole_table)} → {name} → \d+$", report, re.MULTILINE), (table, name)


def test_import_is_idempotent_on_hsds_ids():
    import_hsds(EXAMPLES, "--country", "KZ")
    counts = row_counts()
    pages = Page.objects.count()

    report = import_hsds(EXAMPLES, "--country", "KZ")

    assert row_counts() == counts
    assert Page.objects.count() == pages
    assert "  service: 0, 1" in report
    assert "  phone: 0, 1" in report


def test_published_pages_are_live_with_a_revision_under_the_countrys_directory():
    publish_hsds(EXAMPLES, "--country", "TJ")

    organisation = OrganisationPage.objects.get(hsds_id=ORGANISATION_ID)
    service = ServicePage.objects.get(hsds_id=SERVICE_ID)
    assert organisation.get_parent().specific == CountryDirectoryPage.objects.get(country="TJ")
    assert organisation.country == "TJ"
    assert service.get_parent().specific == organisation
    assert organisation.live and service.live
    assert organisation.latest_revision is not None and service.latest_revision is not None
    assert service.title == "Community Counselling"
    assert service.minimum_age == 12


def test_an_organisation_goes_to_the_country_of_its_address_and_only_that_countrys_import_takes_it(tmp_path):
    organisation = json.loads((EXAMPLES / "organization_full.json").read_text())
    organisation["locations"][0]["addresses"][0]["country"] = "kg"
    (tmp_path / "organization.json").write_text(json.dumps(organisation))
    counts = row_counts()

    with pytest.raises(CommandError) as refused:
        import_hsds(tmp_path / "organization.json", "--country", "IQ")
    assert f"organization.json, record {ORGANISATION_ID}: country: its address is in KG" in str(refused.value)
    assert row_counts() == counts

    import_hsds(tmp_path / "organization.json", "--country", "KG")
    assert OrganisationPage.objects.get(hsds_id=ORGANISATION_ID).country == "KG"


def test_without_a_country_the_import_asks_for_one_and_imports_nothing():
    counts = row_counts()

    with pytest.raises(CommandError) as error:
        import_hsds(EXAMPLES / "csv")

    assert "--country" in str(error.value)
    assert row_counts() == counts


def test_a_bad_value_names_file_record_and_field_and_leaves_the_database_unchanged(tmp_path):
    shutil.copytree(EXAMPLES / "csv", tmp_path, dirs_exist_ok=True)
    services = (tmp_path / "services.csv").read_text(encoding="utf-8")
    (tmp_path / "services.csv").write_text(services.replace(",12,100,", ",abc,100,"), encoding="utf-8")
    counts, pages = row_counts(), Page.objects.count()

    with pytest.raises(CommandError) as error:
        import_hsds(tmp_path, "--country", "KZ")

    assert f"services.csv, record {SERVICE_ID}: minimum_age: " in str(error.value)
    assert "abc" in str(error.value)
    # Taxonomies and the organisation were written before the service failed: all rolled back.
    assert row_counts() == counts
    assert Page.objects.count() == pages


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda service: service.update(phones="not a list"), "phones"),
        (lambda service: service.update(status="sleeping"), "status"),
        (lambda service: service["phones"][0].update(id="not-a-uuid"), "id"),
        (lambda service: service.pop("organization"), "organization_id"),
    ],
)
def test_bad_json_names_the_record_and_field(tmp_path, change, field):
    service = json.loads((EXAMPLES / "service_full.json").read_text())
    change(service)
    (tmp_path / "service.json").write_text(json.dumps(service))
    counts = row_counts()

    with pytest.raises(CommandError) as error:
        import_hsds(tmp_path / "service.json", "--country", "KZ")

    assert "service.json, record " in str(error.value)
    assert f": {field}: " in str(error.value)
    assert row_counts() == counts


def test_a_file_named_after_no_hsds_object_is_refused(tmp_path):
    (tmp_path / "stuff.json").write_text(json.dumps([{"id": SERVICE_ID}]))

    with pytest.raises(CommandError, match="stuff.json: cannot tell which HSDS object"):
        import_hsds(tmp_path / "stuff.json", "--country", "KZ")


def test_progress_is_shown_per_table():
    output = import_hsds(EXAMPLES, "--country", "KZ")

    assert "service: 1/1" in output
    assert "phone: 1/1" in output


def test_service_categories_travel_as_attributes_and_staff_only_terms_stay_home(tmp_path):
    organisation = make_organisation("KZ", title="Almaty Learning Centre")
    service = make_service(organisation, categories=["education", "employment"], sensitive=["returnees"])

    export_hsds(tmp_path)

    exported = json.loads((tmp_path / "services.json").read_text())[0]
    terms = {attribute["taxonomy_term"]["code"]: attribute for attribute in exported["attributes"]}
    assert set(terms) == {"education", "employment"}
    assert terms["education"]["link_type"] == "category"
    assert terms["education"]["taxonomy_term_id"] == str(pathway("education").id)
    staff_terms = TaxonomyTerm.objects.filter(taxonomy_id=STAFF_ATTRIBUTES_TAXONOMY_ID)
    for path in [*tmp_path.glob("*.json"), *tmp_path.glob("csv/*")]:
        for term in staff_terms:
            assert str(term.id) not in path.read_text(), path
            assert term.name not in path.read_text(), path

    # Re-imported elsewhere (here: after the categories were cleared), they become categories again.
    service.categories.clear()
    service.save()
    assert not ServicePage.objects.get(pk=service.pk).categories.exists()
    publish_hsds(tmp_path, "--country", "KZ")
    service = ServicePage.objects.get(pk=service.pk)
    assert set(service.categories.values_list("code", flat=True)) == {"education", "employment"}
    assert set(service.categories.values_list("taxonomy_id", flat=True)) == {PATHWAYS_TAXONOMY_ID}
