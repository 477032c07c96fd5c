"""Small builders for directory content, shared by the tests of every app."""

from cso_directory.models import CountryDirectoryPage, Language, OrganisationPage, Region, ServicePage, TaxonomyTerm
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID, STAFF_ATTRIBUTES_TAXONOMY_ID


def pathway(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(taxonomy_id=PATHWAYS_TAXONOMY_ID, code=code)


def staff_attribute(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(taxonomy_id=STAFF_ATTRIBUTES_TAXONOMY_ID, code=code)


def terms(taxonomy_id, codes):
    return TaxonomyTerm.objects.filter(taxonomy_id=taxonomy_id, code__in=codes)


def make_organisation(country: str = "KZ", *, title: str = "Bright Futures", regions=(), **fields) -> OrganisationPage:
    fields.setdefault("kind", "cso")
    fields.setdefault("description", f"{title} helps people rebuild their lives.")
    # Relations given to the constructor are saved with the page: one save instead of two.
    return CountryDirectoryPage.objects.get(country=country).add_child(
        instance=OrganisationPage(title=title, regions=Region.objects.filter(code__in=regions), **fields)
    )


def make_service(
    organisation: OrganisationPage,
    *,
    title: str = "Literacy classes",
    categories=("education",),
    languages=(),
    regions=(),
    sensitive=(),
    **fields,
) -> ServicePage:
    fields.setdefault("description", f"{title} for adults.")
    return organisation.add_child(
        instance=ServicePage(
            title=title,
            categories=terms(PATHWAYS_TAXONOMY_ID, categories),
            languages=Language.objects.filter(code__in=languages),
            regions=Region.objects.filter(code__in=regions),
            sensitive_attributes=terms(STAFF_ATTRIBUTES_TAXONOMY_ID, sensitive),
            **fields,
        )
    )
