"""The national coordinator's start page and the lists behind its figures: referrals and organisations, never people.

Each page is for the coordinators of the country in its URL; anyone else gets 404 (audited), and
a list asked for another country's organisation, or for a filter value it does not know, answers
404 too. A list of referrals is audited, naming the referrals it showed.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from portal.foundation.audit import record_event
from portal.foundation.countries import Country
from portal.foundation.listing import paginate, query_without_page
from referrals.access import deny
from reporting.overview import (
    countries_overseen_by,
    get_country_for_coordinator,
    listed_organisations_of_country,
    overview_of,
    referrals_of_country,
)
from reporting.overview_filters import CountryOrganisationFilter, CountryReferralFilter


@login_required
@require_GET
def overview_start(request: HttpRequest) -> HttpResponse:
    """The overview of the (first) country the user coordinates; 404 for anyone who coordinates none."""
    countries = countries_overseen_by(request.user)
    if not countries:
        raise deny(request.user, "reporting.country", "")
    return redirect("reporting:overview", country=countries[0])


@login_required
@never_cache
@require_GET
def overview(request: HttpRequest, country: str) -> HttpResponse:
    country = get_country_for_coordinator(request.user, country)
    context = {"country": country, "country_name": Country(country).label, **overview_of(request.user, country)}
    return render(request, "reporting/overview.html", context)


def filtered_or_404(request: HttpRequest, filterset):
    """The filtered rows; a value the filter refuses (another country's organisation, no such status) is a 404."""
    if filterset.is_bound and not filterset.is_valid():
        raise deny(request.user, "reporting.filter", request.GET.urlencode()[:64])
    return filterset.qs


@login_required
@never_cache
@require_GET
def overview_referrals(request: HttpRequest, country: str) -> HttpResponse:
    """The country's referrals behind a figure: organisation, service, sent date, days overdue, status; no person."""
    country = get_country_for_coordinator(request.user, country)
    referral_filter = CountryReferralFilter(
        request.GET or None, queryset=referrals_of_country(country), country=country
    )
    referrals = filtered_or_404(request, referral_filter)
    page = paginate(request, referrals.select_related("service", "receiving_organisation").order_by("-sent_at", "pk"))
    record_event(
        request.user,
        "referral.list",
        ("referrals.referral", f"country:{country}"),
        ids=[str(referral.pk) for referral in page.object_list],
    )
    today = timezone.localdate()
    context = {
        "country": country,
        "country_name": Country(country).label,
        "form": referral_filter.form,
        "page_obj": page,
        "rows": [(referral, days_overdue(referral, today)) for referral in page.object_list],
        "query_string": query_without_page(request),
    }
    return render(request, "reporting/overview_referrals.html", context)


def days_overdue(referral, today) -> int | None:
    return (today - referral.response_due).days if referral.is_overdue else None


@login_required
@never_cache
@require_GET
def overview_organisations(request: HttpRequest, country: str) -> HttpResponse:
    """The country's listed organisations: kind and when their listing was last verified."""
    country = get_country_for_coordinator(request.user, country)
    organisation_filter = CountryOrganisationFilter(
        request.GET or None, queryset=listed_organisations_of_country(country)
    )
    organisations = filtered_or_404(request, organisation_filter)
    page = paginate(request, organisations.order_by("title", "pk"))
    context = {
        "country": country,
        "country_name": Country(country).label,
        "form": organisation_filter.form,
        "page_obj": page,
        "query_string": query_without_page(request),
    }
    return render(request, "reporting/overview_organisations.html", context)
