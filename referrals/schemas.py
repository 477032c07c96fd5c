"""The shapes of the staff JSON API at /api/ (see `referrals.api`): what comes in and what goes out.

Ids and codes come in, never model instances: a region or language by its code, a pathway by
its code, an organisation or service by its page id. The receiving organisation of a referral
gets `ReceivedReferralOut`, built from the disclosed snapshot alone; only the referring side
gets `ReferralOut`, with the client's reference.
"""

import datetime
import uuid
from typing import TYPE_CHECKING, Annotated, Any, Literal

from ninja import Field, Schema
from pydantic import AliasChoices, model_validator

from cso_directory.models import OrganisationKind
from portal.foundation.idempotency import IdempotentInput
from portal.foundation.listing import COUNT_CAP
from portal.foundation.validators import InputSchema, Name, RecordId
from referrals.models import (
    PEOPLES_VERBS,
    Client,
    ConsentMethod,
    DeclineReason,
    Need,
    Outcome,
    Priority,
    Referral,
    ReferralStatus,
    Sex,
    text_limit,
)

# Errors ----------------------------------------------------------------------------------------


class Detail(Schema):
    detail: str


class FieldErrors(Schema):
    """A refusal by the write verbs (400): a summary and the messages per field (`__all__` for the whole)."""

    detail: str
    errors: dict[str, list[str]]


class PossibleDuplicatesOut(Schema):
    detail: str
    duplicates: list[str] = Field(description="References of the similar clients you may see.")
    hint: str


class InputErrors(Schema):
    """Malformed input (422): one entry per problem, with where it is (`loc`) and why (`msg`)."""

    detail: list[dict[str, Any]]


# A listing's filters are checked by the verbs' rules too: a value they refuse answers 400.
READ_ERRORS: dict[int, Any] = {400: FieldErrors, 401: Detail, 404: Detail, 422: InputErrors}
WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: Detail, 409: Detail, 413: Detail}


# Listings --------------------------------------------------------------------------------------

Counted = Annotated[int, Field(description=f"How many results, counted up to {COUNT_CAP}.")]
CountCapped = Annotated[bool, Field(description=f"True when there are more than {COUNT_CAP} results.")]


class ClientFilters(InputSchema):
    """The parameters of the workspace's `ClientFilter`, which the API applies."""

    q: str | None = Field(None, description="Part of the reference or of a name, in any script.")
    release_after: datetime.date | None = Field(None, description="Expected release on or after this date.")
    release_before: datetime.date | None = Field(None, description="Expected release on or before this date.")
    region: str | None = Field(None, description="ISO 3166-2 code of the region of return, e.g. KZ-ALA.")


class AccessLogFilters(InputSchema):
    """The parameters of the workspace's `AccessLogFilter`, which the API applies."""

    period_after: datetime.date | None = Field(None, description="Accesses on or after this date.")
    period_before: datetime.date | None = Field(None, description="Accesses on or before this date.")
    who: str | None = Field(None, max_length=150, description="Part of the user name of who accessed.")
    action: str | None = Field(None, max_length=60, description="Start of the action, e.g. client.view or referral.")


class AccessEventOut(Schema):
    at: datetime.datetime
    who: str | None = Field(None, description="User name; none when the portal itself acted.")
    action: str
    outcome: str
    channel: str
    ip: str | None
    user_agent: str
    object_type: str
    object_id: str

    @staticmethod
    def resolve_who(event) -> str | None:
        return event.actor.username if event.actor else None


class AccessLogPage(Schema):
    count: int
    page: int
    per_page: int
    items: list[AccessEventOut]


class ReferralFilters(InputSchema):
    status: ReferralStatus | None = None
    overdue: bool | None = Field(None, description="Only sent referrals past (true) or within (false) their deadline.")
    client_id: uuid.UUID | None = None


# Clients ---------------------------------------------------------------------------------------


class ClientIn(IdempotentInput):
    prison_id: RecordId = Field(description="Page id of the prison holding the person.")
    first_name: Name = Field(min_length=1, max_length=100)
    last_name: Name = Field(min_length=1, max_length=100)
    other_names: Name = Field("", max_length=300)
    sex: Sex
    birth_date: datetime.date
    expected_release_date: datetime.date | None = None
    region_of_return: str | None = Field(None, description="ISO 3166-2 code.")
    languages: list[str] = Field(default_factory=list, description="Language codes, e.g. kk, ru.")
    contact_route: str = Field("", max_length=text_limit(Client, "contact_route"))
    mother_id: uuid.UUID | None = None
    risk_notes: str = Field("", max_length=text_limit(Client, "risk_notes"))
    confirmed_new: bool = Field(False, description="Record the person although similar clients exist.")


CLEARABLE_CLIENT_FIELDS = {"expected_release_date", "region_of_return", "mother_id"}


class ClientPatch(IdempotentInput):
    """Only the fields sent are changed; `null` clears a field that may be empty (and only those)."""

    first_name: Name | None = Field(None, min_length=1, max_length=100)
    last_name: Name | None = Field(None, min_length=1, max_length=100)
    other_names: Name | None = Field(None, max_length=300)
    sex: Sex | None = None
    birth_date: datetime.date | None = None
    expected_release_date: datetime.date | None = None
    region_of_return: str | None = None
    languages: list[str] | None = None
    contact_route: str | None = Field(None, max_length=text_limit(Client, "contact_route"))
    mother_id: uuid.UUID | None = None
    risk_notes: str | None = Field(None, max_length=text_limit(Client, "risk_notes"))

    @model_validator(mode="after")
    def only_clearable_fields_are_null(self) -> "ClientPatch":
        cleared = {name for name in self.model_fields_set if getattr(self, name) is None}
        if not cleared <= CLEARABLE_CLIENT_FIELDS:
            raise ValueError(f"These fields cannot be null: {', '.join(sorted(cleared - CLEARABLE_CLIENT_FIELDS))}.")
        return self


class ClientOut(Schema):
    id: uuid.UUID
    reference: str
    country: str
    prison_id: int
    probation_office_id: int | None
    first_name: str
    last_name: str
    other_names: str
    sex: Sex
    birth_date: datetime.date
    expected_release_date: datetime.date | None
    region_of_return: str | None
    region_of_return_name: str | None = Field(description="The region's name in the request's language.")
    languages: list[str]
    contact_route: str
    mother_id: uuid.UUID | None
    risk_notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime

    @staticmethod
    def resolve_region_of_return(client: Client) -> str | None:
        return client.region_of_return.code if client.region_of_return else None

    @staticmethod
    def resolve_region_of_return_name(client: Client) -> str | None:
        return str(client.region_of_return) if client.region_of_return else None

    @staticmethod
    def resolve_languages(client: Client) -> list[str]:
        return [language.code for language in client.languages.all()]


class ClientPage(Schema):
    count: Counted
    count_capped: CountCapped
    page: int
    per_page: int
    items: list[ClientOut]


# Needs and consent -----------------------------------------------------------------------------


class NeedIn(IdempotentInput):
    category: str = Field(description="Code of the pathway, e.g. housing.")
    priority: Priority = Priority.MEDIUM
    details: str = Field("", max_length=text_limit(Need, "details"))


class NeedOut(Schema):
    id: int
    category: str
    category_name: str
    priority: Priority
    details: str

    @staticmethod
    def resolve_category(need: Need) -> str:
        return need.category.code

    @staticmethod
    def resolve_category_name(need: Need) -> str:
        return str(need.category)


class ConsentIn(IdempotentInput):
    share_basic_profile: bool = True
    share_contact_route: bool = False
    share_needs_details: bool = False
    organisation_kinds: list[OrganisationKind] = Field(min_length=1)
    given_on: datetime.date
    method: ConsentMethod


class ConsentOut(Schema):
    id: uuid.UUID
    client_id: uuid.UUID
    share_basic_profile: bool
    share_contact_route: bool
    share_needs_details: bool
    organisation_kinds: list[OrganisationKind]
    given_on: datetime.date
    withdrawn_on: datetime.date | None
    in_force: bool
    method: ConsentMethod
    recorded_at: datetime.datetime


class ConsentWithdrawIn(IdempotentInput):
    withdrawn_on: datetime.date | None = Field(None, description="Today when left out.")


# Referrals -------------------------------------------------------------------------------------


class ReferralIn(IdempotentInput):
    client_id: uuid.UUID
    service_id: RecordId = Field(description="Page id of the service in the directory.")
    need_id: RecordId | None = None
    note: str = Field("", max_length=text_limit(Referral, "note"))


# The steps people take, read from VERBS: the schema lists them; mypy sees a string.
if TYPE_CHECKING:
    TransitionAction = str
else:
    TransitionAction = Literal[PEOPLES_VERBS]


class TransitionIn(IdempotentInput):
    action: TransitionAction
    expected_version: RecordId | None = Field(
        None, description="The version you saw; if the referral changed since, the answer is 409."
    )
    reason: DeclineReason | None = Field(None, description="Required to decline.")
    outcome: Outcome | None = Field(None, description="Required to complete.")
    note: str = Field("", max_length=text_limit(Referral, "response_note"))
    override_reason: str = Field(
        "",
        max_length=text_limit(Referral, "consent_override_reason"),
        description="To send without consent in force (needs a permission).",
    )


class PageRef(Schema):
    id: int
    title: str


class ReferralCommon(Schema):
    id: uuid.UUID
    service: PageRef
    # The receiving organisation, under the name the API has always given it.
    organisation: PageRef = Field(validation_alias=AliasChoices("receiving_organisation", "organisation"))
    status: ReferralStatus
    version: int
    disclosed: dict[str, Any]
    family_group: uuid.UUID | None
    consent_withdrawn: bool
    sent_at: datetime.datetime | None
    response_due: datetime.date | None
    is_overdue: bool
    decline_reason: str
    response_note: str
    outcome: str
    outcome_note: str
    updated_at: datetime.datetime


class ReceivedReferralOut(ReferralCommon):
    """What the receiving organisation sees: the disclosed snapshot, never the client's record."""

    side: Literal["receiver"] = "receiver"


class ClientRef(Schema):
    id: uuid.UUID
    reference: str


class ReferralOut(ReferralCommon):
    """What the referring side sees: the whole referral, with the client it is about."""

    side: Literal["sender"] = "sender"
    client: ClientRef
    referring_organisation: PageRef
    need_id: int | None
    note: str
    consent_id: uuid.UUID | None
    consent_override_reason: str
    created_at: datetime.datetime


# Chosen by `side`, which only the serialiser sets: a bare Referral validates as neither.
AnyReferralOut = Annotated[ReferralOut | ReceivedReferralOut, Field(discriminator="side")]


class ReferralPage(Schema):
    count: Counted
    count_capped: CountCapped
    page: int
    per_page: int
    items: list[AnyReferralOut]


class ReferralEventOut(Schema):
    """One step of a referral's timeline. The receiving organisation sees the referring side's steps
    without the name of who took them or their note (an override reason is the referring side's own)."""

    verb: str
    from_status: str
    to_status: ReferralStatus
    at: datetime.datetime
    actor: str | None = Field(description="Who took the step; null for the portal, or when withheld.")
    organisation: PageRef | None = Field(description="The organisation on whose behalf the step was taken.")
    note: str


# What may be referred to -----------------------------------------------------------------------


class OrganisationOut(Schema):
    id: int
    title: str
    kind: OrganisationKind
    country: str


class OrganisationOutPage(Schema):
    count: Counted
    count_capped: CountCapped
    page: int
    per_page: int
    items: list[OrganisationOut]


class ReferableServiceOut(Schema):
    """A service `POST /referrals` accepts for the client, with what the referrer should know first."""

    id: int = Field(description="The `service_id` of `POST /referrals`.")
    title: str
    organisation: PageRef
    capacity: str
    warnings: list[str] = Field(description="Capacity, or an open referral of the client to it already.")
    missing_consent: str = Field(description="Why no consent in force covers it; empty when one does.")


class ReferableServicePage(Schema):
    count: Counted
    count_capped: CountCapped
    page: int
    per_page: int
    items: list[ReferableServiceOut]


class SuggestionOut(ReferableServiceOut):
    score: int
    reasons: list[str] = Field(description="Why it fits, as the client's page says.")


class ReferableServiceFilters(InputSchema):
    organisation_id: RecordId | None = None
