"""Who may see what in the directory. Every view, API endpoint and export asks here.

The models import this module, so functions that query a model import it where they run.
"""

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import Q, QuerySet

from portal.foundation.countries import Country
from portal.foundation.roles import Role


def can_see_sensitive_attributes(user: User | AnonymousUser) -> bool:
    """Signed-in staff (anyone with a membership) see provider attributes the public never sees."""
    if not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    return user.memberships.exists()


def managed_countries(user: User | AnonymousUser) -> frozenset[str]:
    """The countries whose members the user manages: those they coordinate, or every one for a superuser."""
    if not user.is_authenticated:
        return frozenset()
    if not user.is_active:
        return frozenset()
    if user.is_superuser:
        return frozenset(Country.values)
    coordinations = user.memberships.filter(role=Role.NATIONAL_COORDINATOR)
    return frozenset(coordinations.values_list("organisation__country", flat=True))


# The roles whose holders read person records (clients, referrals, cases, notes): referrals.access
# and aftercare.access grant them, by these roles, the clients of their organisations. Nobody may
# give one of these roles to themself without a second person's approval.
PERSON_DATA_ROLES = frozenset(
    {Role.PRISON_SOCIAL_WORKER, Role.PROBATION_OFFICER, Role.PROBATION_SUPERVISOR, Role.CSO_CASEWORKER}
)


def is_self_grant(actor: User | AnonymousUser | None, user: User, role: str) -> bool:
    """Whether `actor` would be giving themself a role that reads person data."""
    return actor is not None and actor.pk == user.pk and role in PERSON_DATA_ROLES


def memberships_visible_to(user: User | AnonymousUser) -> QuerySet:
    """The memberships a user may list, change and remove: those of the countries they manage."""
    from cso_directory.models import Membership

    memberships = Membership.objects.select_related("user", "organisation")
    return memberships.filter(organisation__country__in=managed_countries(user))


def organisations_managed_by(user: User | AnonymousUser) -> QuerySet:
    """The organisations a user may add members to."""
    from cso_directory.models import OrganisationPage

    return OrganisationPage.objects.filter(country__in=managed_countries(user)).order_by("title")


def can_manage_user(manager: User | AnonymousUser, user: User) -> bool:
    """Whether `manager` may give `user` a membership: never a superuser, never a user of another country."""
    countries = managed_countries(manager)
    if not countries:
        return False
    if user.is_superuser:
        return manager.is_superuser
    return not user.memberships.exclude(organisation__country__in=countries).exists()


def services_whose_capacity_user_may_set(user: User | AnonymousUser) -> QuerySet:
    """Services whose capacity the user may change at once: their organisation's as its editor,
    their country's as its coordinator, every one as a superuser."""
    from cso_directory.models import ServicePage

    if not user.is_authenticated or not user.is_active:
        return ServicePage.objects.none()
    if user.is_superuser:
        return ServicePage.objects.all()
    editors = Q(organisation__memberships__user=user, organisation__memberships__role=Role.CSO_EDITOR)
    return ServicePage.objects.filter(editors | Q(organisation__country__in=managed_countries(user))).distinct()


def can_change_organisation_kind(user: User | AnonymousUser, country: str) -> bool:
    """Whether the user may say what kind an organisation of `country` is (CSO, prison...): its coordinators."""
    return country in managed_countries(user)


def membership_requests_visible_to(user: User | AnonymousUser) -> QuerySet:
    """The memberships awaiting approval a user may list: those of the countries they manage."""
    from cso_directory.models import MembershipRequest

    requests = MembershipRequest.objects.select_related("user", "organisation", "membership")
    return requests.filter(organisation__country__in=managed_countries(user)).order_by("created_at", "pk")


def membership_requests_decidable_by(user: User | AnonymousUser) -> QuerySet:
    """The requests a user may approve or refuse: a second person decides, a coordinator of the
    organisation's country or a superuser, never the requester."""
    return membership_requests_visible_to(user).exclude(user=user.pk)


def coordinators_by_country(countries) -> dict[str, list[User]]:
    """The active national coordinators of each of `countries`, in one query: who may approve requests there."""
    from cso_directory.models import Membership

    coordinations = Membership.objects.filter(
        role=Role.NATIONAL_COORDINATOR, organisation__country__in=countries, user__is_active=True
    ).select_related("user", "organisation")
    found: dict[str, list[User]] = {}
    for membership in coordinations.order_by("user__username"):
        users = found.setdefault(membership.organisation.country, [])
        if membership.user not in users:
            users.append(membership.user)
    return found
