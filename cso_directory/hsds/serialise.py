"""HSDS 3.0 objects from the portal's records: one function per HSDS object.

The HSDS API and `export_hsds` both build their output here, from public data only: live,
public pages (the `public_*` querysets) and never a taxonomy term marked sensitive. Empty
optional fields are left out, as the HSDS schemas give no field a null value.

A service's categories live in `ServicePage.categories` and its languages in
`ServicePage.languages`; HSDS shows them as attributes and language objects, with ids derived
from the service and the term or language, so that every export gives them the same ids.

HSDS 3.0 has no translations. Given a `language` (the HSDS API is), an organisation or service
carries its translated texts (`name`, `description`, ...) in the standard fields wherever its
editors translated them into that language, the original text elsewhere, and says which is which
in the extension field `text_languages`: {"requested": "ar", "original": "en", "fields":
{"name": "ar", "description": "ar", "alert": "en"}} (every non-empty translatable field). A
taxonomy term the portal names in that language (its own pathways and attributes) carries that name
in `name` and the language in `language`; its `id` and `code` never change. The export, given no
language, writes the original texts and English names only, without the extension.
"""

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from datetime import date, time
from typing import Any

from django.db.models import Prefetch, QuerySet

from cso_directory.hsds.tables import CATEGORY_LINK_TYPE, MODEL_FIELD_NAMES, MODELLED_FIELDS, model_field_name
from cso_directory.models import (
    Attribute,
    Contact,
    Language,
    LanguageSupport,
    Location,
    OrganisationPage,
    Phone,
    ServiceAtLocation,
    ServicePage,
    Taxonomy,
    TaxonomyTerm,
)

HSDS_VERSION = "3.0"
DERIVED_ID_NAMESPACE = uuid.UUID("0b6c2f38-5a0e-4e57-9f43-3f0f6d1d6e10")

# Fields HSDS requires even when empty.
REQUIRED = {
    "taxonomy": ("id", "name", "description"),
    "taxonomy_term": ("id", "name", "description"),
    "organization": ("id", "name", "description"),
    "service": ("id", "name", "status"),
    "location": ("id", "location_type"),
    "address": ("id", "address_1", "city", "state_province", "postal_code", "country", "address_type"),
    "phone": ("id", "number"),
}

AttributeIndex = Mapping[uuid.UUID, list[Attribute]]


# Public data --------------------------------------------------------------------------------


def public_services() -> QuerySet[ServicePage]:
    return ServicePage.objects.live().public().filter(organisation__live=True)


def public_organisations() -> QuerySet[OrganisationPage]:
    return OrganisationPage.objects.live().public()


def public_service_at_locations() -> QuerySet[ServiceAtLocation]:
    return ServiceAtLocation.objects.filter(service__in=public_services())


def public_terms() -> QuerySet[TaxonomyTerm]:
    return TaxonomyTerm.objects.filter(is_sensitive=False).select_related("taxonomy")


def public_taxonomies() -> QuerySet[Taxonomy]:
    """Taxonomies with no sensitive term: a staff-only vocabulary stays out of sight entirely."""
    return Taxonomy.objects.exclude(terms__is_sensitive=True)


def public_attributes(link_ids: Iterable[uuid.UUID] | None = None) -> AttributeIndex:
    """The attributes describing the given records (all records if None), by described record."""
    attributes = Attribute.objects.filter(taxonomy_term__is_sensitive=False).select_related("taxonomy_term__taxonomy")
    if link_ids is not None:
        attributes = attributes.filter(link_id__in=list(link_ids))
    index: dict[uuid.UUID, list[Attribute]] = defaultdict(list)
    for attribute_row in attributes:
        index[attribute_row.link_id].append(attribute_row)
    return index


def phones_prefetch(lookup: str = "phones") -> Prefetch:
    return Prefetch(lookup, queryset=Phone.objects.prefetch_related("language_support"))


def contacts_prefetch(lookup: str = "contacts") -> Prefetch:
    return Prefetch(lookup, queryset=Contact.objects.prefetch_related(phones_prefetch()))


def location_prefetches(prefix: str = "") -> list[Prefetch]:
    return [
        Prefetch(f"{prefix}addresses"),
        Prefetch(f"{prefix}language_support"),
        Prefetch(f"{prefix}schedules"),
        phones_prefetch(f"{prefix}phones"),
        contacts_prefetch(f"{prefix}contacts"),
    ]


def with_service_at_location_details(
    service_at_locations: QuerySet[ServiceAtLocation],
) -> QuerySet[ServiceAtLocation]:
    """Everything `service_at_location` shows, fetched in a fixed number of queries."""
    return service_at_locations.select_related("location", "service__organisation").prefetch_related(
        "schedules", phones_prefetch(), contacts_prefetch(), *location_prefetches("location__")
    )


def with_service_details(services: QuerySet[ServicePage]) -> QuerySet[ServicePage]:
    """Everything `service` shows, fetched in a fixed number of queries."""
    service_at_locations = with_service_at_location_details(ServiceAtLocation.objects.all())
    return services.select_related("organisation").prefetch_related(
        Prefetch("categories", queryset=public_terms()),
        "languages",
        "language_support",
        "schedules",
        "service_areas",
        phones_prefetch(),
        contacts_prefetch(),
        Prefetch("service_at_locations", queryset=service_at_locations),
    )


def with_organisation_details(organisations: QuerySet[OrganisationPage]) -> QuerySet[OrganisationPage]:
    """Everything `organization` shows, fetched in a fixed number of queries."""
    lookups: list[Prefetch] = [
        phones_prefetch(),
        contacts_prefetch(),
        Prefetch("locations", queryset=Location.objects.prefetch_related(*location_prefetches())),
        Prefetch("services", queryset=public_services().order_by("title")),
    ]
    return organisations.prefetch_related(*lookups)


def attributes_of_services(services: Iterable[ServicePage]) -> AttributeIndex:
    ids = []
    for service_page in services:
        ids.append(service_page.hsds_id)
        for at_location in service_page.service_at_locations.all():
            ids += [at_location.id, at_location.location_id]
    return public_attributes(ids)


def attributes_of_organisations(organisations: Iterable[OrganisationPage]) -> AttributeIndex:
    ids = []
    for organisation_page in organisations:
        ids.append(organisation_page.hsds_id)
        ids += [location_row.id for location_row in organisation_page.locations.all()]
    return public_attributes(ids)


# Values -------------------------------------------------------------------------------------


def hsds_value(value: Any) -> Any:
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, date | time):
        return value.isoformat()
    return value


def compact(data: dict[str, Any], table: str) -> dict[str, Any]:
    """Leave out empty optional fields: HSDS has no nulls."""
    required = REQUIRED.get(table, ("id",))
    return {name: value for name, value in data.items() if name in required or value not in (None, "")}


def own_fields(record: Any, table: str, names: Iterable[str] | None = None) -> dict[str, Any]:
    """The record's HSDS fields that live on the record itself, by their HSDS names."""
    names = MODELLED_FIELDS[table] if names is None else names
    return {name: hsds_value(getattr(record, model_field_name(table, name))) for name in names}


def in_language(listing: OrganisationPage | ServicePage, table: str, text_language: str | None) -> dict[str, Any]:
    """The listing's translatable fields in `text_language` where translated, else the original, and
    the extension field saying the language of each; nothing when no language is asked for."""
    if text_language is None:
        return {}
    texts = listing.translated(text_language)
    hsds_names = {model_name: hsds_name for hsds_name, model_name in MODEL_FIELD_NAMES[table].items()}
    shown = {hsds_names.get(field, field): texts[field] for field in listing.translated_fields}
    return {
        **{name: text.value for name, text in shown.items()},
        "text_languages": {
            "requested": text_language,
            "original": texts.original_language,
            "fields": {name: text.language for name, text in shown.items() if text.value},
        },
    }


def derived_id(*parts: Any) -> str:
    return str(uuid.uuid5(DERIVED_ID_NAMESPACE, ":".join(map(str, parts))))


# Objects ------------------------------------------------------------------------------------


def taxonomy(taxonomy_row: Taxonomy) -> dict[str, Any]:
    return compact(own_fields(taxonomy_row, "taxonomy"), "taxonomy")


def term_name_in(term: TaxonomyTerm, text_language: str | None) -> dict[str, Any]:
    """The term's name in `text_language` with that language, where the portal names the term so; else nothing."""
    name = term.names.get(text_language, "") if text_language else ""
    return {"name": name, "language": text_language} if name else {}


def taxonomy_term(term: TaxonomyTerm, text_language: str | None = None) -> dict[str, Any]:
    data = {**own_fields(term, "taxonomy_term"), **term_name_in(term, text_language)}
    if term.taxonomy is not None:
        data["taxonomy_detail"] = taxonomy(term.taxonomy)
    return compact(data, "taxonomy_term")


def attribute(attribute_row: Attribute, text_language: str | None = None) -> dict[str, Any]:
    data = own_fields(attribute_row, "attribute")
    data["taxonomy_term"] = taxonomy_term(attribute_row.taxonomy_term, text_language)
    return compact(data, "attribute")


def category(service_page: ServicePage, term: TaxonomyTerm, text_language: str | None = None) -> dict[str, Any]:
    """A service category as an HSDS attribute of the service."""
    return {
        "id": derived_id(service_page.hsds_id, term.id),
        "link_id": str(service_page.hsds_id),
        "taxonomy_term_id": str(term.id),
        "link_type": CATEGORY_LINK_TYPE,
        "link_entity": "service",
        "taxonomy_term": taxonomy_term(term, text_language),
    }


def language(language_row: LanguageSupport) -> dict[str, Any]:
    return compact(own_fields(language_row, "language"), "language")


def vocabulary_language(service_page: ServicePage, language_row: Language) -> dict[str, Any]:
    """A language from the portal's vocabulary that the service is given in, as an HSDS language."""
    return {
        "id": derived_id(service_page.hsds_id, "language", language_row.code),
        "service_id": str(service_page.hsds_id),
        "name": language_row.name_en,
        "code": language_row.code,
    }


def phone(phone_row: Phone) -> dict[str, Any]:
    data = own_fields(phone_row, "phone")
    data["languages"] = [language(row) for row in phone_row.language_support.all()]
    return compact(data, "phone")


def contact(contact_row: Contact) -> dict[str, Any]:
    data = own_fields(contact_row, "contact")
    data["phones"] = [phone(row) for row in contact_row.phones.all()]
    return compact(data, "contact")


def schedule(schedule_row: Any) -> dict[str, Any]:
    return compact(own_fields(schedule_row, "schedule"), "schedule")


def service_area(area: Any) -> dict[str, Any]:
    return compact(own_fields(area, "service_area"), "service_area")


def address(address_row: Any) -> dict[str, Any]:
    return compact(own_fields(address_row, "address"), "address")


def location_fields(location_row: Location) -> dict[str, Any]:
    return compact(own_fields(location_row, "location"), "location")


def location(location_row: Location, attributes: AttributeIndex, text_language: str | None = None) -> dict[str, Any]:
    return {
        **location_fields(location_row),
        "languages": [language(row) for row in location_row.language_support.all()],
        "addresses": [address(row) for row in location_row.addresses.all()],
        "contacts": [contact(row) for row in location_row.contacts.all()],
        "phones": [phone(row) for row in location_row.phones.all()],
        "schedules": [schedule(row) for row in location_row.schedules.all()],
        "attributes": [attribute(row, text_language) for row in attributes.get(location_row.id, [])],
    }


def service_at_location_fields(at_location: ServiceAtLocation) -> dict[str, Any]:
    return compact(own_fields(at_location, "service_at_location"), "service_at_location")


def service_at_location(
    at_location: ServiceAtLocation, attributes: AttributeIndex, text_language: str | None = None
) -> dict[str, Any]:
    """A service at a location, as nested in a service."""
    return {
        **service_at_location_fields(at_location),
        "contacts": [contact(row) for row in at_location.contacts.all()],
        "phones": [phone(row) for row in at_location.phones.all()],
        "schedules": [schedule(row) for row in at_location.schedules.all()],
        "location": location(at_location.location, attributes, text_language),
        "attributes": [attribute(row, text_language) for row in attributes.get(at_location.id, [])],
    }


def service_at_location_summary(at_location: ServiceAtLocation, text_language: str | None = None) -> dict[str, Any]:
    """A service at a location as listed: its own fields, its location's and its service's."""
    return {
        **service_at_location_fields(at_location),
        "location": location_fields(at_location.location),
        "service": service_summary(at_location.service, text_language),
    }


def organization_fields(organisation_page: OrganisationPage, text_language: str | None = None) -> dict[str, Any]:
    data = own_fields(organisation_page, "organization")
    return compact({**data, **in_language(organisation_page, "organization", text_language)}, "organization")


def organization(
    organisation_page: OrganisationPage, attributes: AttributeIndex, text_language: str | None = None
) -> dict[str, Any]:
    return {
        **organization_fields(organisation_page, text_language),
        "contacts": [contact(row) for row in organisation_page.contacts.all()],
        "phones": [phone(row) for row in organisation_page.phones.all()],
        "locations": [location(row, attributes, text_language) for row in organisation_page.locations.all()],
        "services": [service_fields(row, organisation_page, text_language) for row in organisation_page.services.all()],
        "attributes": [attribute(row, text_language) for row in attributes.get(organisation_page.hsds_id, [])],
    }


def service_fields(
    service_page: ServicePage, organisation_page: OrganisationPage, text_language: str | None = None
) -> dict[str, Any]:
    names = [name for name in MODELLED_FIELDS["service"] if name not in ("organization_id", "last_modified")]
    data = own_fields(service_page, "service", names)
    data["organization_id"] = str(organisation_page.hsds_id)
    data["last_modified"] = service_page.last_published_at and service_page.last_published_at.isoformat()
    return compact({**data, **in_language(service_page, "service", text_language)}, "service")


def service_summary(service_page: ServicePage, text_language: str | None = None) -> dict[str, Any]:
    """A service as listed: its own fields and its organisation's."""
    return {
        **service_fields(service_page, service_page.organisation, text_language),
        "organization": organization_fields(service_page.organisation, text_language),
    }


def service(service_page: ServicePage, attributes: AttributeIndex, text_language: str | None = None) -> dict[str, Any]:
    """A service with everything HSDS nests in it (the organisation without its own details)."""
    languages = [language(row) for row in service_page.language_support.all()]
    given_codes = {row["code"] for row in languages if "code" in row}
    languages += [
        vocabulary_language(service_page, row) for row in service_page.languages.all() if row.code not in given_codes
    ]
    return {
        **service_summary(service_page, text_language),
        "phones": [phone(row) for row in service_page.phones.all()],
        "schedules": [schedule(row) for row in service_page.schedules.all()],
        "service_areas": [service_area(row) for row in service_page.service_areas.all()],
        "service_at_locations": [
            service_at_location(row, attributes, text_language) for row in service_page.service_at_locations.all()
        ],
        "languages": languages,
        "contacts": [contact(row) for row in service_page.contacts.all()],
        "attributes": [category(service_page, term, text_language) for term in service_page.categories.all()]
        + [attribute(row, text_language) for row in attributes.get(service_page.hsds_id, [])],
    }
