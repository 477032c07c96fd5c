"""The public directory search: one FilterSet over live services, plus keyword search."""

from itertools import groupby
from typing import Any

import django_filters
from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from cso_directory.access import can_see_sensitive_attributes
from cso_directory.models import (
    Capacity,
    Delivery,
    Language,
    Region,
    ServicePage,
    SexServed,
    TaxonomyTerm,
    with_listing_relations,
)
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID
from cso_directory.search import matching_services
from portal.foundation.bidi import with_isolated_values
from portal.foundation.collation import sorted_by_name
from portal.foundation.countries import Country
from portal.foundation.forms import NameOrderedChoicesForm
from portal.foundation.listing import paginate, query_without_page

RESULTS_PER_PAGE = 20


def named_choices(regions) -> list[tuple[str, str]]:
    """(code, name) of each region, by name in the visitor's alphabet."""
    return sorted_by_name([(region.code, str(region)) for region in regions], name=lambda choice: choice[1])


class DirectoryForm(NameOrderedChoicesForm):
    """The filter form; a region must lie in the chosen country."""

    def clean(self):
        super().clean()
        cleaned_data = self.cleaned_data
        region, country = cleaned_data.get("region"), cleaned_data.get("country")
        if region is not None and country and region.country != country:
            self.add_error(
                "region",
                gettext("%(region)s is not a region of %(country)s.")
                % {"region": region, "country": Country(country).label},
            )
        return cleaned_data


class ServiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="filter_keyword", label=_("Keyword"))
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="categories",
        to_field_name="code",
        queryset=TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID),
        empty_label=_("Any category"),
    )
    country = django_filters.ChoiceFilter(
        label=_("Country"), field_name="organisation__country", choices=Country.choices, empty_label=_("Any country")
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        method="filter_region",
        to_field_name="code",
        queryset=Region.objects.all(),
        empty_label=_("Any region"),
    )
    language = django_filters.ModelChoiceFilter(
        label=_("Language"),
        field_name="languages",
        to_field_name="code",
        queryset=Language.objects.all(),
        empty_label=_("Any language"),
    )
    sex = django_filters.ChoiceFilter(
        label=_("Serves"),
        method="filter_sex",
        choices=[(SexServed.FEMALE, _("Women and girls")), (SexServed.MALE, _("Men and boys"))],
        empty_label=_("Anyone"),
    )
    age = django_filters.NumberFilter(label=_("Age"), method="filter_age", min_value=0, max_value=120)
    delivery = django_filters.ChoiceFilter(
        label=_("Delivery"),
        method="filter_delivery",
        choices=[(Delivery.IN_PERSON, Delivery.IN_PERSON.label), (Delivery.REMOTE, Delivery.REMOTE.label)],
        empty_label=_("Any delivery"),
    )
    accepting = django_filters.BooleanFilter(
        label=_("Accepting referrals now"), method="filter_accepting", widget=forms.CheckboxInput
    )

    class Meta:
        model = ServicePage
        fields: list[str] = []
        form = DirectoryForm

    def offer_regions_of_chosen_country(self) -> None:
        """Offer the regions of the chosen country, or with no country every region grouped by country;
        countries and regions by name in the visitor's alphabet."""
        country = self.data.get("country") if self.is_bound else None
        regions = Region.objects.order_by("country")
        grouped: list[tuple[str, Any]]  # (code, name), or (country, [(code, name), ...])
        if country in Country.values:
            grouped = named_choices(regions.filter(country=country))
        else:
            grouped = sorted_by_name(
                [
                    (str(Country(code).label), named_choices(group))
                    for code, group in groupby(regions, key=lambda region: region.country)
                ],
                name=lambda group: group[0],
            )
        field = self.form.fields["region"]
        field.widget.choices = [("", field.empty_label), *grouped]  # validation still uses the queryset

    def active_filters(self) -> list[str]:
        """The names of the filters the (validated) form applies."""
        return [name for name, value in self.form.cleaned_data.items() if value not in (None, "", False)]

    def filtered_without(self, queryset, skipped: str):
        """The queryset narrowed by every valid filter but `skipped`, reusing the validated values."""
        for name, value in self.form.cleaned_data.items():
            if name != skipped:
                queryset = self.filters[name].filter(queryset, value)
        return queryset

    def describe(self, name: str) -> str:
        """A filter as the visitor chose it, e.g. "Region: Almaty (city)"."""
        field = self.form.fields[name]
        value = self.form.cleaned_data[name]
        if value is True:
            return str(field.label)
        if not isinstance(field, forms.ModelChoiceField) and isinstance(field, forms.ChoiceField):
            value = dict(field.choices)[value]
        if isinstance(field, forms.CharField):  # what the visitor typed keeps its own direction
            return with_isolated_values(gettext("%(filter)s: %(value)s"), filter=field.label, value=value)
        return gettext("%(filter)s: %(value)s") % {"filter": field.label, "value": value}

    def filter_keyword(self, queryset, name, value):
        """Services matching every word, by word form and across scripts, in the same query (cso_directory.search)."""
        return matching_services(queryset, value)

    def filter_region(self, queryset, name, value):
        return queryset.serving_region(value)

    def filter_sex(self, queryset, name, value):
        return queryset.serving_person(sex=value)

    def filter_age(self, queryset, name, value):
        return queryset.serving_person(age=value)

    def filter_delivery(self, queryset, name, value):
        return queryset.filter(delivery__in=[value, Delivery.BOTH])

    def filter_accepting(self, queryset, name, value):
        return queryset.filter(capacity=Capacity.ACCEPTING) if value else queryset


def emptying_filters(request, service_filter: ServiceFilter, services) -> list[dict]:
    """For an empty result, each filter without which services would match: one count query per filter."""
    emptying = []
    for name in service_filter.active_filters():
        count = service_filter.filtered_without(services, name).distinct().count()
        if count:
            query = request.GET.copy()
            query.pop(name, None)
            query.pop("page", None)
            emptying.append({"filter": service_filter.describe(name), "count": count, "query": query.urlencode()})
    return emptying


def search_directory(request) -> dict:
    """The directory page's context: the filter form, one page of results and the result count."""
    services = ServicePage.objects.live().public().order_by("title")
    service_filter = ServiceFilter(request.GET or None, queryset=services)
    service_filter.offer_regions_of_chosen_country()
    results = service_filter.qs.distinct() if service_filter.is_bound else services
    page = paginate(request, with_listing_relations(results, request.user), RESULTS_PER_PAGE)
    empty = service_filter.is_bound and not page.paginator.count
    return {
        "filter": service_filter,
        "form": service_filter.form,
        "results_page": page,
        "result_count": page.paginator.count,
        "emptying_filters": emptying_filters(request, service_filter, services) if empty else [],
        "query_string": query_without_page(request),
        "show_sensitive": can_see_sensitive_attributes(request.user),
    }
