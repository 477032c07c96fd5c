"""The staff JSON API at /api/: clients, their needs and consent, referrals and their transitions.

What a user sees is decided by the same access functions as the HTML workspace: anything they
may not see answers 404, like a record that does not exist, and the denial is audited. Every
write goes through a verb of `referrals.actions`, atomically: a refused request writes nothing.

Sign in with the Django session (unsafe methods then need the CSRF token, as a form would) or
with a personal token, `Authorization: Bearer <token>`, that you make on the page API tokens
(`/accounts/tokens/`, linked from the header when signed in): it works for 7, 30 or 90 days,
until it expires or you revoke it there. An unknown, expired or revoked token, or one of a
disabled account, answers 401 with the reason, even with a session cookie; every request a
token authenticates is audited.

A referral may go only to a service of `GET /clients/{id}/referable-services`: any other service
(another country's, a prison's or probation office's own) answers 404 with the reason, exactly
like a service that does not exist, and the refused attempt is audited.

Every write takes an optional `idempotency_key` (a fresh UUID per write) in its JSON body, for a
client that retries after losing its connection (offline use in the field, synchronised on
reconnect). A retry with the same key and the same request (path and body) answers what the first
answered, 200 where it was 201, and writes nothing; the key sent with another operation or other
input answers 409 with the reason. Keys are each user's own; of two simultaneous requests with one
key, one writes and the other answers its result. Case notes keep their own keys per client, with
the same behaviour. A DELETE takes none: repeated, it answers 404.

Answers other than success: 401 not signed in; 404 not found or not yours; 422 malformed input,
one entry per problem in `detail` (a name with control or direction-changing characters, a text
with NUL, an id beyond 2⁶³−1); 413 a request body over the limit; 400 refused by the portal's
rules, with `errors` per field; 403 not permitted; 409 conflict: the referral changed since you
saw it, the step is not allowed from its status, or a similar client is already recorded.
"""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, RequestDataTooBig, ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from cso_directory.models import Language, OrganisationKind, OrganisationPage, Region, ServicePage, TaxonomyTerm
from cso_directory.reference_data import PATHWAYS_TAXONOMY_ID
from portal.foundation.idempotency import KeyReused, written_once
from portal.foundation.listing import MAX_PER_PAGE, Paging, page_of
from portal.foundation.validators import InputSchema, RecordId
from referrals import actions
from referrals.access import (
    AnyUser,
    access_log_of,
    clients_visible_to,
    consent_evidence_response,
    get_client_for_user,
    get_client_to_oversee,
    get_consent_for_user,
    get_prison_to_record_in,
    get_referable_service,
    get_referral_for_user,
    notifications_of,
    prisons_of,
    referable_organisations_for,
    referable_services_for,
    referrals_visible_to,
    side_of,
)
from referrals.actions import Conflict, PossibleDuplicates, refusal_audited
from referrals.filters import AccessLogFilter, ClientFilter
from referrals.models import (
    PEOPLES_VERBS,
    VERBS,
    Client,
    Consent,
    Need,
    Notification,
    Referral,
    ReferralEvent,
    ReferralStatus,
    Side,
    overdue,
)
from referrals.notifications import subject_for
from referrals.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    AccessLogFilters,
    AccessLogPage,
    AnyReferralOut,
    ClientFilters,
    ClientIn,
    ClientOut,
    ClientPage,
    ClientPatch,
    ConsentIn,
    ConsentOut,
    ConsentWithdrawIn,
    CountCapped,
    Counted,
    NeedIn,
    NeedOut,
    OrganisationOut,
    OrganisationOutPage,
    PossibleDuplicatesOut,
    ReceivedReferralOut,
    ReferableServiceFilters,
    ReferableServicePage,
    ReferralEventOut,
    ReferralFilters,
    ReferralIn,
    ReferralOut,
    ReferralPage,
    SuggestionOut,
    TransitionIn,
)
from referrals.suggestions import Suggestion, missing_consent, pending_service_ids, referral_warnings, suggest_services

# The referrals' endpoints. The staff API that serves them, with the routers of the apps above,
# is assembled on top, in portal.wiring.api, which also installs ERROR_HANDLERS.
router = Router()

# Errors ----------------------------------------------------------------------------------------


def error_response(request: HttpRequest, status: int, detail: str, **extra: object) -> HttpResponse:
    return JsonResponse({"detail": detail, **extra}, status=status, content_type="application/json; charset=utf-8")


def refused_as_invalid(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {NON_FIELD_ERRORS: exc.messages}
    return error_response(request, 400, " ".join(exc.messages), errors=errors)


def refused_by_ninja(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """django-ninja's own refusals; its only 400, a body that is not JSON, in the shape of every other 400."""
    if exc.status_code != 400:
        return error_response(request, exc.status_code, str(exc))
    detail = _("The request body is not valid JSON.")
    return error_response(request, 400, detail, errors={NON_FIELD_ERRORS: [detail]})


def refused_as_duplicate(request: HttpRequest, exc: PossibleDuplicates) -> HttpResponse:
    visible = clients_visible_to(request.user).filter(pk__in=[candidate.pk for candidate in exc.candidates])
    return error_response(
        request,
        409,
        str(exc.message),
        duplicates=list(visible.values_list("reference", flat=True)),
        hint=_("If this is a different person, send the same request again with “confirmed_new”: true."),
    )


def refused_as_conflict(request: HttpRequest, exc: Conflict) -> HttpResponse:
    return error_response(request, 409, str(exc))


def refused_as_key_reused(request: HttpRequest, exc: KeyReused) -> HttpResponse:
    return error_response(request, 409, str(exc))


def refused_as_forbidden(request: HttpRequest, exc: PermissionDenied) -> HttpResponse:
    return error_response(request, 403, str(exc) or _("You are not permitted to do this."))


def not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, str(exc) or _("Not found."))


def refused_as_too_large(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE // 1024
    return error_response(request, 413, _("The request body is larger than %(limit)d KB.") % {"limit": limit})


# The answer to each refusal, for every router of the staff API (installed by portal.wiring.api).
ERROR_HANDLERS: dict[type[Exception], Callable[[HttpRequest, Any], HttpResponse]] = {
    ValidationError: refused_as_invalid,
    HttpError: refused_by_ninja,
    PossibleDuplicates: refused_as_duplicate,
    Conflict: refused_as_conflict,
    KeyReused: refused_as_key_reused,
    PermissionDenied: refused_as_forbidden,
    Http404: not_found,
    RequestDataTooBig: refused_as_too_large,
}


# Looking up what a request names -------------------------------------------------------------


def organisation_of_kind(pk: int, kind: OrganisationKind, field: str) -> OrganisationPage:
    organisation = OrganisationPage.objects.filter(pk=pk, kind=kind).first()
    if organisation is None:
        raise ValidationError({field: _("No %(kind)s has this id.") % {"kind": kind.label}})
    return organisation


def region_by_code(code: str | None) -> Region | None:
    if code is None:
        return None
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise ValidationError({"region_of_return": _("No region has the code “%(code)s”.") % {"code": code}})
    return region


def languages_by_code(codes: list[str]) -> list[Language]:
    languages = list(Language.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {language.code for language in languages})
    if unknown:
        raise ValidationError({"languages": _("Unknown language codes: %(codes)s.") % {"codes": ", ".join(unknown)}})
    return languages


def mother_for(user: AnyUser, pk: uuid.UUID | None) -> Client | None:
    if pk is None:
        return None
    mother = clients_visible_to(user).filter(pk=pk).first()
    if mother is None:
        raise ValidationError({"mother_id": _("None of your clients has this id.")})
    return mother


def client_fields(user: AnyUser, data: dict[str, Any]) -> dict[str, Any]:
    """The client fields of a request, with codes and ids replaced by the records they name."""
    fields = dict(data)
    if "region_of_return" in fields:
        fields["region_of_return"] = region_by_code(fields["region_of_return"])
    if "languages" in fields:
        fields["languages"] = languages_by_code(fields["languages"])
    if "mother_id" in fields:
        fields["mother"] = mother_for(user, fields.pop("mother_id"))
    return fields


def pathway_by_code(code: str) -> TaxonomyTerm:
    pathway = TaxonomyTerm.objects.filter(taxonomy_id=PATHWAYS_TAXONOMY_ID, code=code).first()
    if pathway is None:
        raise ValidationError({"category": _("No pathway has the code “%(code)s”.") % {"code": code}})
    return pathway


def need_of(client: Client, pk: int | None) -> Need | None:
    if pk is None:
        return None
    need = client.needs.filter(pk=pk).first()
    if need is None:
        raise ValidationError({"need_id": _("This client has no need with this id.")})
    return need


def referrals_out(user: AnyUser, referrals: list[Referral]) -> list[ReferralOut | ReceivedReferralOut]:
    """Each referral as its side may see it: whole for the referring side, else only what was disclosed.

    The referring side is whoever sees the client (as in `side_of`), decided for a whole page in
    one query; everyone else who sees a referral is its receiving organisation.
    """
    client_ids = {referral.client_id for referral in referrals}
    referring = set(clients_visible_to(user).filter(pk__in=client_ids).values_list("pk", flat=True))
    return [
        ReferralOut.from_orm(referral) if referral.client_id in referring else ReceivedReferralOut.from_orm(referral)
        for referral in referrals
    ]


def referral_out(user: AnyUser, referral: Referral) -> ReferralOut | ReceivedReferralOut:
    return referrals_out(user, [referral])[0]


def filter_referrals(referrals: QuerySet[Referral], filters: ReferralFilters) -> QuerySet[Referral]:
    if filters.status is not None:
        referrals = referrals.filter(status=filters.status)
    if filters.overdue is not None:
        referrals = referrals.filter(overdue()) if filters.overdue else referrals.exclude(overdue())
    if filters.client_id is not None:
        referrals = referrals.filter(client_id=filters.client_id)
    return referrals


# Clients ---------------------------------------------------------------------------------------


@router.get("/clients", response={200: ClientPage, **READ_ERRORS}, tags=["clients"], summary="Your clients, paged")
def list_clients(request: HttpRequest, paging: Query[Paging], filters: Query[ClientFilters]) -> dict:
    # The workspace's own filters, so that the API and the listing page agree.
    filterset = ClientFilter(
        filters.model_dump(mode="json", exclude_none=True), queryset=clients_visible_to(request.user), request=request
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    clients = filterset.qs.select_related("region_of_return").prefetch_related("languages").order_by("reference")
    return page_of(request.user, "client.list", clients, paging)


@router.post(
    "/clients",
    response={**WRITE_ERRORS, 200: ClientOut, 201: ClientOut, 409: PossibleDuplicatesOut},
    tags=["clients"],
    summary="Record a person preparing for release",
)
def create_client(request: HttpRequest, payload: ClientIn) -> HttpResponse:
    prison = get_prison_to_record_in(
        request.user, organisation_of_kind(payload.prison_id, OrganisationKind.PRISON, "prison_id")
    )
    fields = client_fields(request.user, payload.model_dump(exclude={"prison_id", "confirmed_new", "idempotency_key"}))

    def write() -> Client:
        return actions.create_client(request.user, prison=prison, confirmed_new=payload.confirmed_new, **fields)

    return written_once(request, payload, ClientOut, 201, write)


@router.get("/clients/{client_id}", response={200: ClientOut, **READ_ERRORS}, tags=["clients"], summary="A client")
def get_client(request: HttpRequest, client_id: uuid.UUID) -> Client:
    return get_client_for_user(request.user, client_id)


@router.patch(
    "/clients/{client_id}",
    response={200: ClientOut, **WRITE_ERRORS},
    tags=["clients"],
    summary="Change a client's record; only the fields sent change",
)
def update_client(request: HttpRequest, client_id: uuid.UUID, payload: ClientPatch) -> HttpResponse:
    client = get_client_for_user(request.user, client_id)
    changes = client_fields(request.user, payload.model_dump(exclude_unset=True, exclude={"idempotency_key"}))
    return written_once(
        request, payload, ClientOut, 200, lambda: actions.update_client(request.user, client, **changes)
    )


@router.get(
    "/clients/{client_id}/access-log",
    response={200: AccessLogPage, **READ_ERRORS},
    tags=["clients"],
    summary="Who accessed the client's records, newest first (probation supervisors and national coordinators)",
)
def list_access_log(
    request: HttpRequest, client_id: uuid.UUID, paging: Query[Paging], filters: Query[AccessLogFilters]
) -> dict:
    client = get_client_to_oversee(request.user, client_id)
    filterset = AccessLogFilter(filters.model_dump(mode="json", exclude_none=True), queryset=access_log_of(client))
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    events = filterset.qs
    start = (paging.page - 1) * paging.per_page
    items = list(events[start : start + paging.per_page])
    return {"count": events.count(), "page": paging.page, "per_page": paging.per_page, "items": items}


# Needs and consent -----------------------------------------------------------------------------


@router.get("/clients/{client_id}/needs", response={200: list[NeedOut], **READ_ERRORS}, tags=["needs"])
def list_needs(request: HttpRequest, client_id: uuid.UUID) -> QuerySet[Need]:
    client = get_client_for_user(request.user, client_id, action="need.view")
    return client.needs.select_related("category")


@router.post(
    "/clients/{client_id}/needs",
    response={200: NeedOut, **WRITE_ERRORS},
    tags=["needs"],
    summary="Record the need of a pathway, or change it",
)
def set_need(request: HttpRequest, client_id: uuid.UUID, payload: NeedIn) -> HttpResponse:
    client = get_client_for_user(request.user, client_id)
    category = pathway_by_code(payload.category)

    def write() -> Need:
        return actions.set_need(
            request.user, client, category=category, priority=payload.priority, details=payload.details
        )

    return written_once(request, payload, NeedOut, 200, write)


@router.delete(
    "/clients/{client_id}/needs/{need_id}",
    response={204: None, **WRITE_ERRORS},
    tags=["needs"],
    summary="Remove a need of the client",
)
def remove_need(request: HttpRequest, client_id: uuid.UUID, need_id: int) -> Status[None]:
    client = get_client_for_user(request.user, client_id)
    need = client.needs.select_related("client", "category").filter(pk=need_id).first()
    if need is None:
        raise Http404(_("This client has no need with this id."))
    actions.remove_need(request.user, need)
    return Status(204, None)


@router.get("/clients/{client_id}/consents", response={200: list[ConsentOut], **READ_ERRORS}, tags=["consent"])
def list_consents(request: HttpRequest, client_id: uuid.UUID) -> QuerySet[Consent]:
    client = get_client_for_user(request.user, client_id, action="consent.view")
    return client.consents.all()


@router.post(
    "/clients/{client_id}/consents", response={**WRITE_ERRORS, 200: ConsentOut, 201: ConsentOut}, tags=["consent"]
)
def record_consent(request: HttpRequest, client_id: uuid.UUID, payload: ConsentIn) -> HttpResponse:
    client = get_client_for_user(request.user, client_id)
    fields = payload.model_dump(exclude={"idempotency_key"})
    return written_once(
        request, payload, ConsentOut, 201, lambda: actions.record_consent(request.user, client, **fields)
    )


@router.get(
    "/clients/{client_id}/consents/{consent_id}/evidence",
    response={200: None, **READ_ERRORS},
    tags=["consent"],
    summary="The consent's evidence file (404 when none was uploaded)",
)
def consent_evidence(request: HttpRequest, client_id: uuid.UUID, consent_id: uuid.UUID) -> FileResponse:
    return consent_evidence_response(request.user, client_id, consent_id)


@router.get("/consents/{consent_id}", response={200: ConsentOut, **READ_ERRORS}, tags=["consent"])
def get_consent(request: HttpRequest, consent_id: uuid.UUID) -> Consent:
    return get_consent_for_user(request.user, consent_id)


@router.post(
    "/consents/{consent_id}/withdraw",
    response={200: ConsentOut, **WRITE_ERRORS},
    tags=["consent"],
    summary="Withdraw consent: open referrals stop showing what it allowed",
)
def withdraw_consent(request: HttpRequest, consent_id: uuid.UUID, payload: ConsentWithdrawIn) -> HttpResponse:
    consent = get_consent_for_user(request.user, consent_id)

    def write() -> Consent:
        return actions.withdraw_consent(request.user, consent, withdrawn_on=payload.withdrawn_on)

    return written_once(request, payload, ConsentOut, 200, write)


# Referrals -------------------------------------------------------------------------------------


@router.get(
    "/referrals",
    response={200: ReferralPage, **READ_ERRORS},
    tags=["referrals"],
    summary="The referrals you made or received, most recently changed first",
)
def list_referrals(request: HttpRequest, paging: Query[Paging], filters: Query[ReferralFilters]) -> dict:
    referrals = filter_referrals(referrals_visible_to(request.user), filters)
    referrals = referrals.select_related("client", "service", "receiving_organisation", "referring_organisation")
    page = page_of(request.user, "referral.list", referrals.order_by("-updated_at", "id"), paging)
    return {**page, "items": referrals_out(request.user, page["items"])}


@router.post(
    "/referrals",
    response={**WRITE_ERRORS, 200: ReferralOut, 201: ReferralOut},
    tags=["referrals"],
    summary="Draft a referral",
)
def create_referral(request: HttpRequest, payload: ReferralIn) -> HttpResponse:
    client = get_client_for_user(request.user, payload.client_id)
    service = get_referable_service(request.user, client, payload.service_id)
    need = need_of(client, payload.need_id)

    def write() -> ReferralOut | ReceivedReferralOut:
        with refusal_audited(request.user, "referral.create", client):
            referral = actions.create_referral(request.user, client, service, need=need, note=payload.note)
        return referral_out(request.user, referral)

    return written_once(request, payload, ReferralOut, 201, write)


@router.get(
    "/referrals/{referral_id}",
    response={200: AnyReferralOut, **READ_ERRORS},
    tags=["referrals"],
    summary="A referral: whole for the referring side, the disclosed snapshot for the receiving organisation",
)
def get_referral(request: HttpRequest, referral_id: uuid.UUID) -> ReferralOut | ReceivedReferralOut:
    return referral_out(request.user, get_referral_for_user(request.user, referral_id))


@router.post(
    "/referrals/{referral_id}/transitions",
    response={200: AnyReferralOut, **WRITE_ERRORS},
    tags=["referrals"],
    summary=f"Take a step: {', '.join(PEOPLES_VERBS)}",
)
def transition_referral(request: HttpRequest, referral_id: uuid.UUID, payload: TransitionIn) -> HttpResponse:
    referral = get_referral_for_user(request.user, referral_id)
    given = {name: getattr(payload, name) or "" for name in VERBS[payload.action].fields}

    def write() -> ReferralOut | ReceivedReferralOut:
        with refusal_audited(request.user, f"referral.{payload.action}", referral):
            stepped = actions.take_referral_step(
                request.user, referral, payload.action, expected_version=payload.expected_version, **given
            )
        return referral_out(request.user, stepped)

    return written_once(request, payload, ReferralOut, 200, write)


def acting_organisation(referral: Referral, acting_side: str) -> OrganisationPage | None:
    if acting_side == Side.SENDER:
        return referral.referring_organisation
    return referral.receiving_organisation if acting_side == Side.RECEIVER else None


def event_out(event: ReferralEvent, referral: Referral, side: str | None) -> dict:
    """A timeline step as `side` may see it: the receiver never sees the referring side's names or notes."""
    acting_side = VERBS[event.verb].side if event.verb in VERBS else Side.SENDER
    withheld = side == Side.RECEIVER and acting_side == Side.SENDER
    actor = (event.actor.get_full_name() or event.actor.username) if event.actor else None
    return {
        "verb": event.verb,
        "from_status": event.from_status,
        "to_status": event.to_status,
        "at": event.at,
        "actor": None if withheld else actor,
        "organisation": acting_organisation(referral, acting_side),
        "note": "" if withheld else event.note,
    }


@router.get(
    "/referrals/{referral_id}/events",
    response={200: list[ReferralEventOut], **READ_ERRORS},
    tags=["referrals"],
    summary="A referral's timeline: who did what and when, as your side may see it",
)
def list_referral_events(request: HttpRequest, referral_id: uuid.UUID) -> list[dict]:
    referral = get_referral_for_user(request.user, referral_id, action="referral.events.view")
    side = side_of(request.user, referral)
    events = referral.events.select_related("actor")
    if side == Side.RECEIVER:
        events = events.exclude(to_status=ReferralStatus.DRAFT)
    return [event_out(event, referral, side) for event in events]


# What may be referred to -----------------------------------------------------------------------


def referable_out(service: ServicePage, warnings: list[str], missing: str) -> dict:
    """A service one may refer to, with what to know before referring."""
    return {
        "id": service.pk,
        "title": service.title,
        "organisation": service.organisation,
        "capacity": service.capacity,
        "warnings": warnings,
        "missing_consent": missing,
    }


def service_out(client: Client, service: ServicePage, pending: set[int], consents: list[Consent]) -> dict:
    warnings = referral_warnings(client, service, pending)
    return referable_out(service, warnings, missing_consent(service, consents))


def suggestion_out(suggestion: Suggestion) -> dict:
    fit = {"score": suggestion.score, "reasons": suggestion.reasons}
    return referable_out(suggestion.service, suggestion.warnings, suggestion.missing_consent) | fit


@router.get(
    "/clients/{client_id}/suggestions",
    response={200: list[SuggestionOut], **READ_ERRORS},
    tags=["referrals"],
    summary="The services suggested for a client, why they fit, and what to know before referring",
)
def list_suggestions(request: HttpRequest, client_id: uuid.UUID) -> list[dict]:
    client = get_client_for_user(request.user, client_id, action="client.suggestions")
    return [suggestion_out(suggestion) for suggestion in suggest_services(client)]


@router.get(
    "/clients/{client_id}/referable-services",
    response={200: ReferableServicePage, **READ_ERRORS},
    tags=["referrals"],
    summary="The services this client may be referred to (ids for `POST /referrals`), paged",
)
def list_referable_services(
    request: HttpRequest, client_id: uuid.UUID, paging: Query[Paging], filters: Query[ReferableServiceFilters]
) -> dict:
    client = get_client_for_user(request.user, client_id, action="client.refer")
    services = referable_services_for(client).select_related("organisation").order_by("title", "pk")
    if filters.organisation_id is not None:
        services = services.filter(organisation_id=filters.organisation_id)
    page = page_of(request.user, "service.list", services, paging)
    pending, consents = pending_service_ids(client), list(client.consents.all())
    return {**page, "items": [service_out(client, service, pending, consents) for service in page["items"]]}


@router.get(
    "/referable-organisations",
    response={200: OrganisationOutPage, **READ_ERRORS},
    tags=["referrals"],
    summary="The organisations you may refer your clients to, paged",
)
def list_referable_organisations(request: HttpRequest, paging: Query[Paging]) -> dict:
    organisations = referable_organisations_for(request.user).order_by("title", "pk")
    return page_of(request.user, "organisation.list", organisations, paging)


@router.get(
    "/prisons",
    response={200: list[OrganisationOut], **READ_ERRORS},
    tags=["clients"],
    summary="The prisons in which you record clients (`prison_id` of `POST /clients`)",
)
def list_prisons(request: HttpRequest) -> QuerySet[OrganisationPage]:
    return prisons_of(request.user)


# Notifications ---------------------------------------------------------------------------------


class NotificationOut(Schema):
    id: int
    verb: str = Field(description="The referral's step that raised it, e.g. accept.")
    subject: str = Field(description="What happened, as the notifications page says it.")
    referral_id: uuid.UUID
    created_at: datetime.datetime
    read_at: datetime.datetime | None

    @staticmethod
    def resolve_subject(notice: Notification) -> str:
        return subject_for(notice)


class NotificationPage(Schema):
    count: Counted
    count_capped: CountCapped
    page: int
    per_page: int
    items: list[NotificationOut]


class NotificationsReadIn(InputSchema):
    notifications: list[RecordId] | None = Field(
        None, max_length=MAX_PER_PAGE, description="Ids of your notifications to mark read; left out: all of them."
    )


class NotificationsMarkedRead(Schema):
    count: int = Field(description="How many notifications were unread and are now read.")


@router.get(
    "/notifications",
    response={200: NotificationPage, **READ_ERRORS},
    tags=["notifications"],
    summary="Your notifications about referrals, newest first, paged",
)
def list_notifications(request: HttpRequest, paging: Query[Paging]) -> dict:
    notices = notifications_of(request.user).select_related("referral__service")
    return page_of(request.user, "notification.list", notices, paging)


@router.post(
    "/notifications/read",
    response={200: NotificationsMarkedRead, **WRITE_ERRORS},
    tags=["notifications"],
    summary="Mark your notifications read: those given, or all of them",
)
def read_notifications(request: HttpRequest, payload: NotificationsReadIn) -> dict[str, int]:
    return {"count": actions.mark_notifications_read(request.user, payload.notifications)}
