"""Import HSDS 3.0 data: JSON files (single records, lists, paged envelopes, the tabular
envelope) and CSV datapackages, into the directory.

Everything is read and merged first, then written in one transaction: any bad record stops the
import with an error naming the file, the record and the field, and leaves the database as it
was. Records are matched on their HSDS id, so importing the same data twice changes nothing.

An import is for the CSO listings of one country: a record naming a prison, a probation office
or any other organisation that is not a CSO of that country (or a service, location or detail of
one), or an organisation whose address is in another portal country, refuses the whole import
and is listed. Organisations become pages in the country's directory, services pages of their
organisation; each change is saved as a revision and submitted to the country's approval
workflow, unless `publish` (for the country's coordinators and superusers) publishes it at once,
bypassing moderation. Details (locations, phones, schedules, …) are rows, not revisions: a new or
changed detail of a live listing needs `publish`, or the import is refused naming it. What the
portal does not model is counted in the report, never dropped silently.
"""

import csv
import json
import uuid
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from anyascii import anyascii
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q, QuerySet
from django.utils.text import slugify
from wagtail.models import Page

from cso_directory.access import managed_countries
from cso_directory.hsds.tables import (
    CATEGORY_LINK_TYPE,
    LINKS,
    MODELLED_FIELDS,
    MODELS,
    PORTAL_SET_FIELDS,
    REQUIRED_LINKS,
    TABLE_FILES,
    NestingError,
    flatten,
    model_field_name,
)
from cso_directory.models import (
    Attribute,
    CountryDirectoryPage,
    OrganisationKind,
    OrganisationPage,
    ServicePage,
    TaxonomyTerm,
)
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID
from cso_directory.site_tree import ensure_directory_tree
from portal.foundation.countries import Country
from portal.foundation.exports import from_spreadsheet_safe
from portal.foundation.validators import validate_free_text

DETAIL_TABLES = (
    "location",
    "service_at_location",
    "address",
    "contact",
    "phone",
    "schedule",
    "service_area",
    "language",
)
# Records an attribute can describe in the portal's HSDS output.
DESCRIBED_TABLES = ("organization", "service", "location", "service_at_location")
JSON_SUFFIXES = ("_full", "_list")
PROGRESS_EVERY = 100
PAGE_TABLES = {OrganisationPage: "organization", ServicePage: "service"}
# The HSDS links by which a record names another (an attribute's `link_id` names any record).
SCOPE_LINKS = (*LINKS, "link_id")
REFUSED_SHOWN = 20

Progress = Callable[[str], None]


class HsdsImportError(Exception):
    """Bad input: names the file, and where known the record and the field."""

    def __init__(self, source: str, message: str, record_id: Any = None, field: str | None = None):
        self.source, self.message, self.record_id, self.field = source, message, record_id, field
        where = [source] + ([f"record {record_id}"] if record_id is not None else [])
        super().__init__(f"{', '.join(where)}: {field + ': ' if field else ''}{message}")


@dataclass
class Record:
    source: str
    values: dict[str, Any]


@dataclass
class Dataset:
    """Every record read, merged by table and id; a record given twice keeps its first values."""

    tables: dict[str, dict[uuid.UUID, Record]] = field(default_factory=lambda: defaultdict(dict))
    conflicts: set[tuple[str, str, uuid.UUID]] = field(default_factory=set)
    files_without_records: list[str] = field(default_factory=list)

    def add(self, table: str, values: dict[str, Any], source: str) -> None:
        record_id = required_uuid(values.get("id"), source, values.get("id") or None, "id")
        values = {key: value for key, value in values.items() if value not in (None, "")}
        existing = self.tables[table].get(record_id)
        if existing is None:
            self.tables[table][record_id] = Record(source, values)
            return
        for key, value in values.items():
            if key not in existing.values:
                existing.values[key] = value
            elif str(existing.values[key]) != str(value):
                self.conflicts.add((table, key, record_id))

    def records(self, table: str) -> dict[uuid.UUID, Record]:
        return self.tables.get(table, {})


@dataclass
class ImportReport:
    created: Counter[str] = field(default_factory=Counter)
    updated: Counter[str] = field(default_factory=Counter)
    unmodelled: Counter[tuple[str, str]] = field(default_factory=Counter)
    unmodelled_tables: set[str] = field(default_factory=set)
    unresolved: Counter[tuple[str, str]] = field(default_factory=Counter)
    conflicts: Counter[tuple[str, str]] = field(default_factory=Counter)
    files_without_records: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        lines = ["Imported (table: created, updated):"]
        lines += [f"  {table}: {self.created[table]}, {self.updated[table]}" for table in self.tables_written()]
        lines += section(
            "Not modelled by the portal, not imported (table → field → records):",
            self.unmodelled,
            lambda table: " (whole table)" if table in self.unmodelled_tables else "",
        )
        lines += section(
            "Links to records neither in the import nor in the portal, dropped (table → field → records):",
            self.unresolved,
        )
        lines += section(
            "Records given more than once with different values, first value kept (table → field → records):",
            self.conflicts,
        )
        if self.files_without_records:
            lines.append(f"Files without HSDS records, skipped: {', '.join(self.files_without_records)}")
        return lines

    def tables_written(self) -> list[str]:
        return sorted(set(self.created) | set(self.updated))


def section(title: str, counts: Counter[tuple[str, str]], note: Callable[[str], str] = lambda table: "") -> list[str]:
    if not counts:
        return []
    return [title] + [f"  {table}{note(table)} → {name} → {count}" for (table, name), count in sorted(counts.items())]


def import_hsds(
    path: Path,
    *,
    country: str,
    user: User | None = None,
    publish: bool = False,
    progress: Progress = lambda line: None,
) -> ImportReport:
    """Import the HSDS file, or every .json and .csv file of the directory, at `path`, into the
    CSO listings of `country`: as changes submitted for approval, or published at once by `user`."""
    if publish:
        require_publisher(user, country)
    dataset = read_dataset(path)
    report = ImportReport(
        conflicts=Counter((table, name) for table, name, _record_id in dataset.conflicts),
        files_without_records=dataset.files_without_records,
    )
    count_unmodelled(dataset, report)
    with transaction.atomic():
        refuse_records_out_of_scope(dataset, country)
        Importer(dataset, report, country, progress, user=user, publish=publish).run()
    return report


def require_publisher(user: User | None, country: str) -> None:
    """Publishing without moderation is for the country's national coordinators and superusers."""
    if user is None or country not in managed_countries(user):
        raise HsdsImportError(
            "--publish", f"bypasses moderation: only a national coordinator of {country} or a superuser may use it"
        )


# Reading ------------------------------------------------------------------------------------


def read_dataset(path: Path) -> Dataset:
    if not path.exists():
        raise HsdsImportError(str(path), "no such file or directory")
    files = (
        [path]
        if path.is_file()
        else sorted(
            file for file in path.iterdir() if file.suffix in (".json", ".csv") and file.name != "datapackage.json"
        )
    )
    if not files:
        raise HsdsImportError(str(path), "no .json or .csv files to import")
    dataset = Dataset()
    for file in files:
        if file.suffix == ".csv":
            read_csv(file, dataset)
        else:
            read_json(file, dataset)
    return dataset


def read_csv(file: Path, dataset: Dataset) -> None:
    """A CSV table; a cell the export wrote as text (spreadsheet-safe: '=...) gets its value back."""
    table = table_of_file(file.name, file.name)
    try:
        with file.open(encoding="utf-8-sig", newline="") as stream:
            for row in csv.DictReader(stream):
                if None in row:
                    raise HsdsImportError(file.name, "a row has more cells than the header names")
                dataset.add(table, {name: from_spreadsheet_safe(value) for name, value in row.items()}, file.name)
    except (csv.Error, UnicodeDecodeError) as error:
        raise HsdsImportError(file.name, f"not a valid CSV file: {error}") from None


def read_json(file: Path, dataset: Dataset) -> None:
    try:
        document = json.loads(file.read_text(encoding="utf-8"))
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise HsdsImportError(file.name, f"not valid JSON: {error}") from None
    except RecursionError:
        raise HsdsImportError(file.name, "the JSON is nested too deeply to be HSDS") from None
    if is_tabular_envelope(document):
        for file_name, rows in document.items():
            add_records(dataset, table_of_file(file_name, file.name), rows, file.name)
    elif isinstance(document, list):
        add_records(dataset, table_of_json(file), document, file.name)
    elif isinstance(document, dict) and isinstance(document.get("contents"), list):
        add_records(dataset, table_of_json(file), document["contents"], file.name)
    elif isinstance(document, dict) and "id" in document:
        add_records(dataset, table_of_json(file), [document], file.name)
    else:
        dataset.files_without_records.append(file.name)


def is_tabular_envelope(document: Any) -> bool:
    return isinstance(document, dict) and bool(document) and all(key.endswith(".csv") for key in document)


def add_records(dataset: Dataset, table: str, records: Any, source: str) -> None:
    if not isinstance(records, list) or not all(isinstance(record, dict) for record in records):
        raise HsdsImportError(source, f"expected a list of {table} objects")
    try:
        for record in records:
            for row_table, row in flatten(record, table):
                dataset.add(row_table, row, source)
    except NestingError as error:
        raise HsdsImportError(source, str(error), error.record_id, error.field) from None
    except RecursionError:
        raise HsdsImportError(source, "the records are nested too deeply to be HSDS") from None


def table_of_file(file_name: str, source: str) -> str:
    for table, table_file in TABLE_FILES.items():
        if file_name == table_file:
            return table
    raise HsdsImportError(source, f"{file_name} is not an HSDS table ({', '.join(sorted(TABLE_FILES.values()))})")


def table_of_json(file: Path) -> str:
    """The HSDS table a JSON file holds, told by its name: service.json, services.json, service_full.json."""
    stem = file.stem
    for suffix in JSON_SUFFIXES:
        stem = stem.removesuffix(suffix)
    for table, table_file in TABLE_FILES.items():
        if stem in (table, table_file.removesuffix(".csv")):
            return table
    raise HsdsImportError(
        file.name, "cannot tell which HSDS object the file holds: name it after one, e.g. services.json"
    )


def required_uuid(value: Any, source: str, record_id: Any, name: str) -> uuid.UUID:
    parsed = parse_uuid(value, source, record_id, name)
    if parsed is None:
        raise HsdsImportError(source, "is missing", record_id, name)
    return parsed


def parse_uuid(value: Any, source: str, record_id: Any, name: str) -> uuid.UUID | None:
    if value in (None, ""):
        return None
    try:
        return uuid.UUID(str(value))
    except ValueError:
        raise HsdsImportError(source, f"{value!r} is not a UUID", record_id, name) from None


def count_unmodelled(dataset: Dataset, report: ImportReport) -> None:
    for table, records in dataset.tables.items():
        kept = set(MODELLED_FIELDS.get(table, ())) - PORTAL_SET_FIELDS.get(table, set())
        if table not in MODELLED_FIELDS:
            report.unmodelled_tables.add(table)
        for record in records.values():
            report.unmodelled.update((table, name) for name in record.values if name not in kept)


# Scope --------------------------------------------------------------------------------------


def refuse_records_out_of_scope(dataset: Dataset, country: str) -> None:
    """Refuse the import, listing every record that is, or names, a listing outside the CSO
    listings of `country`: a prison's, a probation office's, another country's, or a detail of one."""
    outside = ids_outside_scope(country)
    refused = [
        f"{record.source}, record {record_id} ({table})"
        for table, records in dataset.tables.items()
        for record_id, record in records.items()
        if named_ids(record_id, record) & outside
    ]
    if refused:
        shown = "; ".join(refused[:REFUSED_SHOWN]) + ("; …" if len(refused) > REFUSED_SHOWN else "")
        message = (
            f"{len(refused)} records would change listings that are not CSO listings of {country} "
            f"(prisons, probation offices, other kinds of organisation, other countries): {shown}"
        )
        raise HsdsImportError("import", message)


def named_ids(record_id: uuid.UUID, record: Record) -> set[uuid.UUID]:
    """The record's own id and every id it links to."""
    linked = {record.values.get(name) for name in SCOPE_LINKS}
    return {record_id} | {parsed for value in linked if (parsed := loose_uuid(value)) is not None}


def loose_uuid(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except ValueError:
        return None


def ids_outside_scope(country: str) -> set[uuid.UUID]:
    """The HSDS ids of every record the portal holds outside the CSO listings of `country`."""
    organisations = OrganisationPage.objects.exclude(kind=OrganisationKind.CSO, country=country)
    ids = ids_of_listings(organisations, ServicePage.objects.filter(organisation__in=organisations))
    return ids | set(Attribute.objects.filter(link_id__in=ids).values_list("pk", flat=True))


def ids_of_live_listings(country: str) -> set[uuid.UUID]:
    """The HSDS ids of the live CSO listings of `country` and of the details (locations, phones, …)
    linked to them: what the public sees now."""
    organisations = OrganisationPage.objects.filter(kind=OrganisationKind.CSO, country=country, live=True)
    return ids_of_listings(organisations, ServicePage.objects.filter(organisation__in=organisations, live=True))


def ids_of_listings(organisations: QuerySet, services: QuerySet) -> set[uuid.UUID]:
    """The HSDS ids of `organisations`, `services` and every detail row linked to them."""
    linked: dict[type[models.Model], QuerySet] = {OrganisationPage: organisations, ServicePage: services}
    for table in DETAIL_TABLES:
        model = MODELS[table]
        links = links_to(model, linked)
        linked[model] = model._default_manager.filter(links) if links else model._default_manager.none()
    return {
        hsds_id
        for model, rows in linked.items()
        for hsds_id in rows.values_list("hsds_id" if issubclass(model, Page) else "pk", flat=True)
    }


def links_to(model: type[models.Model], outside: dict[type[models.Model], QuerySet]) -> Q | None:
    """Rows of `model` linked to any of the rows `outside` holds, per linked model."""
    query = None
    for model_field in model._meta.concrete_fields:
        related = model_field.related_model
        if isinstance(related, type) and related in outside:
            link = Q(**{f"{model_field.name}__in": outside[related]})
            query = link if query is None else query | link
    return query


# Writing ------------------------------------------------------------------------------------


class Importer:
    def __init__(
        self,
        dataset: Dataset,
        report: ImportReport,
        country: str,
        progress: Progress,
        *,
        user: User | None,
        publish: bool,
    ):
        self.dataset, self.report, self.country, self.progress = dataset, report, country, progress
        self.user, self.publish = user, publish
        self.live_ids = set() if publish else ids_of_live_listings(country)
        self.pages_to_publish: dict[type[Page], set[uuid.UUID]] = {OrganisationPage: set(), ServicePage: set()}
        # Pages that were live before, changed in their latest revision only, until approved.
        self.drafts: dict[uuid.UUID, Page] = {}
        self.service_terms: dict[uuid.UUID, dict[str, list[TaxonomyTerm]]] = defaultdict(lambda: defaultdict(list))

    def run(self) -> None:
        ensure_directory_tree()
        self.write_rows("taxonomy")
        self.write_rows("taxonomy_term")
        self.write_pages("organization", self.save_organisation)
        self.write_pages("service", self.save_service)
        for table in DETAIL_TABLES:
            self.write_rows(table)
        self.write_attributes()
        self.publish_pages()

    def each_record(self, table: str) -> Iterable[tuple[uuid.UUID, Record]]:
        records = self.dataset.records(table)
        for number, (record_id, record) in enumerate(records.items(), start=1):
            yield record_id, record
            if number % PROGRESS_EVERY == 0 or number == len(records):
                self.progress(f"{table}: {number}/{len(records)}")

    def write_rows(self, table: str) -> None:
        known = self.known_links(table)
        for record_id, record in self.each_record(table):
            values = self.model_values(table, record_id, record, known)
            if table in DETAIL_TABLES:
                self.refuse_unmoderated_detail(table, record_id, record, values)
            self.save_row(table, record_id, record, values)

    def refuse_unmoderated_detail(self, table: str, record_id: uuid.UUID, record: Record, values: dict) -> None:
        """Details (locations, phones, …) are rows, not page revisions: a change to one of a live
        listing would reach the public without approval, so only `publish` may make it."""
        if self.publish or not named_ids(record_id, record) & self.live_ids:
            return
        if MODELS[table]._default_manager.filter(pk=record_id, **values).exists():
            return  # unchanged
        message = (
            "changes a detail of a live listing, which the approval workflow cannot hold: "
            "import it with --publish (a national coordinator of the country)"
        )
        raise HsdsImportError(record.source, message, record_id)

    def save_row(self, table: str, record_id: uuid.UUID, record: Record, values: dict[str, Any]) -> None:
        try:
            _row, created = MODELS[table]._default_manager.update_or_create(pk=record_id, defaults=values)
        except IntegrityError as error:
            raise HsdsImportError(
                record.source, f"conflicts with a record the portal holds: {error}", record_id
            ) from None
        self.count(table, created)

    def write_pages(self, table: str, save: Callable[[uuid.UUID, Record, dict[str, Any]], bool]) -> None:
        known = self.known_links(table)
        for record_id, record in self.each_record(table):
            values = self.model_values(table, record_id, record, known)
            try:
                created = save(record_id, record, values)
            except ValidationError as error:
                raise validation_error(table, record_id, record, error) from None
            self.count(table, created)

    def save_organisation(self, hsds_id: uuid.UUID, record: Record, values: dict[str, Any]) -> bool:
        self.pages_to_publish[OrganisationPage].add(hsds_id)
        page = OrganisationPage.objects.filter(hsds_id=hsds_id).first()
        if page is not None:
            self.update_page(page, values)
            return False
        country = self.country_of(hsds_id, record)
        if country != self.country:
            message = f"its address is in {country}: an import for {self.country} does not change {country}'s listings"
            raise HsdsImportError(record.source, message, hsds_id, "country")
        country_page = CountryDirectoryPage.objects.get(country=country)
        self.add_page(country_page, OrganisationPage(hsds_id=hsds_id, kind=OrganisationKind.CSO, **values))
        return True

    def save_service(self, hsds_id: uuid.UUID, record: Record, values: dict[str, Any]) -> bool:
        self.pages_to_publish[ServicePage].add(hsds_id)
        organisation = OrganisationPage.objects.get(hsds_id=values.pop("organisation_id"))
        page = ServicePage.objects.filter(hsds_id=hsds_id).first()
        if page is None:
            self.add_page(organisation, ServicePage(hsds_id=hsds_id, **values))
            return True
        if page.organisation_id != organisation.pk:
            message = f"the portal has this service under organisation {page.organisation.hsds_id}"
            raise HsdsImportError(record.source, message, hsds_id, "organization_id")
        self.update_page(page, values)
        return False

    def add_page(self, parent: Page, page: Page) -> None:
        """A new page: live at once when publishing, else a draft until approved."""
        page.slug = free_slug(parent, page.title, page.hsds_id)
        page.live = self.publish
        parent.add_child(instance=page)

    def update_page(self, page: Page, values: dict[str, Any]) -> None:
        """Publishing changes the page itself; otherwise its latest revision, which waits for approval."""
        if not self.publish:
            page = self.drafts.setdefault(page.hsds_id, page.get_latest_revision_as_object())
        for name, value in values.items():
            setattr(page, name, value)
        if self.publish:
            page.save()
        else:
            page.full_clean()

    def country_of(self, organisation_id: uuid.UUID, record: Record) -> str:
        """The first portal country among the organisation's addresses, else the --country option."""
        location_ids = {
            str(location_id)
            for location_id, location in self.dataset.records("location").items()
            if str(location.values.get("organization_id", "")).lower() == str(organisation_id)
        }
        countries = [
            str(address.values.get("country", "")).upper()
            for address in self.dataset.records("address").values()
            if str(address.values.get("location_id", "")).lower() in location_ids
        ]
        portal_countries = [country for country in countries if country in Country.values]
        if portal_countries:
            return portal_countries[0]
        if self.country:
            return self.country
        message = f"no address in a portal country ({', '.join(Country.values)}): pass --country"
        raise HsdsImportError(record.source, message, organisation_id, "country")

    def write_attributes(self) -> None:
        """Attributes of services from the portal's own vocabularies become the service's
        categories (or staff-only attributes); every other attribute is kept as it is."""
        table = "attribute"
        known = self.known_links(table)
        link_ids = {parse_uuid(r.values.get("link_id"), r.source, i, "link_id") for i, r in self.records(table)}
        services = set(ServicePage.objects.filter(hsds_id__in=link_ids).values_list("hsds_id", flat=True))
        described = self.described_records(link_ids)
        terms = TaxonomyTerm.objects.in_bulk(known["taxonomy_term_id"])
        for record_id, record in self.each_record(table):
            values = self.model_values(table, record_id, record, known)
            link_id = required_uuid(record.values.get("link_id"), record.source, record_id, "link_id")
            vocabulary = portal_vocabulary(terms[values["taxonomy_term_id"]], values["link_type"])
            if link_id in services and vocabulary:
                self.service_terms[link_id][vocabulary].append(terms[values["taxonomy_term_id"]])
                self.pages_to_publish[ServicePage].add(link_id)
            elif link_id in described:
                self.save_row(table, record_id, record, values)
            else:
                self.report.unresolved[(table, "link_id")] += 1

    def described_records(self, link_ids: set[uuid.UUID | None]) -> set[uuid.UUID]:
        found: set[uuid.UUID] = set()
        for table in DESCRIBED_TABLES:
            key = model_field_name(table, "id")
            found.update(MODELS[table]._default_manager.filter(**{f"{key}__in": link_ids}).values_list(key, flat=True))
        return found

    def publish_pages(self) -> None:
        """Save each page's revision, and publish it or submit it to the country's approval workflow."""
        for model, hsds_ids in self.pages_to_publish.items():
            pages = model.objects.filter(hsds_id__in=hsds_ids)
            verb = "publishing" if self.publish else "submitting for approval"
            self.progress(f"{verb} {len(hsds_ids)} {model._meta.verbose_name_plural}")
            for page in pages:
                page = self.drafts.get(page.hsds_id) or (page if self.publish else page.get_latest_revision_as_object())
                for vocabulary, terms in self.service_terms.get(page.hsds_id, {}).items():
                    getattr(page, vocabulary).add(*terms)
                revision = self.save_revision(model, page)
                if self.publish:
                    revision.publish(user=self.user)
                else:
                    submit_for_approval(page, self.user)

    def save_revision(self, model: type[Page], page: Page):
        """The page's revision, validated as a page: a refused value names the record and its HSDS field."""
        try:
            return page.save_revision(user=self.user)
        except ValidationError as error:
            table = PAGE_TABLES[model]
            record = self.dataset.records(table).get(page.hsds_id) or Record(table, {})
            raise validation_error(table, page.hsds_id, record, error) from None

    def records(self, table: str) -> Iterable[tuple[uuid.UUID, Record]]:
        return self.dataset.records(table).items()

    def known_links(self, table: str) -> dict[str, set[uuid.UUID]]:
        """For each link field of the table, the ids it refers to that exist, in one query per field."""
        known = {}
        for name in set(MODELLED_FIELDS[table]) & set(LINKS):
            model, key = LINKS[name]
            ids = {parse_uuid(record.values.get(name), record.source, i, name) for i, record in self.records(table)}
            known[name] = set(model._default_manager.filter(**{f"{key}__in": ids - {None}}).values_list(key, flat=True))
        return known

    def model_values(
        self, table: str, record_id: uuid.UUID, record: Record, known: dict[str, set[uuid.UUID]]
    ) -> dict[str, Any]:
        """The record's fields as model field values, each checked by its model field."""
        values = {}
        for name in imported_fields(table):
            if name in LINKS:
                value = self.link(table, record_id, record, name, known[name])
            else:
                value = clean_value(table, record_id, record, name)
            values[model_field_name(table, name)] = value
        return values

    def link(self, table: str, record_id: uuid.UUID, record: Record, name: str, known: set[uuid.UUID]) -> Any:
        required = name in REQUIRED_LINKS.get(table, set())
        parse = required_uuid if required else parse_uuid
        linked_id = parse(record.values.get(name), record.source, record_id, name)
        if linked_id is None or linked_id in known:
            return linked_id
        if required:
            message = f"no record with id {linked_id} in the import or the portal"
            raise HsdsImportError(record.source, message, record_id, name)
        self.report.unresolved[(table, name)] += 1
        return None

    def count(self, table: str, created: bool) -> None:
        (self.report.created if created else self.report.updated)[table] += 1


def imported_fields(table: str) -> list[str]:
    return [name for name in MODELLED_FIELDS[table] if name != "id" and name not in PORTAL_SET_FIELDS.get(table, ())]


def clean_value(table: str, record_id: uuid.UUID, record: Record, name: str) -> Any:
    model_field = cast(models.Field, MODELS[table]._meta.get_field(model_field_name(table, name)))
    raw = record.values.get(name)
    if raw is None:
        raw = None if model_field.null else ""
    try:
        if isinstance(raw, str):
            validate_free_text(raw)
        return model_field.clean(raw, None)
    except ValidationError as error:
        raise HsdsImportError(record.source, " ".join(error.messages), record_id, name) from None


def validation_error(table: str, record_id: uuid.UUID, record: Record, error: ValidationError) -> HsdsImportError:
    """A page's own validation failed: name the HSDS field where the portal field has one."""
    hsds_names = {model_field_name(table, name): name for name in MODELLED_FIELDS[table]}
    messages = error.message_dict if hasattr(error, "error_dict") else {"": error.messages}
    model_name, texts = next(iter(messages.items()))
    return HsdsImportError(record.source, " ".join(texts), record_id, hsds_names.get(model_name, model_name) or None)


def portal_vocabulary(term: TaxonomyTerm, link_type: str) -> str | None:
    """The service field that holds a service's attribute with this term, if the portal keeps it
    in one: the portal's pathways and declared categories are categories, sensitive terms stay
    staff-only; any other attribute is an `Attribute` row."""
    if term.is_sensitive:
        return "sensitive_attributes"
    if term.taxonomy_id == PATHWAYS_TAXONOMY_ID or link_type == CATEGORY_LINK_TYPE:
        return "categories"
    return None


def submit_for_approval(page: Page, user: User | None) -> None:
    """Start the page's approval workflow (its country's), unless the page already waits in it."""
    workflow = page.get_workflow()
    if workflow is None:
        raise HsdsImportError("import", f"{page.title} has no approval workflow: pass --publish to publish it")
    if not page.workflow_in_progress:
        workflow.start(page, user)


def free_slug(parent: Page, title: str, hsds_id: uuid.UUID) -> str:
    """The title as a slug, made unique among the parent's children with the start of the HSDS id."""
    slug = slugify(anyascii(title))[:80] or hsds_id.hex[:8]
    if parent.get_children().filter(slug=slug).exists():
        slug = f"{slug}-{hsds_id.hex[:8]}"
    return slug
