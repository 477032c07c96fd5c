"""Small builders for directory content, shared by the tests of every app."""

from cso_directory.models import CountryDirectoryPage, Language, OrganisationPage, Region, ServicePage, TaxonomyTerm
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID, STAFF_ATTRIBUTES_TAXONOMY_ID


def pathway(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(taxonomy_id=PATHWAYS_TAXONOMY_ID, code=code)


def staff_attribute(code: str) -> TaxonomyTerm:
    return TaxonomyTerm.objects.get(taxonomy_id=STAFF_ATTRIBUTES_TAXONOMY_ID, code=code)


def make_organisation(country: str = "KZ", *, title: str = "Bright Futures", regions=(), **fields) -> OrganisationPage:
    fields.setdefault("kind", "cso")
    fields.setdefault("description", f"{title} helps people rebuild their lives.")
    organisation = CountryDirectoryPage.objects.get(country=country).add_child(
        instance=OrganisationPage(title=title, **fields)
    )
    organisation.regions.set(Region.objects.filter(code__in=regions))
    organisation.save()
    return organisation


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
    service = organisation.add_child(instance=ServicePage(title=title, **fields))
    service.categories.set([pathway(code) for code in categories])
    service.languages.set(Language.objects.filter(code__in=languages))
    service.regions.set(Region.objects.filter(code__in=regions))
    service.sensitive_attributes.set([staff_attribute(code) for code in sensitive])
    service.save()
    return service
