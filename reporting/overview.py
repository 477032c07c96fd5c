"""The national coordinator's start page: what needs action now in their country, and the referral pipeline.

Every figure is one aggregation query over the country's records, so the page asks the database
the same number of times however many referrals, needs or check-ins there are. Figures count
referrals, services, organisations and check-ins, never people, and a count from 1 to 4 is shown
as "<5" (small-cell suppression), so no figure points at a person. Counts of directory records
(services, listings, members awaiting approval) are the coordinator's own work items, shown as they are.
"""

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, F, Func, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Cast, Coalesce, TruncMonth
from django.utils import timezone
from wagtail.models import Page, WorkflowState

from aftercare.models import CheckIn, CheckInStatus
from cso_directory.access import membership_requests_visible_to
from cso_directory.models import Capacity, OrganisationPage, Region, ServicePage
from portal.foundation.collation import sorted_by_name
from portal.foundation.countries import Country
from portal.foundation.listing import record_shown
from referrals.access import countries_coordinated_by, deny
from referrals.models import Referral, ReferralStatus, overdue
from reporting.access import open_needs, referrals_of_country
from reporting.suppression import shown_alone

AnyUser = User | AnonymousUser
TREND_MONTHS = 6
MISSED_CHECK_IN_DAYS = 30
VERIFICATION_DAYS = 365
CONSTRAINED_CAPACITIES = (Capacity.FULL, Capacity.WAITLIST)
# The statuses of the pipeline: every status a sent referral can be in (a draft was never sent).
PIPELINE_STATUSES = [(status, label) for status, label in ReferralStatus.choices if status != ReferralStatus.DRAFT]


# Access ----------------------------------------------------------------------------------------


def countries_overseen_by(user: AnyUser) -> list[str]:
    """The countries whose overview the user may read: those they are a national coordinator of."""
    return sorted(set(countries_coordinated_by(user).values_list("country", flat=True)))


def get_country_for_coordinator(user: AnyUser, country: str) -> str:
    """The country, if the user coordinates it; otherwise 404 (audited), like a country that does not exist."""
    if country not in Country.values or not countries_coordinated_by(user).filter(country=country).exists():
        raise deny(user, "reporting.country", country)
    return country


def organisations_of_country(country: str) -> QuerySet[OrganisationPage]:
    return OrganisationPage.objects.filter(country=country)


def listed_organisations_of_country(country: str) -> QuerySet[OrganisationPage]:
    """The country's organisations the public directory lists (published)."""
    return OrganisationPage.objects.live().filter(country=country)


# The lists behind the figures ------------------------------------------------------------------


def listed_referrals(referrals: QuerySet[Referral]) -> QuerySet[Referral]:
    """The referrals of a list, newest first, with what a row shows: organisation, service, dates, status."""
    return referrals.select_related("service", "receiving_organisation").order_by("-sent_at", "pk")


def listed_organisations(organisations: QuerySet[OrganisationPage]) -> QuerySet[OrganisationPage]:
    """The organisations of a list by name, each with how many services it lists (`listed_services`)."""
    services = ServicePage.objects.live().filter(organisation=OuterRef("pk"))
    return organisations.annotate(listed_services=count_of(services)).order_by("title", "pk")


def days_overdue(referral: Referral, today: datetime.date) -> int | None:
    due = referral.response_due
    return (today - due).days if referral.is_overdue and due is not None else None


def record_referral_list(user: AnyUser, country: str, referrals: list[Referral]) -> None:
    """A list of the country's referrals was read: audited once, naming the referrals it showed."""
    record_shown(user, "referral.list", ("referrals.referral", f"country:{country}"), referrals)


# What needs action now -------------------------------------------------------------------------


def overdue_by_organisation(country: str) -> list[dict]:
    """Referrals whose answer is overdue, counted per receiving organisation, in one query."""
    rows = (
        referrals_of_country(country)
        .filter(overdue())
        .values("receiving_organisation", "receiving_organisation__title")
        .annotate(count=Count("pk"))
        .order_by("-count", "receiving_organisation__title")
    )
    return [
        {"organisation": row["receiving_organisation"], "title": row["receiving_organisation__title"], **shown(row)}
        for row in rows
    ]


def count_of(queryset: QuerySet) -> Coalesce:
    """How many distinct rows `queryset` holds, as a subquery a query can annotate with (no GROUP BY)."""
    counted = queryset.order_by().annotate(
        counted=Func(F("pk"), function="COUNT", template="COUNT(DISTINCT %(expressions)s)", output_field=IntegerField())
    )
    return Coalesce(Subquery(counted.values("counted")), 0)


def constrained_services(capacity: str) -> QuerySet[ServicePage]:
    """Listed services of this capacity serving the outer query's region, directly or through their organisation."""
    region = OuterRef("pk")
    serving = Q(regions=region) | Q(regions__isnull=True, organisation__regions=region)
    return ServicePage.objects.live().filter(serving, capacity=capacity)


def constrained_regions(country: str) -> list[dict]:
    """Regions where clients have open needs and some services are full or wait-listed, in one query."""
    regions = (
        Region.objects.filter(country=country)
        .annotate(
            needs=count_of(open_needs().filter(client__region_of_return=OuterRef("pk"))),
            full=count_of(constrained_services(Capacity.FULL)),
            waitlist=count_of(constrained_services(Capacity.WAITLIST)),
        )
        .filter(Q(full__gt=0) | Q(waitlist__gt=0), needs__gt=0)
    )
    return [
        {
            "region": region,
            "needs": shown_alone(region.needs),
            "full": region.full,
            "waitlist": region.waitlist,
        }
        for region in sorted(sorted_by_name(regions), key=lambda region: -region.needs)
    ]


def missed_check_ins_by_office(country: str, today: datetime.date) -> list[dict]:
    """Check-ins missed in the last 30 days on open supervision cases, counted per probation office."""
    rows = (
        CheckIn.objects.filter(
            case__client__country=country,
            case__closed_on__isnull=True,
            status=CheckInStatus.MISSED,
            due_on__gte=today - datetime.timedelta(days=MISSED_CHECK_IN_DAYS),
        )
        .values("case__probation_office__title")
        .annotate(count=Count("pk"))
        .order_by("-count", "case__probation_office__title")
    )
    return [{"title": row["case__probation_office__title"], **shown(row)} for row in rows]


def listings_awaiting_approval(country: str) -> int:
    """Organisation and service pages of the country with a change in moderation (a workflow in progress)."""
    pages = Page.objects.filter(Q(organisationpage__country=country) | Q(servicepage__organisation__country=country))
    return (
        WorkflowState.objects.filter(
            status=WorkflowState.STATUS_IN_PROGRESS,
            base_content_type=ContentType.objects.get_for_model(Page),
            object_id__in=pages.annotate(text_id=Cast("pk", CharField())).values("text_id"),
        )
        .values("object_id")
        .distinct()
        .count()
    )


def not_verified_since(today: datetime.date, organisation: str = "") -> Q:
    """Organisations whose `verified_on` date is missing or over 12 months old.

    Verification is recorded on the organisation only (`OrganisationPage.verified_on`): a service is
    as verified as its organisation, so `organisation="organisation__"` asks it of a service's one.
    """
    verified_since = today - datetime.timedelta(days=VERIFICATION_DAYS)
    return Q(**{f"{organisation}verified_on__isnull": True}) | Q(**{f"{organisation}verified_on__lt": verified_since})


def unverified_organisations(country: str, today: datetime.date) -> QuerySet[OrganisationPage]:
    return listed_organisations_of_country(country).filter(not_verified_since(today))


def unverified_services(country: str, today: datetime.date) -> QuerySet[ServicePage]:
    """The country's listed services whose organisation was not verified in the last 12 months."""
    return (
        ServicePage.objects.live()
        .filter(organisation__country=country)
        .filter(not_verified_since(today, organisation="organisation__"))
    )


def members_awaiting_approval(user: AnyUser, country: str) -> int:
    return membership_requests_visible_to(user).filter(organisation__country=country).count()


# The referral pipeline -------------------------------------------------------------------------


def trend_months(today: datetime.date) -> list[datetime.date]:
    """The first day of this month and of the five before it, oldest first."""
    months = [today.replace(day=1)]
    for _ in range(TREND_MONTHS - 1):
        months.insert(0, (months[0] - datetime.timedelta(days=1)).replace(day=1))
    return months


def pipeline(country: str, today: datetime.date) -> dict:
    """Referrals sent in each of the last six months, by their status now, in one query.

    Each row is a status with one cell per month: the count, the figure as published and the month.
    """
    months = trend_months(today)
    rows = (
        referrals_of_country(country)
        .filter(sent_at__gte=start_of(months[0]))
        .annotate(month=TruncMonth("sent_at"))
        .values("status", "month")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {(row["status"], timezone.localdate(row["month"])): row["count"] for row in rows}
    return {
        "months": months,
        "rows": [
            {
                "status": status,
                "label": label,
                "cells": [{"month": month, **shown({"count": counts.get((status, month), 0)})} for month in months],
            }
            for status, label in PIPELINE_STATUSES
        ],
    }


def start_of(day: datetime.date) -> datetime.datetime:
    """Midnight at the start of `day`, in the portal's time zone."""
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def shown(row: dict) -> dict:
    """The row's count and its figure as published."""
    return {"count": row["count"], "figure": shown_alone(row["count"])}


def overview_of(user: AnyUser, country: str) -> dict:
    """Everything the coordinator's start page shows, in a fixed number of queries."""
    today = timezone.localdate()
    return {
        "overdue": overdue_by_organisation(country),
        "constrained_regions": constrained_regions(country),
        "missed_check_ins": missed_check_ins_by_office(country, today),
        "awaiting_approval": listings_awaiting_approval(country),
        "unverified": unverified_organisations(country, today).count(),
        "unverified_services": unverified_services(country, today).count(),
        "members_awaiting_approval": members_awaiting_approval(user, country),
        "pipeline": pipeline(country, today),
    }
