"""Reference data every installation needs: regions, languages and the two portal taxonomies.

Loaded from the CSV files in `cso_directory/data/` after every `migrate` (see apps.py);
idempotent, keyed on codes and stable ids, so editing a file and migrating updates the rows.
"""

import csv
import uuid
from functools import cache
from pathlib import Path

from django.utils.translation import get_language

DATA_DIR = Path(__file__).resolve().parent / "data"
PATHWAYS_TAXONOMY_ID = uuid.UUID("6f1c8a7e-2b1d-4f0e-9a57-6f3d2c1b0a01")
STAFF_ATTRIBUTES_TAXONOMY_ID = uuid.UUID("6f1c8a7e-2b1d-4f0e-9a57-6f3d2c1b0a02")
OPEN_ELIGIBILITY_TAXONOMY_ID = uuid.UUID("6f1c8a7e-2b1d-4f0e-9a57-6f3d2c1b0a03")
TERM_ID_NAMESPACE = uuid.UUID("6f1c8a7e-2b1d-4f0e-9a57-6f3d2c1b0aff")


def read_rows(name: str) -> list[dict[str, str]]:
    with (DATA_DIR / name).open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def with_names(row: dict) -> dict:
    """The row with its `name_<language>` columns (not the English or local name) gathered as `names`."""
    names = {
        key.removeprefix("name_"): row.pop(key)
        for key in list(row)
        if key.startswith("name_") and key not in {"name_en", "name_local"}
    }
    return {**row, "names": names} if names else row


@cache
def pathway_names() -> dict[str, dict[str, str]]:
    """Each pathway's English name, with its names in the interface languages."""
    return {row["name"]: with_names(row).get("names", {}) for row in read_rows("pathways.csv")}


def pathway_in_active_language(english: str) -> str:
    """A pathway kept by its English name (in a referral's disclosure, a handover summary) in the active language."""
    return pathway_names().get(english, {}).get(get_language() or "", "") or english


def term_id(taxonomy_id: uuid.UUID, code: str) -> uuid.UUID:
    """A stable id per term, so every installation exports the same HSDS ids."""
    return uuid.uuid5(TERM_ID_NAMESPACE, f"{taxonomy_id}:{code}")


def load_reference_data(region_model, language_model, taxonomy_model, term_model) -> None:
    upsert(region_model, "code", [with_names(row) for row in read_rows("regions.csv")])
    upsert(language_model, "code", read_rows("languages.csv"))

    taxonomies = {
        OPEN_ELIGIBILITY_TAXONOMY_ID: (
            "Open Eligibility",
            "https://openeligibility.org",
            "open_eligibility.csv",
            False,
        ),
        PATHWAYS_TAXONOMY_ID: ("Reintegration pathways", "", "pathways.csv", False),
        STAFF_ATTRIBUTES_TAXONOMY_ID: ("Provider attributes for staff", "", "staff_attributes.csv", True),
    }
    rows = [{"id": taxonomy_id, "name": name, "uri": uri} for taxonomy_id, (name, uri, *_rest) in taxonomies.items()]
    upsert(taxonomy_model, "id", rows)
    terms = []
    for taxonomy_id, (name, _uri, filename, sensitive) in taxonomies.items():
        for row in read_rows(filename):
            broader = row.pop("open_eligibility", "")
            terms.append(
                {
                    "id": term_id(taxonomy_id, row["code"]),
                    **with_names(row),
                    "taxonomy_id": taxonomy_id,
                    "taxonomy_label": name,
                    "is_sensitive": sensitive,
                    "language": "en",
                    "parent_term_id": term_id(OPEN_ELIGIBILITY_TAXONOMY_ID, broader) if broader else None,
                }
            )
    upsert(term_model, "id", terms)


def upsert(model, key: str, rows: list[dict]) -> None:
    """Create the rows missing from `model` and correct the changed ones, keyed on `key`, in a few queries."""
    existing = model.objects.in_bulk([row[key] for row in rows], field_name=key)
    missing, changed = [], []
    for row in rows:
        instance = existing.get(row[key])
        if instance is None:
            missing.append(model(**row))
        elif any(getattr(instance, field) != value for field, value in row.items()):
            for field, value in row.items():
                setattr(instance, field, value)
            changed.append(instance)
    model.objects.bulk_create(missing)
    fields = sorted({field for row in rows for field in row} - {key})
    if changed and fields:
        model.objects.bulk_update(changed, fields)
