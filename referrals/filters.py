"""Filters of the workspace listings: the clients a referrer holds and a CSO's inbox."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from cso_directory.models import Region, TaxonomyTerm
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID
from portal.foundation.forms import NameOrderedChoicesForm
from portal.foundation.models import AuditEvent
from portal.foundation.text_search import matching
from portal.foundation.widgets import DateRangeWidget
from referrals.access import countries_of_clients_visible_to
from referrals.models import Client, Referral, ReferralStatus, overdue

DATE_RANGE = DateRangeWidget()


def regions_of_visible_clients(request):
    return Region.objects.filter(country__in=countries_of_clients_visible_to(request.user))


class ClientFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Reference or name"), method="filter_reference_or_name")
    release = django_filters.DateFromToRangeFilter(
        label=_("Expected release between"), field_name="expected_release_date", widget=DATE_RANGE
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region of return"),
        field_name="region_of_return",
        to_field_name="code",
        queryset=regions_of_visible_clients,
        empty_label=_("Any region"),
    )

    class Meta:
        model = Client
        fields: list[str] = []
        form = NameOrderedChoicesForm

    def filter_reference_or_name(self, queryset, name, value):
        # Names also compare in Latin letters and Arabic by its consonants, so "aigul" finds "Айгүл",
        # "Айгуль" and "Aigul", and "ahmed" finds "أحمد" (portal.foundation.text_search).
        return queryset.filter(Q(reference__icontains=value.strip()) | matching("name_search", value))


class InboxFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[choice for choice in ReferralStatus.choices if choice[0] != ReferralStatus.DRAFT],
        empty_label=_("Any status"),
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        field_name="service__categories",
        to_field_name="code",
        queryset=TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID),
        empty_label=_("Any category"),
    )
    overdue = django_filters.BooleanFilter(
        label=_("Answer overdue"), method="filter_overdue", widget=forms.CheckboxInput
    )
    sent = django_filters.DateFromToRangeFilter(label=_("Sent between"), field_name="sent_at", widget=DATE_RANGE)

    class Meta:
        model = Referral
        fields: list[str] = []
        form = NameOrderedChoicesForm

    def filter_overdue(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(overdue())


class AccessLogFilter(django_filters.FilterSet):
    """Who accessed a client's records: by period, by user and by action."""

    period = django_filters.DateFromToRangeFilter(label=_("Between"), field_name="at", widget=DATE_RANGE)
    who = django_filters.CharFilter(label=_("User name"), field_name="actor__username", lookup_expr="icontains")
    action = django_filters.CharFilter(
        label=_("Action"), field_name="action", lookup_expr="startswith", help_text=_("E.g. client.view or referral.")
    )

    class Meta:
        model = AuditEvent
        fields: list[str] = []
