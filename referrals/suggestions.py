"""Services suggested for a client, ranked by how well they fit, each with the reasons why.

Eligibility (sex, age) and the region rule are the public directory's own filters, so a
suggestion never disagrees with what a directory search for the same person would show.
"""

from dataclasses import dataclass, field

from django.db.models import QuerySet
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


def suggest_services(client: Client, limit: int = SUGGESTION_LIMIT) -> list[Suggestion]:
    """The best-fitting services for the client's needs, in a fixed number of queries."""
    needs = {need.category_id: need for need in client.needs.select_related("category")}
    if not needs:
        return []
    services = eligible_services(client, list(needs))
    in_region = services_in_region(services, client.region_of_return)
    client_languages = {language.code: language for language in client.languages.all()}
    suggestions = [
        rank(service, client, needs, service.pk in in_region, client_languages)
        for service in services.select_related("organisation").prefetch_related("categories", "languages")
    ]
    suggestions.sort(key=lambda suggestion: (-suggestion.score, suggestion.service.title))
    return with_notices(client, suggestions[:limit])


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
