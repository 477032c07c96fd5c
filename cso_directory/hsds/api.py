"""The HSDA 3.0 read API (Open Referral's HSDS API) at /api/hsds/, over public data only.

Listings take `page` and `per_page` and answer in HSDS's paging envelope; unknown or
unpublished ids answer 404, malformed parameters 422 naming the parameter.

Organisations, services and taxonomy terms answer in the language `lang` names (one of the portal's
languages), else the one the request asks for (the language cookie, then Accept-Language):
translated texts where their editors translated them, the original elsewhere, each named in the
extension field `text_languages`; the portal's own terms by their names in that language, with
their ids and codes unchanged (cso_directory.hsds.serialise).
"""

import math
import uuid
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from django.conf import settings
from django.db.models import Model, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from ninja import NinjaAPI, Query
from ninja.errors import HttpError
from pydantic import Field, field_validator

from cso_directory.hsds import serialise
from cso_directory.models import (
    Attribute,
    OrganisationPage,
    OrganisationTranslation,
    ServiceAtLocation,
    ServicePage,
    ServiceTranslation,
    translations_in,
)
from portal.foundation.validators import LARGEST_ID, InputSchema

DEFAULT_PER_PAGE = 50
MAX_PER_PAGE = 500
SEARCH_MATCH_LIMIT = 1000

api = NinjaAPI(
    title="HSDS 3.0 API",
    version="3.0",
    description="Open Referral Human Services Data API over the portal's public directory.",
    urls_namespace="hsds",
)


class Paging(InputSchema):
    page: int = Field(1, ge=1, le=LARGEST_ID // MAX_PER_PAGE, description="Page number, from 1.")
    per_page: int = Field(DEFAULT_PER_PAGE, ge=1, le=MAX_PER_PAGE, description="Results per page.")


class ServiceFilters(InputSchema):
    search: str | None = Field(None, description="Full-text search.")
    taxonomy_term_id: uuid.UUID | None = Field(None, description="Only services with this taxonomy term.")
    taxonomy_id: uuid.UUID | None = Field(None, description="Only services with a term of this taxonomy.")
    organization_id: uuid.UUID | None = Field(None, description="Only services of this organisation.")
    modified_after: datetime | None = Field(None, description="Only services modified at or after this time.")


class Language(InputSchema):
    lang: str | None = Field(
        None, description="The language to answer in (en, ar, ckb, ru, kk, ky, tg); else the request's language."
    )

    @field_validator("lang")
    @classmethod
    def one_of_the_portals_languages(cls, value: str | None) -> str | None:
        codes = [code for code, _name in settings.LANGUAGES]
        if value is not None and value not in codes:
            raise ValueError(f"not one of the portal's languages ({', '.join(codes)})")
        return value

    def chosen(self) -> str:
        return self.lang or get_language()


class Search(InputSchema):
    search: str | None = Field(None, description="Full-text search.")


class TermFilters(InputSchema):
    search: str | None = Field(None, description="Full-text search.")
    taxonomy_id: uuid.UUID | None = Field(None, description="Only terms of this taxonomy.")
    parent_id: uuid.UUID | None = Field(None, description="Only children of this term.")
    top_only: bool = Field(False, description="Only terms without a parent.")


@api.get("/", summary="Information about this API")
def api_information(request) -> dict[str, Any]:
    return {
        "version": serialise.HSDS_VERSION,
        "openapi_url": request.build_absolute_uri(reverse(f"{api.urls_namespace}:openapi-json")),
    }


@api.get("/services", summary="Services, paged")
def list_services(
    request, paging: Query[Paging], filters: Query[ServiceFilters], lang: Query[Language]
) -> dict[str, Any]:
    language = lang.chosen()
    services = filter_services(serialise.public_services(), filters).select_related("organisation")
    services = services.prefetch_related(*service_translations(language))
    return paged(services.order_by("title", "hsds_id"), paging, lambda row: serialise.service_summary(row, language))


@api.get("/services/{id}", summary="A service, fully nested")
def get_service(request, id: uuid.UUID, lang: Query[Language]) -> dict[str, Any]:
    language = lang.chosen()
    services = serialise.with_service_details(serialise.public_services())
    service = get_or_404(
        services.prefetch_related(*service_translations(language)), _("No service with this id."), hsds_id=id
    )
    return serialise.service(service, serialise.attributes_of_services([service]), language)


@api.get("/organizations", summary="Organisations, paged")
def list_organisations(request, paging: Query[Paging], query: Query[Search], lang: Query[Language]) -> dict[str, Any]:
    language = lang.chosen()
    organisations = serialise.public_organisations().prefetch_related(
        translations_in(OrganisationTranslation, language)
    )
    if query.search:
        organisations = organisations.filter(pk__in=search_matches(OrganisationPage, query.search))
    return paged(
        organisations.order_by("title", "hsds_id"), paging, lambda row: serialise.organization_fields(row, language)
    )


@api.get("/organizations/{id}", summary="An organisation, fully nested")
def get_organisation(request, id: uuid.UUID, lang: Query[Language]) -> dict[str, Any]:
    language = lang.chosen()
    organisations = serialise.with_organisation_details(serialise.public_organisations()).prefetch_related(
        translations_in(OrganisationTranslation, language),
        translations_in(ServiceTranslation, language, "services__translations"),
    )
    organisation = get_or_404(organisations, _("No organisation with this id."), hsds_id=id)
    return serialise.organization(organisation, serialise.attributes_of_organisations([organisation]), language)


@api.get("/service_at_locations", summary="Services at locations, paged")
def list_service_at_locations(
    request, paging: Query[Paging], filters: Query[ServiceFilters], lang: Query[Language]
) -> dict[str, Any]:
    language = lang.chosen()
    services = filter_services(serialise.public_services(), filters)
    service_at_locations = ServiceAtLocation.objects.filter(service__in=services)
    service_at_locations = service_at_locations.select_related("location", "service__organisation").prefetch_related(
        *service_translations(language, "service__")
    )
    return paged(
        service_at_locations.order_by("id"), paging, lambda row: serialise.service_at_location_summary(row, language)
    )


@api.get("/service_at_locations/{id}", summary="A service at a location, fully nested")
def get_service_at_location(request, id: uuid.UUID, lang: Query[Language]) -> dict[str, Any]:
    language = lang.chosen()
    service_at_locations = serialise.with_service_at_location_details(serialise.public_service_at_locations())
    service_at_locations = service_at_locations.prefetch_related(*service_translations(language, "service__"))
    at_location = get_or_404(service_at_locations, _("No service at a location with this id."), id=id)
    attributes = serialise.public_attributes([at_location.id, at_location.location_id])
    return {
        **serialise.service_at_location(at_location, attributes, language),
        "service": serialise.service_summary(at_location.service, language),
    }


@api.get("/taxonomies", summary="Taxonomies, paged")
def list_taxonomies(request, paging: Query[Paging], query: Query[Search]) -> dict[str, Any]:
    taxonomies = serialise.public_taxonomies()
    if query.search:
        taxonomies = taxonomies.filter(Q(name__icontains=query.search) | Q(description__icontains=query.search))
    return paged(taxonomies.order_by("name", "id"), paging, serialise.taxonomy)


@api.get("/taxonomies/{id}", summary="A taxonomy")
def get_taxonomy(request, id: uuid.UUID) -> dict[str, Any]:
    return serialise.taxonomy(get_or_404(serialise.public_taxonomies(), _("No taxonomy with this id."), id=id))


@api.get("/taxonomy_terms", summary="Taxonomy terms, paged")
def list_taxonomy_terms(
    request, paging: Query[Paging], filters: Query[TermFilters], lang: Query[Language]
) -> dict[str, Any]:
    language = lang.chosen()
    terms = serialise.public_terms()
    if filters.search:
        terms = terms.filter(Q(name__icontains=filters.search) | Q(description__icontains=filters.search))
    if filters.taxonomy_id:
        terms = terms.filter(taxonomy_id=filters.taxonomy_id)
    if filters.parent_id:
        terms = terms.filter(parent_term_id=filters.parent_id)
    if filters.top_only:
        terms = terms.filter(parent_term_id__isnull=True)
    return paged(terms.order_by("name", "id"), paging, lambda term: serialise.taxonomy_term(term, language))


@api.get("/taxonomy_terms/{id}", summary="A taxonomy term")
def get_taxonomy_term(request, id: uuid.UUID, lang: Query[Language]) -> dict[str, Any]:
    term = get_or_404(serialise.public_terms(), _("No taxonomy term with this id."), id=id)
    return serialise.taxonomy_term(term, lang.chosen())


def service_translations(language: str, prefix: str = "") -> list:
    """Prefetches of the translations into `language` of services and their organisations."""
    return [
        translations_in(ServiceTranslation, language, f"{prefix}translations"),
        translations_in(OrganisationTranslation, language, f"{prefix}organisation__translations"),
    ]


def filter_services(services: QuerySet[ServicePage], filters: ServiceFilters) -> QuerySet[ServicePage]:
    if filters.search:
        services = services.filter(pk__in=search_matches(ServicePage, filters.search))
    if filters.organization_id:
        services = services.filter(organisation__hsds_id=filters.organization_id)
    if filters.taxonomy_term_id:
        services = services.filter(with_public_term(Q(id=filters.taxonomy_term_id)))
    if filters.taxonomy_id:
        services = services.filter(with_public_term(Q(taxonomy_id=filters.taxonomy_id)))
    if filters.modified_after:
        services = services.filter(last_published_at__gte=aware(filters.modified_after))
    return services


def with_public_term(terms: Q) -> Q:
    """Services with a matching public term, as a category or as an attribute."""
    categories = Q(categories__in=serialise.public_terms().filter(terms))
    attributes = Attribute.objects.filter(taxonomy_term__in=serialise.public_terms().filter(terms))
    return categories | Q(hsds_id__in=attributes.values("link_id"))


def search_matches(model: type[ServicePage] | type[OrganisationPage], text: str) -> list[int]:
    """Page ids matching the text, through Wagtail search (PostgreSQL full text, or SQLite's)."""
    return [page.pk for page in model.objects.live().search(text, operator="and")[:SEARCH_MATCH_LIMIT]]


def aware(moment: datetime) -> datetime:
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, UTC)


def get_or_404(queryset: QuerySet, message: Any, **lookup: Any) -> Any:
    found = queryset.filter(**lookup).first()
    if found is None:
        raise HttpError(404, str(message))
    return found


def paged(queryset: QuerySet[Model], paging: Paging, serialise_item: Callable[[Any], dict]) -> dict[str, Any]:
    """HSDS's paging envelope around one page of the queryset."""
    total_items = queryset.count()
    total_pages = math.ceil(total_items / paging.per_page)
    start = (paging.page - 1) * paging.per_page
    contents = [serialise_item(item) for item in queryset[start : start + paging.per_page]]
    return {
        "total_items": total_items,
        "total_pages": total_pages,
        "page_number": paging.page,
        "size": len(contents),
        "first_page": paging.page == 1,
        "last_page": paging.page >= total_pages,
        "empty": not contents,
        "contents": contents,
    }
