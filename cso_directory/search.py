"""The directory's keyword search: each service's search document and the services a query matches.

How documents are built and matched: portal.foundation.text_search. A service's document holds
its title, local name and both descriptions, its organisation's names and its categories' names;
it is rebuilt whenever the service is saved (so on every publish) and, for the organisation's
names, whenever the organisation is.
"""

from portal.foundation.text_search import matching, search_document

SEARCH_FIELD = "search_document"


def service_search_document(service) -> str:
    """The search document of a service (a ServicePage, or its historical model in a migration)."""
    organisation = service.organisation
    return search_document(
        service.title,
        service.local_name,
        service.description,
        service.description_local,
        organisation.title,
        organisation.local_name,
        *(category.name for category in service.categories.all()),
    )


def matching_services(services, query: str):
    """The services of `services` matching every word of `query`, by stem, prefix, folding or skeleton."""
    return services.filter(matching(SEARCH_FIELD, query, stemmed=True))
