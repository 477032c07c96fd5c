"""Pagination shared by every listing: one page of a queryset, and links that keep the filters."""

from django.core.paginator import Page, Paginator

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current query string minus `page`, for the pagination links to build on."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()
