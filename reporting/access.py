"""Which figures a user may see. Every reporting page, export and API answer asks here.

- A national coordinator: the figures of their country (of each country they coordinate).
- A CSO caseworker or editor: their organisation's own figures: the referrals it received,
  its answer times and the outcomes it recorded; nothing of aftercare or of the directory.
- An international viewer (donor, UN): the figures of every country, and nothing else.
- Anyone else: 404, as for a page that does not exist.
A user holding several of these roles gets the widest: viewer, then coordinator, then CSO.
Nobody sees a person: figures are counts, rates and times, suppressed when small (suppression).
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Exists, OuterRef, QuerySet
from django.http import Http404

from aftercare.models import CheckIn, Goal, SupervisionCase
from cso_directory.models import OrganisationPage, ServicePage, TaxonomyTerm
from portal.foundation.countries import Country
from portal.foundation.roles import Role
from referrals.access import AnyUser, countries_coordinated_by, organisations_where
from referrals.models import CASE_TEAM_STATUSES, Need, Priority, Referral, ReferralEvent, ReferralStatus

CSO_ROLES = (Role.CSO_CASEWORKER, Role.CSO_EDITOR)


class Audience(StrEnum):
    VIEWER = "viewer"
    COORDINATOR = "coordinator"
    CSO = "cso"


# The dashboards (groups of tables) each audience sees.
GROUPS = ("referrals", "outcomes", "release", "aftercare", "network")
GROUPS_OF = {
    Audience.VIEWER: GROUPS,
    Audience.COORDINATOR: GROUPS,
    Audience.CSO: ("referrals", "outcomes", "network"),
}


@dataclass(frozen=True)
class Scope:
    """Whose figures a user sees: countries, and for a CSO its organisations within them."""

    audience: Audience
    countries: tuple[str, ...]
    organisations: tuple[int, ...] = ()

    @property
    def groups(self) -> tuple[str, ...]:
        return GROUPS_OF[self.audience]

    @property
    def is_cso(self) -> bool:
        return self.audience == Audience.CSO

    def narrowed_to(self, country: str | None) -> "Scope":
        """The same scope in one of its countries (a filter), or as it is."""
        if not country:
            return self
        if country not in self.countries:
            raise Http404
        return Scope(self.audience, (country,), self.organisations)


def scope_of(user: AnyUser) -> Scope:
    """The figures `user` may see; 404 for a user who may see none."""
    if organisations_where(user, Role.INTERNATIONAL_VIEWER).exists():
        return Scope(Audience.VIEWER, tuple(Country.values))
    countries = tuple(sorted(set(countries_coordinated_by(user).values_list("country", flat=True))))
    if countries:
        return Scope(Audience.COORDINATOR, countries)
    organisations = OrganisationPage.objects.filter(pk__in=organisations_where(user, *CSO_ROLES))
    rows = list(organisations.values_list("pk", "country"))
    if rows:
        return Scope(Audience.CSO, tuple(sorted({country for _pk, country in rows})), tuple(pk for pk, _c in rows))
    raise Http404


def group_for(user: AnyUser, group: str) -> Scope:
    """The user's scope for one dashboard; 404 for a dashboard they may not see (or that does not exist)."""
    scope = scope_of(user)
    if group not in scope.groups:
        raise Http404
    return scope


def may_see_reports(user: AnyUser) -> bool:
    try:
        scope_of(user)
    except Http404:
        return False
    return True


def referrals_in(scope: Scope) -> QuerySet[Referral]:
    """Sent referrals (never drafts) of the scope's clients, or received by the scope's organisations."""
    referrals = Referral.objects.filter(sent_at__isnull=False, client__country__in=scope.countries)
    if scope.is_cso:
        referrals = referrals.filter(receiving_organisation__in=scope.organisations)
    return referrals


def answers_to(referrals: QuerySet[Referral]) -> QuerySet[ReferralEvent]:
    """The answers (accepted or declined) to `referrals` (some of a scope's, from `referrals_in`):
    one per answered referral."""
    return ReferralEvent.objects.filter(verb__in=("accept", "decline"), referral__in=referrals.values("pk"))


def with_readiness(cases: QuerySet[SupervisionCase], category: TaxonomyTerm | None = None) -> QuerySet[SupervisionCase]:
    """The cases whose client has high-priority needs (of `category`, if given), each `ready` when every
    one of those needs had a referral accepted on or before the release day (the case's opening)."""
    high = Need.objects.filter(client=OuterRef("client"), priority=Priority.HIGH)
    if category is not None:
        high = high.filter(category=category)
    accepted_before = Referral.objects.filter(
        need=OuterRef("pk"), events__verb="accept", events__at__date__lte=OuterRef(OuterRef("opened_on"))
    )
    unmet = high.filter(~Exists(accepted_before))
    return cases.filter(Exists(high)).annotate(ready=~Exists(unmet))


def clients_with_need_of(category: TaxonomyTerm) -> QuerySet:
    """The ids of the clients with a need of `category` (any priority), as a subquery."""
    return Need.objects.filter(category=category).values("client_id")


def cases_in(scope: Scope) -> QuerySet[SupervisionCase]:
    if scope.is_cso:
        return SupervisionCase.objects.none()
    return SupervisionCase.objects.filter(client__country__in=scope.countries)


def check_ins_in(scope: Scope) -> QuerySet[CheckIn]:
    return CheckIn.objects.filter(case__in=cases_in(scope).values("pk"))


def goals_in(scope: Scope) -> QuerySet[Goal]:
    return Goal.objects.filter(case__in=cases_in(scope).values("pk"))


def services_in(scope: Scope) -> QuerySet[ServicePage]:
    """The live, active listings of the scope's countries (a CSO sees none: not its own figures)."""
    if scope.is_cso:
        return ServicePage.objects.none()
    return ServicePage.objects.live().filter(status="active", organisation__country__in=scope.countries)


def organisations_in(scope: Scope) -> QuerySet[OrganisationPage]:
    if scope.is_cso:
        return OrganisationPage.objects.none()
    return OrganisationPage.objects.live().filter(country__in=scope.countries)


def referrals_of_country(country: str) -> QuerySet[Referral]:
    """The referrals the country's figures count: every one that was sent, of the country's clients."""
    return Referral.objects.filter(client__country=country).exclude(status=ReferralStatus.DRAFT)


def open_needs() -> QuerySet[Need]:
    """Needs no accepted referral answers (yet): no referral of the need is accepted, in progress or completed."""
    answered = Referral.objects.filter(need=OuterRef("pk"), status__in=CASE_TEAM_STATUSES)
    return Need.objects.filter(~Exists(answered))
