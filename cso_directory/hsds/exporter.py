"""Export the public directory as HSDS 3.0: JSON files and the same data as a CSV datapackage.

The JSON files hold what the HSDS API serves (fully nested organisations and services, the
taxonomies and their public terms); the CSV tables are those files flattened, so both forms
always agree and `import_hsds` reads either back.
"""

import csv
import json
from pathlib import Path
from typing import Any

from django.db import models

from cso_directory.hsds import serialise
from cso_directory.hsds.tables import MODELLED_FIELDS, MODELS, TABLE_FILES, flatten, model_field_name
from portal.foundation.exports import spreadsheet_safe

CSV_DIRECTORY = "csv"
# Frictionless Data field types, by model field class (checked in order: subclasses first).
FIELD_TYPES: list[tuple[type[models.Field], str]] = [
    (models.DateTimeField, "datetime"),
    (models.DateField, "date"),
    (models.TimeField, "time"),
    (models.IntegerField, "integer"),
    (models.FloatField, "number"),
]


def export_hsds(directory: Path) -> dict[str, int]:
    """Write the JSON files to `directory` and the datapackage to its `csv` folder; return the
    number of records per JSON file."""
    documents = public_documents()
    directory.mkdir(parents=True, exist_ok=True)
    for (file_name, _table), records in documents.items():
        write_json(directory / file_name, records)
    write_datapackage(directory / CSV_DIRECTORY, documents)
    return {file_name: len(records) for (file_name, _table), records in documents.items()}


def public_documents() -> dict[tuple[str, str], list[dict[str, Any]]]:
    """The export's JSON files: (file name, HSDS table of its records) → records."""
    organisations = list(serialise.with_organisation_details(serialise.public_organisations().order_by("title")))
    services = list(serialise.with_service_details(serialise.public_services().order_by("title")))
    attributes = serialise.public_attributes()
    return {
        ("organizations.json", "organization"): [serialise.organization(row, attributes) for row in organisations],
        ("services.json", "service"): [serialise.service(row, attributes) for row in services],
        ("taxonomies.json", "taxonomy"): [serialise.taxonomy(row) for row in serialise.public_taxonomies()],
        ("taxonomy_terms.json", "taxonomy_term"): [serialise.taxonomy_term(row) for row in serialise.public_terms()],
    }


def write_json(path: Path, records: list[dict[str, Any]]) -> None:
    path.write_text(json.dumps(records, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")


def write_datapackage(directory: Path, documents: dict[tuple[str, str], list[dict[str, Any]]]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    tables = flattened_tables(documents)
    for table, rows in tables.items():
        with (directory / TABLE_FILES[table]).open("w", encoding="utf-8", newline="") as stream:
            writer = csv.DictWriter(stream, fieldnames=MODELLED_FIELDS[table], extrasaction="ignore")
            writer.writeheader()
            writer.writerows({name: csv_cell(value) for name, value in row.items()} for row in rows.values())
    descriptor = {
        "name": "hsds",
        "profile": "tabular-data-package",
        "resources": [resource(table) for table in tables],
    }
    (directory / "datapackage.json").write_text(json.dumps(descriptor, indent=2) + "\n", encoding="utf-8")


def flattened_tables(documents: dict[tuple[str, str], list[dict[str, Any]]]) -> dict[str, dict[str, dict]]:
    """Every modelled table's rows by id, in HSDS table order; a row met twice is written once."""
    tables: dict[str, dict[str, dict]] = {table: {} for table in MODELLED_FIELDS}
    for (_file_name, document_table), records in documents.items():
        for record in records:
            for table, row in flatten(record, document_table):
                tables[table].setdefault(row["id"], {}).update(row)
    return {table: rows for table, rows in tables.items() if rows}


def csv_cell(value: Any) -> Any:
    """Whole numbers without a decimal point, as HSDS's own CSV files write them; text that a
    spreadsheet would run as a formula is written as text (`import_hsds` reads it back as it was)."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return spreadsheet_safe(value)


def resource(table: str) -> dict[str, Any]:
    return {
        "name": TABLE_FILES[table].removesuffix(".csv"),
        "path": TABLE_FILES[table],
        "profile": "tabular-data-resource",
        "schema": {
            "fields": [{"name": name, "type": field_type(table, name)} for name in MODELLED_FIELDS[table]],
            "primaryKey": "id",
        },
    }


def field_type(table: str, name: str) -> str:
    if (table, name) == ("service", "last_modified"):
        return "datetime"
    model_field = MODELS[table]._meta.get_field(model_field_name(table, name))
    return next((type_name for cls, type_name in FIELD_TYPES if isinstance(model_field, cls)), "string")
