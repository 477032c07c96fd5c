"""`manage.py load_demo_data`: a directory to browse and a login for every role, in all four countries.

The data lives in `portal/wiring/demo/`: `organisations.json` holds, per country, organisations
with their services (fields named as on the pages; regions, languages, categories and staff-only
attributes by code; a few listings with `translations`, one object per language), `users.json` one
login per role and country (and per prison), and `people.json` the clients of each prison with their
needs, consent, referrals, supervision and case notes (see `portal.wiring.management.demo_people`).
Pages are keyed by slug under their parent, users by username and people by prison; what exists is
left as it is, so a second run changes nothing.
"""

import json
import os
from contextlib import contextmanager
from datetime import date
from functools import cache, partial
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.password_validation import validate_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Page
from wagtail.signal_handlers import disable_reference_index_auto_update

from cso_directory.actions import add_membership
from cso_directory.models import (
    CountryDirectoryPage,
    Language,
    OrganisationPage,
    OrganisationTranslation,
    Region,
    ServicePage,
    ServiceTranslation,
    TaxonomyTerm,
)
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID, STAFF_ATTRIBUTES_TAXONOMY_ID
from cso_directory.site_tree import ensure_directory_tree
from portal.foundation.countries import Country
from portal.foundation.roles import Role
from portal.wiring.management.demo_people import load_people, summary

DEMO_DIR = Path(__file__).resolve().parents[2] / "demo"
# Printed for everyone to read: that is why the command refuses to run in production.
DEMO_PASSWORD = "demo-password-2026"  # noqa: S105
ADMIN_USERNAME = "admin"
URL_PATHS = ("/", "/directory/", "/admin/", "/accounts/login/")
# The demo's referrals notify their caseworkers and referrers in the portal; none of the notices is emailed
# (the console backend of the embedded tiers would print them all).
NO_EMAIL = override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")


class Command(BaseCommand):
    help = "Load demo organisations, services and logins for every role. Idempotent."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with PORTAL_ENV=production (gives it known passwords)."
        )

    def handle(self, *args, force: bool, **options):
        if settings.PORTAL_ENV == "production" and not force:
            raise CommandError(
                "Refusing to load demo data with PORTAL_ENV=production: every demo login shares a published "
                "password. Pass --force if you really mean it."
            )
        validate_password(DEMO_PASSWORD)
        organisation_entries = read_demo_file("organisations.json")
        user_entries = read_demo_file("users.json")
        people_entries = read_demo_file("people.json")

        with NO_EMAIL, transaction.atomic():
            directory = ensure_directory_tree()
            references = References()
            organisations, new_organisations, new_services = {}, 0, 0
            for country_page in CountryDirectoryPage.objects.child_of(directory):
                for entry in organisation_entries.get(country_page.country, []):
                    organisation, created = ensure_organisation(country_page, entry, references)
                    new_organisations += created
                    new_services += ensure_services(organisation, entry["services"], references)
                    organisations[country_page.country, entry["slug"]] = organisation
            logins, new_users = ensure_users(user_entries, organisations)
            new_clients = load_people(people_entries, organisations, references.by_field, timezone.localdate())

        service_count = sum(len(entry["services"]) for entries in organisation_entries.values() for entry in entries)
        self.stdout.write(
            f"Demo data: {len(organisations)} organisations ({new_organisations} new), "
            f"{service_count} services ({new_services} new), {len(logins)} logins ({new_users} new), "
            f"{new_clients} new clients."
        )
        self.print_logins(logins)
        self.stdout.write("\n" + "\n".join(summary()))
        self.print_urls()

    def print_logins(self, logins: list[tuple[str, str, str, str]]) -> None:
        header = ("username", "role", "organisation", "country")
        widths = [max(len(row[column]) for row in [header, *logins]) for column in range(len(header))]
        self.stdout.write(f"\nPassword for every demo login: {DEMO_PASSWORD}\n")
        for row in [header, *logins]:
            self.stdout.write("  ".join(value.ljust(width) for value, width in zip(row, widths, strict=True)).rstrip())

    def print_urls(self) -> None:
        base_url = f"http://127.0.0.1:{os.environ.get('PORT', '8000')}"
        self.stdout.write("\nOpen: " + "  ".join(base_url + path for path in URL_PATHS))


def read_demo_file(name: str):
    with (DEMO_DIR / name).open(encoding="utf-8") as file:
        return json.load(file)


class References:
    """The rows the demo data names by code, per page field, each table fetched once."""

    def __init__(self):
        self.by_field: dict[str, dict[str, Any]] = {
            "regions": {region.code: region for region in Region.objects.all()},
            "languages": {language.code: language for language in Language.objects.all()},
            "categories": {term.code: term for term in TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID)},
            "sensitive_attributes": {
                term.code: term for term in TaxonomyTerm.objects.filter(taxonomy_id=STAFF_ATTRIBUTES_TAXONOMY_ID)
            },
        }

    def page_fields(self, entry: dict, translation_model) -> dict:
        """The page's field values from an entry of organisations.json: codes become rows, dates dates,
        translations rows of `translation_model`."""
        fields = {name: value for name, value in entry.items() if name not in ("slug", "services")}
        fields["translations"] = [translation_model(**row) for row in entry.get("translations", [])]
        for name, rows in self.by_field.items():
            if name in fields:
                unknown = set(fields[name]) - rows.keys()
                if unknown:
                    raise CommandError(f"Unknown {name} in the demo data: {', '.join(sorted(unknown))}")
                fields[name] = [rows[code] for code in fields[name]]
        if fields.get("verified_on"):
            fields["verified_on"] = date.fromisoformat(fields["verified_on"])
        return fields


def publish_child(parent: Page, page: Page) -> Page:
    """Add the page as a draft, then publish a revision of it, as an approved edit would."""
    page.live = False
    with index_updates_deferred():
        parent.add_child(instance=page)
        revision = page.save_revision(clean=False)  # adding it validated the page as it stands
    revision.publish()
    return page


@contextmanager
def index_updates_deferred():
    """Saves that update neither the search index nor Wagtail's reference index. Adding a page and saving its
    revision each save it once more before the publishing does: indexing only at that last save leaves both
    indexes as they would be, with a third of the work (it was most of the demo's loading time)."""
    backends = {name: {**params, "AUTO_UPDATE": False} for name, params in settings.WAGTAILSEARCH_BACKENDS.items()}
    with override_settings(WAGTAILSEARCH_BACKENDS=backends), disable_reference_index_auto_update():
        yield


def ensure_organisation(
    country_page: CountryDirectoryPage, entry: dict, references: References
) -> tuple[OrganisationPage, bool]:
    organisation = OrganisationPage.objects.child_of(country_page).filter(slug=entry["slug"]).first()
    if organisation is not None:
        return organisation, False
    page = OrganisationPage(slug=entry["slug"], **references.page_fields(entry, OrganisationTranslation))
    return publish_child(country_page, page), True


def ensure_services(organisation: OrganisationPage, entries: list[dict], references: References) -> int:
    """Publish the services the organisation lacks, keyed by the slug of their English title; count them."""
    existing = set(organisation.get_children().values_list("slug", flat=True))
    missing = [entry for entry in entries if slugify(entry["title"]) not in existing]
    for entry in missing:
        fields = references.page_fields(entry, ServiceTranslation)
        publish_child(organisation, ServicePage(slug=slugify(entry["title"]), **fields))
    return len(missing)


def ensure_users(entries: list[dict], organisations: dict) -> tuple[list[tuple[str, str, str, str]], int]:
    """Create the missing logins and their memberships; return the table of logins and how many are new."""
    # Hashing is slow by design: hash once, and only when some login is missing.
    password_hash = cache(partial(make_password, DEMO_PASSWORD))
    _admin, new_users = ensure_user(
        ADMIN_USERNAME, password_hash, is_staff=True, is_superuser=True, first_name="Demo", last_name="Administrator"
    )
    logins = [(ADMIN_USERNAME, "superuser", "-", "all")]
    for entry in entries:
        organisation = organisations.get((entry["country"], entry["organisation"]))
        if organisation is None:
            raise CommandError(f"users.json: no organisation {entry['organisation']!r} in {entry['country']}")
        user, created = ensure_user(
            entry["username"], password_hash, first_name=entry["first_name"], last_name=entry["last_name"]
        )
        new_users += created
        role = Role(entry["role"])
        if not user.memberships.filter(organisation=organisation, role=role).exists():
            add_membership(user, organisation, role)  # which also syncs the user's admin groups
        logins.append((user.username, str(role.label), organisation.title, str(Country(organisation.country).label)))
    return logins, new_users


def ensure_user(username: str, password_hash, **fields):
    users = get_user_model().objects
    user = users.filter(username=username).first()
    if user is not None:
        return user, False
    return users.create(username=username, email=f"{username}@example.org", password=password_hash(), **fields), True
