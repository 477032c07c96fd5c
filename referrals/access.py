"""Who may see and change which client and referral. Every view, API endpoint and export asks here.

- A client is seen by the social workers of the prison holding them (until the access period
  after handover ends) and by the probation staff of the office they are handed to. Nobody
  else reads a client record.
- A referral is seen by those who see its client (the referring side), and, once sent, by the
  caseworkers of the receiving organisation, who read only what the referral disclosed.
- Who accessed a client's record is seen by those who answer for it: the probation supervisors
  of the client's probation office and the national coordinators of the client's country.
  Everything held about a client (the subject-access export) is for those coordinators only.
Anything else answers 404, exactly like a record that does not exist, and the denial is audited.
A write by someone who may see the record but not change it answers 403, audited as well.
"""

import uuid

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q, QuerySet
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from cso_directory.models import OrganisationPage, ServicePage, ServicePageQuerySet
from portal.foundation.audit import audited, record_event
from portal.foundation.models import AuditEvent, Decision
from portal.foundation.roles import Role
from referrals.models import (
    REFERABLE_KINDS,
    Client,
    Consent,
    Notification,
    Referral,
    ReferralStatus,
    Side,
    StrOrPromise,
)

AnyUser = User | AnonymousUser
REFERRING_ROLES = (Role.PRISON_SOCIAL_WORKER, Role.PROBATION_OFFICER)


def organisations_where(user: AnyUser, *roles: Role) -> QuerySet:
    """The organisations in which an active user holds one of `roles`, as a subquery."""
    if not user.is_authenticated or not user.is_active:
        return OrganisationPage.objects.none().values("pk")
    return OrganisationPage.objects.filter(memberships__user=user, memberships__role__in=roles).values("pk")


def any_of(model: type[models.Model], *subsets: QuerySet) -> QuerySet:
    """The rows of `model` in any of `subsets`, as `id IN (… UNION …)`: each subset is read through its
    own index, where one OR across two columns would make PostgreSQL scan the whole table."""
    ids = [subset.order_by().values("pk") for subset in subsets]
    return model._default_manager.filter(pk__in=ids[0].union(*ids[1:]))


def clients_held_by(user: AnyUser) -> QuerySet[Client]:
    """Clients of the prisons where the user is a social worker, until the access after handover ends."""
    held = Client.objects.filter(prison__in=organisations_where(user, Role.PRISON_SOCIAL_WORKER))
    return held.filter(Q(prison_access_until__isnull=True) | Q(prison_access_until__gte=timezone.localdate()))


def clients_supervised_by(user: AnyUser) -> QuerySet[Client]:
    """Clients handed to the probation offices where the user is an officer or a supervisor."""
    offices = organisations_where(user, Role.PROBATION_OFFICER, Role.PROBATION_SUPERVISOR)
    return Client.objects.filter(probation_office__in=offices)


def clients_visible_to(user: AnyUser) -> QuerySet[Client]:
    """For listing and looking up clients: a page walks the reference index (or a lookup the primary
    key) with both tests on a handful of organisation ids, so it stops as soon as it has its rows."""
    held = Q(prison__in=organisations_where(user, Role.PRISON_SOCIAL_WORKER)) & (
        Q(prison_access_until__isnull=True) | Q(prison_access_until__gte=timezone.localdate())
    )
    supervised = Q(probation_office__in=organisations_where(user, Role.PROBATION_OFFICER, Role.PROBATION_SUPERVISOR))
    return Client.objects.filter(held | supervised)


def visible_client_ids(user: AnyUser) -> QuerySet:
    """The ids of the clients the user sees, as a subquery for the records about them (referrals,
    cases, notes, consent): read through the prison and probation office indexes."""
    return any_of(Client, clients_held_by(user), clients_supervised_by(user)).values("pk")


def countries_of_clients_visible_to(user: AnyUser) -> QuerySet:
    """The countries the user's clients can be in, as a subquery: those of their prisons and probation
    offices (a client's country is its prison's), found without reading a single client."""
    offices = organisations_where(user, Role.PRISON_SOCIAL_WORKER, Role.PROBATION_OFFICER, Role.PROBATION_SUPERVISOR)
    return OrganisationPage.objects.filter(pk__in=offices).values("country")


def countries_coordinated_by(user: AnyUser) -> QuerySet:
    """The countries where the user is a national coordinator, as a subquery."""
    coordination = OrganisationPage.objects.filter(pk__in=organisations_where(user, Role.NATIONAL_COORDINATOR))
    return coordination.values("country")


def clients_coordinated_by(user: AnyUser) -> QuerySet[Client]:
    return Client.objects.filter(country__in=countries_coordinated_by(user))


def clients_overseen_by(user: AnyUser) -> QuerySet[Client]:
    """Clients whose access log the user may read: as a supervisor of their probation office or a
    national coordinator of their country."""
    supervised = Client.objects.filter(probation_office__in=organisations_where(user, Role.PROBATION_SUPERVISOR))
    return any_of(Client, supervised, clients_coordinated_by(user))


def referrals_received_by(user: AnyUser) -> QuerySet[Referral]:
    """The referrals sent to the organisations where the user is a caseworker (never their drafts)."""
    caseworkers_at = organisations_where(user, Role.CSO_CASEWORKER)
    return Referral.objects.filter(receiving_organisation__in=caseworkers_at).exclude(status=ReferralStatus.DRAFT)


def referrals_visible_to(user: AnyUser) -> QuerySet[Referral]:
    # Not a UNION like the clients: a user may see tens of thousands of referrals, and listings read
    # them newest first, which PostgreSQL does best walking the date index with both tests hashed.
    caseworkers_at = organisations_where(user, Role.CSO_CASEWORKER)
    received = Q(receiving_organisation__in=caseworkers_at) & ~Q(status=ReferralStatus.DRAFT)
    return Referral.objects.filter(Q(client__in=visible_client_ids(user)) | received)


def referring_organisations_of(user: AnyUser) -> QuerySet[OrganisationPage]:
    """The prisons and probation offices a user may refer from."""
    return OrganisationPage.objects.filter(pk__in=organisations_where(user, *REFERRING_ROLES))


def side_of(user: AnyUser, referral: Referral) -> str | None:
    """Whether the user acts for the referring side or the receiving organisation of a referral."""
    if clients_visible_to(user).filter(pk=referral.client_id).exists():
        return Side.SENDER
    if organisations_where(user, Role.CSO_CASEWORKER).filter(pk=referral.receiving_organisation_id).exists():
        return Side.RECEIVER
    return None


def deny(user: AnyUser, object_type: str, pk: object) -> Http404:
    record_event(user, "access.denied", (object_type, pk), outcome=Decision.DENIED)
    return audited(Http404())


def audit_refusal(user: AnyUser, action: str, obj: models.Model | tuple[str, object], reason: object) -> None:
    """The one record of a refused write, whatever the channel: by the lookup or by the verb."""
    record_event(user, action, obj, outcome=Decision.DENIED, reason=str(reason))


def refuse(user: AnyUser, obj: models.Model | tuple[str, object], reason: StrOrPromise) -> PermissionDenied:
    """403 for a user who may see `obj` but not change it; the refusal is audited."""
    audit_refusal(user, "access.refused", obj, reason)
    return audited(PermissionDenied(reason))


def get_client_for_user(user: AnyUser, pk: uuid.UUID | str, *, action: str = "client.view") -> Client:
    """The client, if the user may see it (the read is audited); otherwise 404 (audited too)."""
    client = clients_visible_to(user).filter(pk=pk).select_related("prison", "probation_office").first()
    if client is None:
        raise deny(user, "referrals.client", pk)
    record_event(user, action, client)
    return client


def get_client_to_oversee(user: AnyUser, pk: uuid.UUID | str, *, action: str = "client.access_log.view") -> Client:
    """The client, for reading who accessed their record (audited); otherwise 404 (audited too)."""
    client = clients_overseen_by(user).filter(pk=pk).first()
    if client is None:
        raise deny(user, "referrals.client", pk)
    record_event(user, action, client)
    return client


def get_client_for_subject_access(user: AnyUser, pk: uuid.UUID | str) -> Client:
    """The client, for exporting everything held about them (audited); otherwise 404 (audited too)."""
    client = clients_coordinated_by(user).filter(pk=pk).first()
    if client is None:
        raise deny(user, "referrals.client", pk)
    record_event(user, "client.subject_access_export", client)
    return client


def access_log_of(client: Client) -> QuerySet[AuditEvent]:
    """Every audited access to the client's records: to the record itself, to records about them
    (consent, referrals, case, notes) and the listings that showed them; denied attempts too."""
    pk = str(client.pk)
    about_them = Q(subject_id=pk) | Q(object_type="referrals.client", object_id=pk)
    listed = Q(object_type="referrals.client", detail__ids__contains=[pk])
    return AuditEvent.objects.filter(about_them | listed).select_related("actor")


def get_referral_for_user(user: AnyUser, pk: uuid.UUID | str, *, action: str = "referral.view") -> Referral:
    referral = (
        referrals_visible_to(user)
        .filter(pk=pk)
        .select_related("client", "service", "receiving_organisation", "referring_organisation")
        .first()
    )
    if referral is None:
        raise deny(user, "referrals.referral", pk)
    record_event(user, action, referral)
    return referral


def get_consent_for_user(user: AnyUser, pk: uuid.UUID | str, *, action: str = "consent.view") -> Consent:
    """The consent, if the user may see its client (the read is audited); otherwise 404 (audited too)."""
    consent = Consent.objects.filter(pk=pk, client__in=visible_client_ids(user)).select_related("client").first()
    if consent is None:
        raise deny(user, "referrals.consent", pk)
    record_event(user, action, consent)
    return consent


def consent_evidence_response(user: AnyUser, pk: uuid.UUID | str, consent_id: uuid.UUID) -> FileResponse:
    """The evidence file of one of the client's consents, from private storage, to those who see the
    client only (audited); 404 when the consent has no file."""
    client = get_client_for_user(user, pk, action="consent.evidence.view")
    consent = client.consents.exclude(evidence="").filter(pk=consent_id).first()
    if consent is None:
        raise Http404
    extension = consent.evidence.name.rsplit(".", 1)[-1]
    filename = f"consent-{client.reference}.{extension}"
    return FileResponse(consent.evidence.open("rb"), as_attachment=True, filename=filename)


def notifications_of(user: AnyUser) -> QuerySet[Notification]:
    """The user's own notices, newest first: nobody reads another's."""
    if not isinstance(user, User):
        return Notification.objects.none()
    return Notification.objects.filter(user=user)


def referable_services_for(client: Client) -> ServicePageQuerySet:
    """The services a referral of this client may go to: listed, in the client's country, of a referable kind.

    The one rule: the refer page, the suggestions, the API and the verbs all ask here.
    """
    services = ServicePage.objects.live()
    return services.filter(organisation__country=client.country, organisation__kind__in=REFERABLE_KINDS)


def get_referable_service(user: AnyUser, client: Client, pk: object) -> ServicePage:
    """The service, if this client may be referred to it; otherwise 404, like a missing one (audited)."""
    service = None
    if str(pk).isdigit():
        service = referable_services_for(client).filter(pk=pk).select_related("organisation").first()
    if service is None:
        record_event(
            user, "referral.refused", ("cso_directory.servicepage", pk), outcome=Decision.DENIED, client=str(client.pk)
        )
        raise audited(Http404(_("No service with this id takes referrals for this client.")))
    return service


def referable_organisations_for(user: AnyUser) -> QuerySet[OrganisationPage]:
    """The organisations of a referable kind in the countries where the user refers clients from."""
    countries = referring_organisations_of(user).values("country")
    return OrganisationPage.objects.live().filter(country__in=countries, kind__in=REFERABLE_KINDS)


def prisons_of(user: AnyUser) -> QuerySet[OrganisationPage]:
    """The prisons in which the user records clients."""
    return OrganisationPage.objects.filter(pk__in=organisations_where(user, Role.PRISON_SOCIAL_WORKER)).order_by(
        "title"
    )


def require_a_prison_to_record_in(user: AnyUser) -> None:
    """The client form is for prison social workers; anyone else gets 403 (audited)."""
    if not prisons_of(user).exists():
        raise refuse(user, ("referrals.client", "new"), _("Only prison social workers record new clients."))


def get_prison_to_record_in(user: AnyUser, prison: OrganisationPage) -> OrganisationPage:
    """The prison, if the user records its clients. Prisons are public: anyone else gets 403 (audited)."""
    if not prisons_of(user).filter(pk=prison.pk).exists():
        raise refuse(user, prison, _("Only social workers of this prison can record its clients."))
    return prison
