"""The probation caseload's filters. The queryset comes annotated by `views.annotated_caseload`."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from aftercare.forms import OfficerLabelMixin, officers_of
from aftercare.models import SupervisionCase
from portal.foundation.roles import Role
from portal.foundation.widgets import DateRangeWidget
from referrals.access import organisations_where

DATE_RANGE = DateRangeWidget()
UNASSIGNED = "none"


class OfficerField(OfficerLabelMixin, django_filters.fields.ModelChoiceField):
    pass


class OfficerFilter(django_filters.ModelChoiceFilter):
    field_class = OfficerField


def officers_of_my_offices(request):
    return officers_of(organisations_where(request.user, Role.PROBATION_OFFICER, Role.PROBATION_SUPERVISOR))


class CaseloadFilter(django_filters.FilterSet):
    officer = OfficerFilter(
        label=_("Officer"),
        queryset=officers_of_my_offices,
        empty_label=_("Any officer"),
        null_label=_("No officer yet"),
        null_value=UNASSIGNED,
    )
    goals_overdue = django_filters.BooleanFilter(
        label=_("Goals overdue"), field_name="has_overdue_goals", method="filter_flag", widget=forms.CheckboxInput
    )
    missed_check_ins = django_filters.BooleanFilter(
        label=_("Missed check-ins"), field_name="has_missed_check_ins", method="filter_flag", widget=forms.CheckboxInput
    )
    released = django_filters.DateFromToRangeFilter(
        label=_("Released between"), field_name="opened_on", widget=DATE_RANGE
    )

    class Meta:
        model = SupervisionCase
        fields: list[str] = []

    def filter_flag(self, queryset, name, value):
        # An unticked box means "any case", not "only cases without".
        return queryset.filter(**{name: True}) if value else queryset
