"""The HSDS 3.0 tables, which of their fields the portal keeps, and how nested HSDS JSON maps onto them.

Import, export and the tests share these definitions. `flatten` turns any HSDS JSON record,
however deeply nested, into rows per table, with the links that nesting implies filled in: a
JSON file and a CSV datapackage therefore import the same way, and the CSV export is the JSON
export flattened.
"""

from collections.abc import Iterator
from typing import Any

from django.db import models

from cso_directory.models import (
    Address,
    Attribute,
    Contact,
    LanguageSupport,
    Location,
    OrganisationPage,
    Phone,
    Schedule,
    ServiceArea,
    ServiceAtLocation,
    ServicePage,
    Taxonomy,
    TaxonomyTerm,
)

# Every HSDS 3.0 table and its file in the tabular (CSV datapackage) form.
TABLE_FILES = {
    "organization": "organizations.csv",
    "service": "services.csv",
    "location": "locations.csv",
    "service_at_location": "service_at_location.csv",
    "address": "addresses.csv",
    "phone": "phones.csv",
    "contact": "contacts.csv",
    "schedule": "schedules.csv",
    "service_area": "service_areas.csv",
    "language": "languages.csv",
    "taxonomy": "taxonomies.csv",
    "taxonomy_term": "taxonomy_terms.csv",
    "attribute": "attributes.csv",
    "accessibility": "accessibility.csv",
    "cost_option": "cost_options.csv",
    "funding": "funding.csv",
    "metadata": "metadata.csv",
    "meta_table_description": "meta_table_descriptions.csv",
    "organization_identifier": "organization_identifiers.csv",
    "program": "programs.csv",
    "required_document": "required_documents.csv",
}

# The fields the portal keeps, per table, in HSDS's column order. Tables not named here are not
# modelled at all; fields not named here are listed in the import report.
MODELLED_FIELDS: dict[str, tuple[str, ...]] = {
    "taxonomy": ("id", "name", "description", "uri", "version"),
    "taxonomy_term": (
        "id",
        "code",
        "name",
        "description",
        "parent_id",
        "taxonomy",
        "language",
        "taxonomy_id",
        "term_uri",
    ),
    "organization": ("id", "name", "alternate_name", "description", "email", "website"),
    "service": (
        "id",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "url",
        "email",
        "status",
        "interpretation_services",
        "application_process",
        "fees_description",
        "eligibility_description",
        "minimum_age",
        "maximum_age",
        "alert",
        "last_modified",
    ),
    "location": (
        "id",
        "location_type",
        "url",
        "organization_id",
        "name",
        "alternate_name",
        "description",
        "transportation",
        "latitude",
        "longitude",
        "external_identifier",
        "external_identifier_type",
    ),
    "service_at_location": ("id", "service_id", "location_id", "description"),
    "address": (
        "id",
        "location_id",
        "attention",
        "address_1",
        "address_2",
        "city",
        "region",
        "state_province",
        "postal_code",
        "country",
        "address_type",
    ),
    "contact": (
        "id",
        "organization_id",
        "service_id",
        "service_at_location_id",
        "location_id",
        "name",
        "title",
        "department",
        "email",
    ),
    "phone": (
        "id",
        "location_id",
        "service_id",
        "organization_id",
        "contact_id",
        "service_at_location_id",
        "number",
        "extension",
        "type",
        "description",
    ),
    "schedule": (
        "id",
        "service_id",
        "location_id",
        "service_at_location_id",
        "valid_from",
        "valid_to",
        "dtstart",
        "timezone",
        "until",
        "count",
        "wkst",
        "freq",
        "interval",
        "byday",
        "byweekno",
        "bymonthday",
        "byyearday",
        "description",
        "opens_at",
        "closes_at",
        "schedule_link",
        "attending_type",
        "notes",
    ),
    "service_area": ("id", "service_id", "name", "description", "extent", "extent_type", "uri"),
    "language": ("id", "service_id", "location_id", "phone_id", "name", "code", "note"),
    "attribute": ("id", "link_id", "taxonomy_term_id", "link_type", "link_entity", "value"),
}

MODELS: dict[str, type[models.Model]] = {
    "taxonomy": Taxonomy,
    "taxonomy_term": TaxonomyTerm,
    "organization": OrganisationPage,
    "service": ServicePage,
    "location": Location,
    "service_at_location": ServiceAtLocation,
    "address": Address,
    "contact": Contact,
    "phone": Phone,
    "schedule": Schedule,
    "service_area": ServiceArea,
    "language": LanguageSupport,
    "attribute": Attribute,
}

# Where an HSDS field is called differently in the portal; every other field keeps its HSDS name
# (`organization_id` is spelt `organisation_id`, as everywhere in the portal).
MODEL_FIELD_NAMES = {
    "organization": {"id": "hsds_id", "name": "title", "alternate_name": "local_name"},
    "service": {"id": "hsds_id", "name": "title", "alternate_name": "local_name", "url": "website"},
    "taxonomy_term": {"parent_id": "parent_term_id", "taxonomy": "taxonomy_label"},
}

# Links between tables: HSDS field → (model, the model field holding the HSDS id).
LINKS: dict[str, tuple[type[models.Model], str]] = {
    "organization_id": (OrganisationPage, "hsds_id"),
    "service_id": (ServicePage, "hsds_id"),
    "location_id": (Location, "id"),
    "contact_id": (Contact, "id"),
    "service_at_location_id": (ServiceAtLocation, "id"),
    "phone_id": (Phone, "id"),
    "taxonomy_id": (Taxonomy, "id"),
    "taxonomy_term_id": (TaxonomyTerm, "id"),
}

# Links a row cannot do without; any other link that points nowhere is dropped and reported.
REQUIRED_LINKS = {
    "service": {"organization_id"},
    "service_at_location": {"service_id", "location_id"},
    "address": {"location_id"},
    "service_area": {"service_id"},
    "attribute": {"taxonomy_term_id"},
}

# The link type of the attributes that stand for a service's categories (`ServicePage.categories`).
CATEGORY_LINK_TYPE = "category"

# Fields the portal writes itself: exported, never taken from an import.
PORTAL_SET_FIELDS = {"service": {"last_modified"}}

# Arrays of child records, per parent table: key → (child table, the child's link to the parent).
CHILD_LISTS: dict[str, dict[str, tuple[str, str]]] = {
    "organization": {
        "funding": ("funding", "organization_id"),
        "contacts": ("contact", "organization_id"),
        "phones": ("phone", "organization_id"),
        "locations": ("location", "organization_id"),
        "programs": ("program", "organization_id"),
        "organization_identifiers": ("organization_identifier", "organization_id"),
        "services": ("service", "organization_id"),
    },
    "service": {
        "phones": ("phone", "service_id"),
        "schedules": ("schedule", "service_id"),
        "service_areas": ("service_area", "service_id"),
        "service_at_locations": ("service_at_location", "service_id"),
        "languages": ("language", "service_id"),
        "funding": ("funding", "service_id"),
        "cost_options": ("cost_option", "service_id"),
        "required_documents": ("required_document", "service_id"),
        "contacts": ("contact", "service_id"),
    },
    "service_at_location": {
        "contacts": ("contact", "service_at_location_id"),
        "phones": ("phone", "service_at_location_id"),
        "schedules": ("schedule", "service_at_location_id"),
    },
    "location": {
        "languages": ("language", "location_id"),
        "addresses": ("address", "location_id"),
        "contacts": ("contact", "location_id"),
        "accessibility": ("accessibility", "location_id"),
        "phones": ("phone", "location_id"),
        "schedules": ("schedule", "location_id"),
    },
    "contact": {"phones": ("phone", "contact_id")},
    "phone": {"languages": ("language", "phone_id")},
}

# Arrays any record may carry: key → (child table, the child's link to the parent's id, the
# child's field naming the parent's table).
GENERIC_CHILD_LISTS = {
    "attributes": ("attribute", "link_id", "link_entity"),
    "metadata": ("metadata", "resource_id", "resource_type"),
}

# Single nested records, per parent table: key → (nested table, the parent's link to it).
NESTED_RECORDS: dict[str, dict[str, tuple[str, str]]] = {
    "service": {"organization": ("organization", "organization_id"), "program": ("program", "program_id")},
    "service_at_location": {"location": ("location", "location_id"), "service": ("service", "service_id")},
    "attribute": {"taxonomy_term": ("taxonomy_term", "taxonomy_term_id")},
    "taxonomy_term": {"taxonomy_detail": ("taxonomy", "taxonomy_id")},
}


def model_field_name(table: str, field: str) -> str:
    if field in MODEL_FIELD_NAMES.get(table, {}):
        return MODEL_FIELD_NAMES[table][field]
    return "organisation_id" if field == "organization_id" else field


class NestingError(ValueError):
    """A nested value of the wrong shape, e.g. `phones` that is not a list of objects."""

    def __init__(self, table: str, record_id: Any, field: str, message: str):
        super().__init__(message)
        self.table, self.record_id, self.field = table, record_id, field


def flatten(record: dict[str, Any], table: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Yield (table, row) for the record and everything nested in it, parents first.

    A row holds the record's own fields plus the links its nesting implies (a phone inside a
    service gets `service_id`); a link the record states itself is kept as stated.
    """
    row: dict[str, Any] = {}
    nested: list[tuple[str, dict[str, Any]]] = []
    record_id = record.get("id")
    for key, value in record.items():
        if key in CHILD_LISTS.get(table, {}):
            child_table, link = CHILD_LISTS[table][key]
            nested += [(child_table, {link: record_id, **item}) for item in child_records(table, record_id, key, value)]
        elif key in GENERIC_CHILD_LISTS:
            child_table, link, entity = GENERIC_CHILD_LISTS[key]
            implied = {link: record_id, entity: table}
            nested += [(child_table, {**implied, **item}) for item in child_records(table, record_id, key, value)]
        elif key in NESTED_RECORDS.get(table, {}):
            child_table, link = NESTED_RECORDS[table][key]
            (child,) = child_records(table, record_id, key, [value])
            row.setdefault(link, child.get("id"))
            nested.append((child_table, child))
        else:
            row[key] = value
    yield table, row
    for child_table, child in nested:
        yield from flatten(child, child_table)


def child_records(table: str, record_id: Any, key: str, value: Any) -> list[dict[str, Any]]:
    if not isinstance(value, list) or not all(isinstance(item, dict) for item in value):
        raise NestingError(table, record_id, key, "expected an object or a list of objects")
    return value
