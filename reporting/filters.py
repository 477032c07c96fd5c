"""The filters of the dashboards, exports and API: period (whole months), country, region, category, sex, age band.

A FilterSet validates them (django-filter), and `criteria_of` turns what it cleaned into the
`Criteria` every indicator counts by; the choices offered are those of the user's scope.
"""

import datetime

import django_filters
from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cso_directory.models import Region, TaxonomyTerm
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID
from portal.foundation.countries import Country
from portal.foundation.forms import NameOrderedChoicesForm
from referrals.models import Sex
from reporting.access import Scope
from reporting.indicators import AgeBand, Criteria

MONTHS_SHOWN = 12
MONTH_FORMAT = "%Y-%m"


class MonthField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "pattern": r"\d{4}-\d{2}", "placeholder": "YYYY-MM"})

    def to_python(self, value):
        value = super().to_python(value)
        if not value:
            return None
        try:
            year, month = (int(part) for part in value.split("-"))
            return datetime.date(year, month, 1)
        except ValueError:
            raise forms.ValidationError(_("Give a month as YYYY-MM.")) from None


class MonthFilter(django_filters.Filter):
    field_class = MonthField


def keep(queryset, name, value):
    """The filters are read as criteria by the indicators, not applied to one queryset."""
    return queryset


class ReportFilter(django_filters.FilterSet):
    start = MonthFilter(label=_("From month"), method=keep)
    end = MonthFilter(label=_("To month"), method=keep)
    country = django_filters.ChoiceFilter(
        label=_("Country"), choices=Country.choices, empty_label=_("Every country"), method=keep
    )
    region = django_filters.ModelChoiceFilter(
        label=_("Region"),
        queryset=Region.objects.none(),
        to_field_name="code",
        empty_label=_("Any region"),
        method=keep,
    )
    category = django_filters.ModelChoiceFilter(
        label=_("Category"),
        queryset=TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID),
        to_field_name="code",
        empty_label=_("Any category"),
        help_text=_(
            "Referrals and their outcomes: those answering a need of this category. Goals: those of this pathway. "
            "Release readiness: clients with a high-priority need of this category, ready when each such need had "
            "a referral accepted before release. Supervision cases and check-ins: of clients with a need of this "
            "category. Services and organisations: listings of this category."
        ),
        method=keep,
    )
    sex = django_filters.ChoiceFilter(label=_("Sex"), choices=Sex.choices, empty_label=_("Any sex"), method=keep)
    age_band = django_filters.ChoiceFilter(
        label=_("Age band"), choices=AgeBand.choices, empty_label=_("Any age"), method=keep
    )

    class Meta:
        form = NameOrderedChoicesForm

    def __init__(self, data, scope: Scope):
        super().__init__(data, queryset=Region.objects.none())
        self.scope = scope
        self.filters["country"].extra["choices"] = [
            choice for choice in Country.choices if choice[0] in scope.countries
        ]
        self.filters["region"].queryset = Region.objects.filter(country__in=scope.countries)

    def criteria(self) -> tuple[Criteria, str]:
        """The criteria of a valid form, and the country chosen ("" for all of the scope's)."""
        data = self.form.cleaned_data
        end_month = data.get("end") or timezone.localdate().replace(day=1)
        start = data.get("start") or months_before(end_month, MONTHS_SHOWN - 1)
        if start > end_month:
            start, end_month = end_month, start
        end = months_before(end_month, -1) - datetime.timedelta(days=1)
        criteria = Criteria(
            start=start,
            end=end,
            region=data.get("region"),
            category=data.get("category"),
            sex=data.get("sex") or "",
            age_band=data.get("age_band") or "",
        )
        return criteria, data.get("country") or ""

    def described(self) -> list[tuple[str, str]]:
        """(label, value) of each filter as the report applied it, for the exports."""
        criteria, country = self.criteria()
        shown = {
            "start": criteria.start.strftime(MONTH_FORMAT),
            "end": criteria.end.strftime(MONTH_FORMAT),
            "country": str(Country(country).label) if country else str(_("Every country")),
        }
        for name in ("region", "category"):
            value = self.form.cleaned_data.get(name)
            shown[name] = str(value) if value else str(self.filters[name].extra["empty_label"])
        for name in ("sex", "age_band"):
            value = self.form.cleaned_data.get(name)
            choices = dict(self.filters[name].extra["choices"])
            shown[name] = str(choices[value]) if value else str(self.filters[name].extra["empty_label"])
        return [(str(self.filters[name].label), value) for name, value in shown.items()]


def months_before(month: datetime.date, count: int) -> datetime.date:
    index = month.year * 12 + month.month - 1 - count
    return datetime.date(index // 12, index % 12 + 1, 1)
