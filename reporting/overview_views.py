"""The national coordinator's start page and the lists behind its figures: referrals and organisations, never people.

Each page is for the coordinators of the country in its URL; anyone else gets 404 (audited), and
a list asked for another country's organisation, or for a filter value it does not know, answers
404 too. A list of referrals is audited, naming the referrals it showed.
"""

from collections.abc import Callable

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_filters import FilterSet

from portal.foundation.countries import Country
from portal.foundation.listing import paginate, query_without_page
from referrals.access import deny
from reporting.overview import (
    countries_overseen_by,
    days_overdue,
    get_country_for_coordinator,
    overview_of,
    record_referral_list,
)
from reporting.overview_filters import organisation_filter, referral_filter


@login_required
@require_GET
def overview_start(request: HttpRequest) -> HttpResponse:
    """The overview of the (first) country the user coordinates; 404 for anyone who coordinates none."""
    countries = countries_overseen_by(request.user)
    if not countries:
        raise deny(request.user, "reporting.country", "")
    return redirect("reporting:overview", country=countries[0])


OVERDUE_ORGANISATIONS_SHOWN = 20


@login_required
@never_cache
@require_GET
def overview(request: HttpRequest, country: str) -> HttpResponse:
    country = get_country_for_coordinator(request.user, country)
    figures = overview_of(request.user, country)
    context = {
        "country": country,
        "country_name": Country(country).label,
        **figures,
        # The page lists the organisations with the most overdue referrals; the list behind it has them all.
        "overdue_shown": figures["overdue"][:OVERDUE_ORGANISATIONS_SHOWN],
    }
    return render(request, "reporting/overview.html", context)


def country_list(request: HttpRequest, country: str, filter_of: Callable[[str, QueryDict], FilterSet]) -> dict:
    """The steps of every list behind the figures: the country check (404, audited), the filter (a value
    it refuses, such as another country's organisation or no such status, is a 404 too) and the page."""
    country = get_country_for_coordinator(request.user, country)
    filterset = filter_of(country, request.GET)
    if filterset.is_bound and not filterset.is_valid():
        raise deny(request.user, "reporting.filter", request.GET.urlencode()[:64])
    return {
        "country": country,
        "country_name": Country(country).label,
        "form": filterset.form,
        "page_obj": paginate(request, filterset.qs),
        "query_string": query_without_page(request),
    }


@login_required
@never_cache
@require_GET
def overview_referrals(request: HttpRequest, country: str) -> HttpResponse:
    """The country's referrals behind a figure: organisation, service, sent date, days overdue, status; no person."""
    context = country_list(request, country, referral_filter)
    referrals = context["page_obj"].object_list
    record_referral_list(request.user, context["country"], referrals)
    today = timezone.localdate()
    context["rows"] = [(referral, days_overdue(referral, today)) for referral in referrals]
    return render(request, "reporting/overview_referrals.html", context)


@login_required
@never_cache
@require_GET
def overview_organisations(request: HttpRequest, country: str) -> HttpResponse:
    """The country's listed organisations: kind, when their listing was last verified, how many services they list."""
    context = country_list(request, country, organisation_filter)
    return render(request, "reporting/overview_organisations.html", context)
