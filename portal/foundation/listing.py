"""Pagination shared by every listing: one page of a queryset, links that keep the filters, and the
staff API's pages."""

from collections.abc import Iterable

from django.core.paginator import Page, Paginator
from django.db.models import Model, QuerySet
from django.utils.functional import cached_property
from ninja import Field

from portal.foundation.audit import record_event
from portal.foundation.validators import LARGEST_ID, InputSchema

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


# The staff API's listings ---------------------------------------------------------------------

MAX_PER_PAGE = 200


class Paging(InputSchema):
    page: int = Field(1, ge=1, le=LARGEST_ID // MAX_PER_PAGE, description="Page number, from 1.")
    per_page: int = Field(50, ge=1, le=MAX_PER_PAGE, description="Results per page.")


def record_shown(user, action: str, listing: tuple[str, str], records: Iterable[Model]) -> None:
    """A listing shows people too: audit which records one page showed, in one event, as the page and the
    API alike do. `listing` is (model label, the listing's name)."""
    record_event(user, action, listing, ids=[str(record.pk) for record in records])


def page_of(user, action: str, queryset: QuerySet, paging: Paging, *, listing: str = "*") -> dict:
    """One page of a listing; the records shown are audited as one read (of `listing`, as its page audits it)."""
    start = (paging.page - 1) * paging.per_page
    items = list(queryset[start : start + paging.per_page])
    record_shown(user, action, (queryset.model._meta.label_lower, listing), items)
    count, capped = capped_count(queryset)
    return {
        "count": count,
        "count_capped": capped,
        "page": paging.page,
        "per_page": paging.per_page,
        "items": items,
    }
