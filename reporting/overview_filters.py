"""Filters of the lists behind the coordinator's figures: referrals and organisations of one country."""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cso_directory.models import OrganisationKind, OrganisationPage
from referrals.models import Referral, overdue
from reporting.overview import (
    PIPELINE_STATUSES,
    listed_organisations,
    listed_organisations_of_country,
    listed_referrals,
    not_verified_since,
    organisations_of_country,
    referrals_of_country,
    start_of,
)

MONTH_FORMAT = "%Y-%m"


class CountryReferralFilter(django_filters.FilterSet):
    """The country's referrals by status, receiving organisation, month sent and overdue answer."""

    status = django_filters.ChoiceFilter(label=_("Status"), choices=PIPELINE_STATUSES, empty_label=_("Any status"))
    organisation = django_filters.ModelChoiceFilter(
        label=_("Receiving organisation"),
        field_name="receiving_organisation",
        queryset=OrganisationPage.objects.none(),
        empty_label=_("Any organisation"),
    )
    month = django_filters.DateFilter(
        label=_("Sent in the month"),
        method="filter_month",
        input_formats=[MONTH_FORMAT],
        widget=forms.DateInput(attrs={"type": "month"}, format=MONTH_FORMAT),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Answer overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )

    class Meta:
        model = Referral
        fields: list[str] = []

    def __init__(self, *args, country: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["organisation"].queryset = organisations_of_country(country).order_by("title")

    def filter_month(self, queryset, name, value):
        first = value.replace(day=1)
        next_first = (first + datetime.timedelta(days=31)).replace(day=1)
        return queryset.filter(sent_at__gte=start_of(first), sent_at__lt=start_of(next_first))

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(overdue())


class CountryOrganisationFilter(django_filters.FilterSet):
    """The country's listed organisations by kind, and those not verified in the last 12 months."""

    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=OrganisationKind.choices, empty_label=_("Any kind"))
    unverified = django_filters.BooleanFilter(
        label=_("Not verified in the last 12 months"), method="filter_unverified", widget=forms.CheckboxInput
    )

    class Meta:
        model = OrganisationPage
        fields: list[str] = []

    def filter_unverified(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(not_verified_since(timezone.localdate()))


def referral_filter(country: str, data) -> CountryReferralFilter:
    """The filter of the country's referral list, bound to `data` (a query) when it holds any value."""
    referrals = listed_referrals(referrals_of_country(country))
    return CountryReferralFilter(data or None, queryset=referrals, country=country)


def organisation_filter(country: str, data) -> CountryOrganisationFilter:
    """The filter of the country's list of listed organisations, bound to `data` when it holds any value."""
    organisations = listed_organisations(listed_organisations_of_country(country))
    return CountryOrganisationFilter(data or None, queryset=organisations)
