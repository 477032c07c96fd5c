"""Write verbs for clients, consent and referrals. Views, the API and commands call only these.

Each verb assumes a caller that `referrals.access` allowed, re-checks only what a race can change,
writes in one transaction together with its audit event, and sends notifications after commit.
Referral transitions all go through `_transition`, which locks the row and checks the side the
step's declaration (`VERBS`) names, so two people acting at once cannot both win.
"""

import datetime
import difflib
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cso_directory.models import Language, OrganisationPage, ServicePage, TaxonomyTerm
from portal.foundation.audit import audited, record_event
from portal.foundation.roles import Role
from portal.foundation.validators import validate_free_texts
from referrals import notifications
from referrals.access import (
    AnyUser,
    audit_refusal,
    organisations_where,
    referable_services_for,
    side_of,
)
from referrals.deadlines import last_day_before_expiry, response_due
from referrals.models import (
    DUPLICATE_BLOCKING_STATUSES,
    OPEN_STATUSES,
    VERBS,
    Client,
    Consent,
    Need,
    Notification,
    ReferenceCounter,
    Referral,
    ReferralEvent,
    ReferralStatus,
    ReferralVerb,
    Sex,
    Side,
    name_key,
)

DUPLICATE_NAME_SIMILARITY = 0.8
DUPLICATE_REFUSAL = gettext_lazy(
    "%(reference)s already has an open referral to this service: follow that one up instead."
)


class Conflict(Exception):
    """The referral changed since the user saw it, or the transition is not allowed from its status."""


class ConsentRequired(ValidationError):
    pass


class PossibleDuplicates(ValidationError):
    def __init__(self, candidates: list[Client]) -> None:
        super().__init__(_("A person with the same birth date and a similar name is already recorded."))
        self.candidates = candidates


def check_text_limits(instance: Model, *names: str) -> None:
    """The model's own limits on these fields, and no control characters in them; the error names each field."""
    instance.clean_fields(exclude=[field.name for field in instance._meta.fields if field.name not in names])
    validate_free_texts(instance, *names)


@contextmanager
def refusal_audited(user: AnyUser, action: str, obj: Model) -> Iterator[None]:
    """Audit a write the verb refused, from any channel: the verb's own audit row is rolled back
    with its transaction, so the refusal is recorded outside it."""
    try:
        yield
    except (PermissionDenied, Conflict) as refusal:
        audit_refusal(user, action, obj, audited(refusal))
        raise


def recorded_user(user: AnyUser | None) -> User | None:
    """Who a record names as its author: the signed-in person, or nobody when the system acts."""
    return user if isinstance(user, User) else None


def signed_in_author(user: AnyUser) -> User:
    """Who a record that must name a person names: the verbs writing one are reached only signed in."""
    if not isinstance(user, User):
        raise TypeError("Only a signed-in user writes this record.")
    return user


# Clients ---------------------------------------------------------------------------------------


def next_reference(country: str, year: int) -> str:
    counter, _created = ReferenceCounter.objects.select_for_update().get_or_create(country=country, year=year)
    ReferenceCounter.objects.filter(pk=counter.pk).update(last_number=F("last_number") + 1)
    counter.refresh_from_db()
    return f"{country}-{year}-{counter.last_number:06d}"


def possible_duplicates(country: str, birth_date: datetime.date, *names: str) -> list[Client]:
    """Clients of the country with the same birth date and a name alike across scripts."""
    key = name_key(*names)
    same_birth_date = Client.objects.filter(country=country, birth_date=birth_date)
    return [
        client
        for client in same_birth_date
        if difflib.SequenceMatcher(None, key, client.name_key).ratio() >= DUPLICATE_NAME_SIMILARITY
    ]


@transaction.atomic
def create_client(
    user: AnyUser,
    *,
    prison: OrganisationPage,
    languages: Iterable[Language] = (),
    confirmed_new: bool = False,
    **fields: Any,
) -> Client:
    """Record a person preparing for release (the caller checked the user records the prison's
    clients: `referrals.access.get_prison_to_record_in`). Refuses a likely duplicate unless `confirmed_new`."""
    client = Client(prison=prison, created_by=recorded_user(user), **fields)
    client.country = prison.country
    client.full_clean(exclude=["reference", "country", "name_key", "created_by"])
    if not confirmed_new:
        duplicates = possible_duplicates(
            prison.country, client.birth_date, client.first_name, client.last_name, client.other_names
        )
        if duplicates:
            raise PossibleDuplicates(duplicates)
    client.reference = next_reference(prison.country, timezone.localdate().year)
    client.save()
    client.languages.set(languages)
    record_event(user, "client.create", client)
    return client


@transaction.atomic
def update_client(
    user: AnyUser, client: Client, *, languages: Iterable[Language] | None = None, **fields: Any
) -> Client:
    for name, value in fields.items():
        setattr(client, name, value)
    client.full_clean(exclude=["reference", "country", "name_key", "created_by"])
    client.save()
    if languages is not None:
        client.languages.set(languages)
    record_event(user, "client.update", client, fields=sorted([*fields, *(["languages"] if languages else [])]))
    return client


@transaction.atomic
def set_need(user: AnyUser, client: Client, *, category: TaxonomyTerm, priority: str, details: str = "") -> Need:
    check_text_limits(Need(client=client, category=category, priority=priority, details=details), "details")
    need, _created = Need.objects.update_or_create(
        client=client, category=category, defaults={"priority": priority, "details": details}
    )
    record_event(user, "need.set", client, category=category.code, priority=priority)
    return need


@transaction.atomic
def remove_need(user: AnyUser, need: Need) -> None:
    record_event(user, "need.remove", need.client, category=need.category.code)
    need.delete()


# Consent ---------------------------------------------------------------------------------------


@transaction.atomic
def record_consent(user: AnyUser, client: Client, **fields: Any) -> Consent:
    consent = Consent(client=client, recorded_by=recorded_user(user), **fields)
    consent.full_clean(exclude=["recorded_by"])
    consent.save()
    record_event(user, "consent.record", consent, client=str(client.pk))
    return consent


@transaction.atomic
def withdraw_consent(user: AnyUser, consent: Consent, *, withdrawn_on: datetime.date | None = None) -> Consent:
    """Stop further sharing: open referrals are flagged and lose what the consent allowed."""
    if not consent.in_force:
        raise ValidationError(_("This consent was already withdrawn."))
    consent.withdrawn_on = withdrawn_on or timezone.localdate()
    consent.save(update_fields=["withdrawn_on"])
    for referral in consent.referrals.select_for_update().filter(status__in=OPEN_STATUSES):
        referral.consent_withdrawn = True
        referral.disclosed = withdrawn_disclosure(referral.disclosed)
        referral.version += 1
        referral.save(update_fields=["consent_withdrawn", "disclosed", "version", "updated_at"])
        notifications.notify(referral, "consent_withdrawn")
    record_event(user, "consent.withdraw", consent, client=str(consent.client_id))
    return consent


def consent_in_force(client: Client, organisation: OrganisationPage) -> Consent | None:
    return next((consent for consent in client.consents.all() if consent.covers(organisation)), None)


# Disclosure ------------------------------------------------------------------------------------


def build_disclosure(client: Client, need: Need | None, consent: Consent | None) -> dict:
    """Exactly what the receiving organisation will see. Never offence, risk or prison data."""
    disclosure: dict = {"reference": client.reference}
    if consent is None or consent.share_basic_profile:
        disclosure |= {
            "first_name": client.first_name,
            "sex": client.sex,
            "age_band": client.age_band,
            "languages": [language.code for language in client.languages.all()],
        }
    if need is not None:
        disclosure["need"] = {"category": need.category.name, "priority": need.priority}
        if consent is not None and consent.share_needs_details and need.details:
            disclosure["need"]["details"] = need.details
    if consent is not None and consent.share_contact_route and client.contact_route:
        disclosure["contact_route"] = client.contact_route
    return disclosure


def withdrawn_disclosure(disclosed: dict) -> dict:
    """What stays visible after consent is withdrawn: the reference, to close the case."""
    return {"reference": disclosed.get("reference", ""), "consent_withdrawn": True}


# Referrals -------------------------------------------------------------------------------------


def referring_organisation_for(user: AnyUser, client: Client) -> OrganisationPage:
    if organisations_where(user, Role.PRISON_SOCIAL_WORKER).filter(pk=client.prison_id).exists():
        return client.prison
    if client.probation_office and (
        organisations_where(user, Role.PROBATION_OFFICER).filter(pk=client.probation_office_id).exists()
    ):
        return client.probation_office
    raise PermissionDenied(_("Only the prison or probation office of this client can refer them."))


def require_referable(client: Client, service: ServicePage) -> None:
    """The one referable-services rule (`referable_services_for`), enforced whatever the channel."""
    if not referable_services_for(client).filter(pk=service.pk).exists():
        raise ValidationError(
            _(
                "This service does not take referrals for this person: it is not listed, not in their "
                "country, or its organisation does not take referrals."
            )
        )


def open_referral_to(client: Client, service: ServicePage) -> Referral | None:
    """The client's referral to this service that is still a draft or open, if any."""
    return client.referrals.filter(service=service, status__in=DUPLICATE_BLOCKING_STATUSES).first()


@transaction.atomic
def create_referral(
    user: AnyUser,
    client: Client,
    service: ServicePage,
    *,
    need: Need | None = None,
    note: str = "",
    family_group: uuid.UUID | None = None,
) -> Referral:
    """A draft referral; nothing is shared until it is sent."""
    referring = referring_organisation_for(user, client)
    require_referable(client, service)
    if need is not None and need.client_id != client.pk:
        raise ValidationError(_("This need belongs to another client."))
    Client.objects.select_for_update().filter(pk=client.pk).get()  # one referral at a time per client
    if open_referral_to(client, service) is not None:
        raise ValidationError(DUPLICATE_REFUSAL % {"reference": client.reference})
    referral = Referral(
        client=client,
        service=service,
        referring_organisation=referring,
        created_by=recorded_user(user),
        need=need,
        note=note,
        family_group=family_group,
    )
    check_text_limits(referral, "note")
    referral.save()
    ReferralEvent.objects.create(
        referral=referral, verb="create", from_status="", to_status=referral.status, actor=recorded_user(user)
    )
    record_event(user, "referral.create", referral, client=str(client.pk))
    return referral


def lock_for_transition(referral: Referral, verb: ReferralVerb, expected_version: int | None) -> Referral:
    locked = Referral.objects.select_for_update().select_related("client", "receiving_organisation").get(pk=referral.pk)
    if expected_version is not None and locked.version != expected_version:
        raise Conflict(_("Someone else changed this referral in the meantime. Reload it and try again."))
    if not verb.may_start_from(locked.status):
        raise Conflict(
            _("A referral that is “%(status)s” cannot be %(verb)s.")
            % {"status": locked.get_status_display(), "verb": verb.past_label}
        )
    return locked


def _transition(
    user: AnyUser | None,
    referral: Referral,
    verb_name: str,
    *,
    expected_version: int | None = None,
    note: str = "",
    **changes: object,
) -> Referral:
    """Take a step declared in VERBS: lock, check, write, audit, notify after commit."""
    verb = VERBS[verb_name]
    actor = recorded_user(user)
    taker = Side.SYSTEM if user is None else side_of(user, referral)
    if taker != verb.side:
        raise PermissionDenied(_("You cannot do this on this referral."))
    locked = lock_for_transition(referral, verb, expected_version)
    from_status = locked.status
    for name, value in changes.items():
        setattr(locked, name, value)
    check_text_limits(locked, *changes)
    check_text_limits(ReferralEvent(note=note), "note")
    locked.status = verb.to_status
    locked.version += 1
    locked.save()
    ReferralEvent.objects.create(
        referral=locked, verb=verb.name, from_status=from_status, to_status=verb.to_status, actor=actor, note=note
    )
    record_event(actor, f"referral.{verb.name}", locked, from_status=from_status, to_status=verb.to_status)
    notifications.notify(locked, verb.name)
    return locked


@transaction.atomic
def send_referral(
    user: AnyUser, referral: Referral, *, override_reason: str = "", expected_version: int | None = None
) -> Referral:
    """Share the disclosure snapshot with the service; needs consent in force or a permitted override."""
    client = referral.client
    require_referable(client, referral.service)
    consent = consent_in_force(client, referral.receiving_organisation)
    if consent is None and not override_reason.strip():
        raise ConsentRequired(
            _("This person has no consent in force for sharing with this kind of organisation. Record consent first.")
        )
    if consent is None and not user.has_perm("referrals.override_consent"):
        raise PermissionDenied(_("You are not permitted to send a referral without consent."))
    today = timezone.localdate()
    return _transition(
        user,
        referral,
        "send",
        expected_version=expected_version,
        note=override_reason,
        consent=consent,
        consent_override_reason=override_reason if consent is None else "",
        disclosed=build_disclosure(client, referral.need, consent),
        sent_at=timezone.now(),
        response_due=response_due(today, client.country),
    )


@transaction.atomic
def send_family_referrals(
    user: AnyUser, mother: Client, children: Iterable[Client], service: ServicePage, **kwargs: Any
) -> list[Referral]:
    """Refer a mother and her children together: linked by one family group, answered together or apart."""
    group = uuid.uuid4()
    members = [mother, *children]
    if mother.sex != Sex.FEMALE:
        raise ValidationError(_("Only a mother can be referred together with her children."))
    if any(child.mother_id != mother.pk for child in members[1:]):
        raise ValidationError(_("Only the mother's own children can be referred with her."))
    referrals = [create_referral(user, member, service, family_group=group, **kwargs) for member in members]
    return [send_referral(user, referral) for referral in referrals]


# What a step refuses to be taken without, of the fields it takes.
REQUIRED_FIELDS = {
    "reason": gettext_lazy("Choose why the referral is declined."),
    "outcome": gettext_lazy("Choose the outcome."),
}


@transaction.atomic
def take_referral_step(
    user: AnyUser, referral: Referral, verb_name: str, *, expected_version: int | None = None, **given: str
) -> Referral:
    """Take any step a person takes, with the fields its declaration names (see VERBS)."""
    if verb_name == "send":
        return send_referral(user, referral, expected_version=expected_version, **given)
    verb = VERBS[verb_name]
    missing = {name: REQUIRED_FIELDS[name] for name in verb.fields if name in REQUIRED_FIELDS and not given.get(name)}
    if missing:
        raise ValidationError(missing)
    changes = {field: given.get(source, "") for field, source in verb.writes}
    return _transition(
        user, referral, verb.name, expected_version=expected_version, note=given.get("note", ""), **changes
    )


def expire_overdue_referrals(today: datetime.date | None = None) -> list[Referral]:
    """Expire every sent referral still unanswered after its deadline and the country's grace days."""
    today = today or timezone.localdate()
    expired = []
    past_due = Referral.objects.filter(status=ReferralStatus.SENT, response_due__lt=today).select_related("client")
    for referral in past_due:
        due = referral.response_due
        if due is None or last_day_before_expiry(due, referral.client.country) >= today:
            continue  # still within the grace days (a sent referral always has a deadline)
        with transaction.atomic():
            try:
                expired.append(_transition(None, referral, "expire"))
            except Conflict:
                continue  # answered while we were expiring the others
    return expired


def announce_overdue_referrals(today: datetime.date | None = None) -> list[Referral]:
    """Tell both sides, once, that a sent referral's answer is overdue (run after expiring)."""
    today = today or timezone.localdate()
    announced = []
    unannounced = Referral.objects.filter(
        status=ReferralStatus.SENT, response_due__lt=today, overdue_notified_at__isnull=True
    )
    for referral in unannounced:
        with transaction.atomic():
            claimed = Referral.objects.filter(pk=referral.pk, overdue_notified_at__isnull=True).update(
                overdue_notified_at=timezone.now()
            )
            if claimed:
                record_event(None, "referral.overdue", referral)
                notifications.notify(referral, "overdue")
                announced.append(referral)
    return announced


# Notifications ---------------------------------------------------------------------------------


def mark_notifications_read(user: AnyUser, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the user's unread notices read: those given, or all of them. Returns how many changed."""
    return notifications.mark_read(user, Notification, notification_ids)
