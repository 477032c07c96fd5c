"""Pagination shared by every listing: one page of a queryset, and links that keep the filters."""

from django.core.paginator import Page, Paginator
from django.utils.functional import cached_property

PAGE_SIZE = 25


def paginate(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    return Paginator(queryset, per_page).get_page(request.GET.get("page"))


def query_without_page(request) -> str:
    """The current query string minus `page`, for the pagination links to build on."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


COUNT_CAP = 1000


def bounded_count(queryset) -> int:
    """How many rows, counted up to COUNT_CAP + 1 (a result over COUNT_CAP says "more than"): a
    listing never counts hundreds of thousands of rows to show one page."""
    return queryset.order_by()[: COUNT_CAP + 1].count()


def capped_count(queryset) -> tuple[int, bool]:
    """How many rows, at most COUNT_CAP, and whether there are more."""
    count = bounded_count(queryset)
    return min(count, COUNT_CAP), count > COUNT_CAP


class BoundedPaginator(Paginator):
    """Pages through the first COUNT_CAP + 1 rows at most; the filters narrow a longer list."""

    @cached_property
    def count(self) -> int:
        return bounded_count(self.object_list)

    @property
    def count_capped(self) -> bool:
        return self.count > COUNT_CAP

    @property
    def cap(self) -> int:
        return COUNT_CAP


def paginate_bounded(request, queryset, per_page: int = PAGE_SIZE) -> Page:
    return BoundedPaginator(queryset, per_page).get_page(request.GET.get("page"))
