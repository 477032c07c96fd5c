"""Services suggested for a client, ranked by how well they fit, each with the reasons why.

Eligibility (sex, age) and the region rule are the public directory's own filters, so a
suggestion never disagrees with what a directory search for the same person would show.
"""

from dataclasses import dataclass, field

from django.db.models import Case, Exists, Expression, OuterRef, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cso_directory.models import Capacity, Delivery, ServicePage, ServiceStatus, SexServed
from referrals.access import referable_services_for
from referrals.models import DUPLICATE_BLOCKING_STATUSES, Client, Consent, Priority

SUGGESTION_LIMIT = 8
PRIORITY_WEIGHTS = {Priority.HIGH: 30, Priority.MEDIUM: 20, Priority.LOW: 10}
REGION_WEIGHT = 15
REMOTE_WEIGHT = 5
LANGUAGE_WEIGHT = 10
CAPACITY_WEIGHTS = {Capacity.ACCEPTING: 6, Capacity.WAITLIST: 3}
NEED_REASONS = {
    Priority.HIGH: gettext_lazy("Meets a high-priority need: %(pathway)s"),
    Priority.MEDIUM: gettext_lazy("Meets a medium-priority need: %(pathway)s"),
    Priority.LOW: gettext_lazy("Meets a low-priority need: %(pathway)s"),
}


DUPLICATE_WARNING = gettext_lazy("%(reference)s already has an open referral to this service.")
CAPACITY_WARNINGS = {
    Capacity.FULL: gettext_lazy("This service is full at the moment: the referral may wait or be declined."),
    Capacity.WAITLIST: gettext_lazy("This service has a waiting list."),
}


@dataclass
class Suggestion:
    service: ServicePage
    score: int = 0
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    missing_consent: str = ""

    def add(self, weight: int, reason: str) -> None:
        self.score += weight
        self.reasons.append(reason)


def eligible_services(client: Client, categories) -> QuerySet[ServicePage]:
    """Active services the client may be referred to, in one of `categories`, whose criteria the client meets."""
    services = referable_services_for(client).filter(status=ServiceStatus.ACTIVE, categories__in=categories)
    return services.serving_person(sex=client.sex, age=client.age).distinct()


def services_in_region(services, region) -> set[int]:
    """The services among `services` that serve `region`: theirs, or their organisation's if they name none."""
    if region is None:
        return set()
    return set(services.serving_region(region).values_list("pk", flat=True))


def fit(client: Client, needs: dict) -> Expression:
    """The score `rank` gives a service, computed by the database, so that only the best are read."""
    met = ServicePage.categories.through.objects.filter(servicepage=OuterRef("pk"), taxonomyterm__in=list(needs))
    need_weight = Case(
        *[When(taxonomyterm=pk, then=Value(PRIORITY_WEIGHTS[need.priority])) for pk, need in needs.items()],
        default=Value(0),
    )
    needs_met = Subquery(met.values("servicepage").annotate(total=Sum(need_weight)).values("total"))
    place = [When(delivery__in=[Delivery.REMOTE, Delivery.BOTH], then=Value(REMOTE_WEIGHT))]
    if client.region_of_return is not None:
        serving = referable_services_for(client).serving_region(client.region_of_return).values("pk")
        place.insert(0, When(pk__in=serving, then=Value(REGION_WEIGHT)))
    shared = ServicePage.languages.through.objects.filter(
        servicepage=OuterRef("pk"), language__in=client.languages.values("pk")
    )
    capacity = [When(capacity=value, then=Value(weight)) for value, weight in CAPACITY_WEIGHTS.items()]
    return (
        Coalesce(needs_met, 0)
        + Case(*place, default=Value(0))
        + Case(When(Exists(shared), then=Value(LANGUAGE_WEIGHT)), default=Value(0))
        + Case(*capacity, default=Value(0))
    )


def suggest_services(client: Client, limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
    """The best-fitting services for the client's needs, in a fixed number of queries: the database
    ranks every eligible service; only the shown ones are read, with the reasons of their score."""
    needs = {need.category_id: need for need in client.needs.select_related("category")}
    if not needs:
        return []
    ranked = eligible_services(client, list(needs)).annotate(fit=fit(client, needs)).order_by("-fit", "title", "pk")
    best = list(ranked.select_related("organisation").prefetch_related("categories", "languages")[:limit])
    in_region = services_in_region(
        ServicePage.objects.filter(pk__in=[service.pk for service in best]), client.region_of_return
    )
    client_languages = {language.code: language for language in client.languages.all()}
    suggestions = [rank(service, client, needs, service.pk in in_region, client_languages) for service in best]
    return with_notices(client, suggestions)


def with_notices(client: Client, suggestions: list[Suggestion]) -> list[Suggestion]:
    """Each suggestion with its warnings and the consent it lacks, in two queries for all of them."""
    pending = pending_service_ids(client)
    consents = list(client.consents.all())
    for suggestion in suggestions:
        suggestion.warnings = referral_warnings(client, suggestion.service, pending)
        suggestion.missing_consent = missing_consent(suggestion.service, consents)
    return suggestions


def pending_service_ids(client: Client) -> set[int]:
    """The services the client already has a draft or open referral to."""
    return set(client.referrals.filter(status__in=DUPLICATE_BLOCKING_STATUSES).values_list("service_id", flat=True))


def referral_warnings(client: Client, service: ServicePage, pending: set[int]) -> list[str]:
    """What the referrer should know before referring: the service's capacity, an open referral already."""
    warnings = [str(CAPACITY_WARNINGS[service.capacity])] if service.capacity in CAPACITY_WARNINGS else []
    if service.pk in pending:
        warnings.append(DUPLICATE_WARNING % {"reference": client.reference})
    return warnings


def missing_consent(service: ServicePage, consents: list[Consent]) -> str:
    """Why no consent in force lets the service be told about the person, or "" when one does."""
    organisation = service.organisation
    if any(consent.covers(organisation) for consent in consents):
        return ""
    return _(
        "This person has no consent in force for sharing with this kind of organisation (%(kind)s). "
        "Record consent first."
    ) % {"kind": organisation.get_kind_display()}


def rank(service: ServicePage, client: Client, needs: dict, in_region: bool, client_languages: dict) -> Suggestion:
    suggestion = Suggestion(service)
    for category in service.categories.all():
        need = needs.get(category.pk)
        if need is not None:
            suggestion.add(
                PRIORITY_WEIGHTS[need.priority], str(NEED_REASONS[need.priority]) % {"pathway": str(category)}
            )
    if in_region:
        region = client.region_of_return
        suggestion.add(REGION_WEIGHT, _("Serves %(region)s, where the person will return") % {"region": region})
    elif service.delivery in (Delivery.REMOTE, Delivery.BOTH):
        suggestion.add(REMOTE_WEIGHT, _("Can be received remotely"))
    shared = [language.autonym for language in service.languages.all() if language.code in client_languages]
    if shared:
        suggestion.add(
            LANGUAGE_WEIGHT, _("Works in the person's language: %(languages)s") % {"languages": ", ".join(shared)}
        )
    if service.capacity in CAPACITY_WEIGHTS:
        suggestion.add(CAPACITY_WEIGHTS[service.capacity], str(Capacity(service.capacity).label))
    if has_eligibility_criteria(service):
        suggestion.add(0, _("The person meets its sex and age criteria"))
    return suggestion


def has_eligibility_criteria(service: ServicePage) -> bool:
    return service.sex_served != SexServed.ANY or service.minimum_age is not None or service.maximum_age is not None
