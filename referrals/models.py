"""Clients (people preparing for release), their needs and consent, and referrals to services.

A client is held by a prison organisation and may be handed to a probation office; a CSO
never reads a client: it reads the snapshot its referral disclosed (see `Referral.disclosed`).
"""

import uuid
from dataclasses import dataclass

from anyascii import anyascii
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cso_directory.models import Language, OrganisationKind, OrganisationPage, Region, ServicePage, TaxonomyTerm
from portal.foundation.countries import Country
from portal.foundation.text_search import search_document
from portal.foundation.validators import validate_free_texts, validate_names

StrOrPromise = str | Promise
# The kinds of organisation whose services take referrals, and so the kinds consent may name. A
# prison's or probation office's own services and the coordination offices are not referred to.
REFERABLE_KINDS = (OrganisationKind.CSO, OrganisationKind.GOVERNMENT, OrganisationKind.INTERNATIONAL)


def limited_text(verbose_name, max_length: int, **options) -> models.TextField:
    """Free text with its limit declared once: validated by the model and read by forms and API schemas."""
    return models.TextField(verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **options)


def text_limit(model: type[models.Model], field_name: str) -> int:
    """The limit `limited_text` declared on a field, for the forms and API schemas that take it."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, models.Field) or field.max_length is None:
        raise ImproperlyConfigured(f"{model.__name__}.{field_name} declares no limit.")
    return field.max_length


def private_storage():
    """Files only a permission-checked view may serve; never under MEDIA_URL."""
    return storages["private"]


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")


def name_key(*names: str) -> str:
    """Names reduced to lower-case Latin letters, so Cyrillic, Arabic and Latin spellings compare."""
    return " ".join(anyascii(name).lower() for name in names if name).strip()


class Client(models.Model):
    is_person_record = True  # audit events about it name it as their subject (portal.foundation.audit)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    country = models.CharField(_("country"), max_length=2, choices=Country.choices, db_index=True, editable=False)
    prison = models.ForeignKey(
        OrganisationPage,
        on_delete=models.PROTECT,
        related_name="prison_clients",
        limit_choices_to={"kind": OrganisationKind.PRISON},
        verbose_name=_("prison"),
    )
    probation_office = models.ForeignKey(
        OrganisationPage,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="probation_clients",
        limit_choices_to={"kind": OrganisationKind.PROBATION},
        verbose_name=_("probation office"),
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    other_names = models.CharField(
        _("names in other scripts"),
        max_length=300,
        blank=True,
        help_text=_("The same names as written in another script, e.g. Cyrillic, Arabic or Latin."),
    )
    name_key = models.CharField(max_length=400, editable=False, db_index=True)
    # The names' search document (portal.foundation.text_search): what the client-name search matches.
    name_search = models.TextField(default="", blank=True, editable=False)
    sex = models.CharField(_("sex"), max_length=10, choices=Sex.choices)
    birth_date = models.DateField(_("birth date"), db_index=True)
    expected_release_date = models.DateField(_("expected release date"), null=True, blank=True, db_index=True)
    region_of_return = models.ForeignKey(
        Region, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("region of return")
    )
    languages = models.ManyToManyField(Language, blank=True, related_name="+", verbose_name=_("languages"))
    contact_route = limited_text(
        _("how to reach the person"),
        1000,
        blank=True,
        help_text=_("Shared with a service only when consent covers the contact route."),
    )
    mother = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("mother"),
    )
    prison_access_until = models.DateField(
        _("prison keeps read access until"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Set at handover to probation; after this date the prison no longer sees the client."),
    )
    risk_notes = limited_text(
        _("risk and offence notes"),
        4000,
        blank=True,
        help_text=_("Seen by prison and probation staff only, never by a CSO."),
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["reference"]
        verbose_name = _("client")
        verbose_name_plural = _("clients")

    def __str__(self) -> str:
        return self.reference

    def save(self, *args, **kwargs):
        self.country = self.prison.country
        self.name_key = name_key(self.first_name, self.last_name, self.other_names)
        self.name_search = search_document(self.first_name, self.last_name, self.other_names)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        validate_names(self, "first_name", "last_name", "other_names")
        validate_free_texts(self, "contact_route", "risk_notes")

    @property
    def age(self) -> int:
        today = timezone.localdate()
        birthday_passed = (today.month, today.day) >= (self.birth_date.month, self.birth_date.day)
        return today.year - self.birth_date.year - (0 if birthday_passed else 1)

    @property
    def age_band(self) -> str:
        return age_band(self.age)


AGE_BANDS = ((0, 13, "0–13"), (14, 17, "14–17"), (18, 24, "18–24"), (25, 34, "25–34"), (35, 49, "35–49"))


def age_band(age: int) -> str:
    """The age bands the programme reports in; a CSO sees the band, never the birth date."""
    for low, high, label in AGE_BANDS:
        if low <= age <= high:
            return label
    return "50+"


class ReferenceCounter(models.Model):
    """The last number given to a client reference, per country and year (KZ-2026-000123)."""

    country = models.CharField(max_length=2, choices=Country.choices)
    year = models.PositiveSmallIntegerField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["country", "year"], name="unique_reference_counter")]

    def __str__(self) -> str:
        return f"{self.country}-{self.year}: {self.last_number}"


class Priority(models.TextChoices):
    HIGH = "high", _("High")
    MEDIUM = "medium", _("Medium")
    LOW = "low", _("Low")


class Need(models.Model):
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="needs")
    category = models.ForeignKey(TaxonomyTerm, on_delete=models.PROTECT, related_name="+", verbose_name=_("pathway"))
    priority = models.CharField(_("priority"), max_length=10, choices=Priority.choices, default=Priority.MEDIUM)
    details = limited_text(_("details"), 2000, blank=True)

    class Meta:
        ordering = ["client", "category__name"]
        constraints = [models.UniqueConstraint(fields=["client", "category"], name="one_need_per_pathway")]
        verbose_name = _("need")
        verbose_name_plural = _("needs")

    def __str__(self) -> str:
        return f"{self.category} ({self.get_priority_display()})"


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed form")
    VERBAL_WITNESSED = "verbal_witnessed", _("Verbal, witnessed")
    THUMBPRINT = "thumbprint", _("Thumbprint")
    GUARDIAN = "guardian", _("Given by a parent or guardian")


class Consent(models.Model):
    """What the person agreed may be shared, with which kinds of organisation, and until when."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.CASCADE, related_name="consents")
    share_basic_profile = models.BooleanField(_("basic profile (first name, sex, age band, languages)"), default=True)
    share_contact_route = models.BooleanField(_("how to reach the person"), default=False)
    share_needs_details = models.BooleanField(_("details of the needs"), default=False)
    organisation_kinds = models.JSONField(_("kinds of organisation it may be shared with"), default=list)
    given_on = models.DateField(_("given on"))
    withdrawn_on = models.DateField(_("withdrawn on"), null=True, blank=True)
    method = models.CharField(_("how it was obtained"), max_length=20, choices=ConsentMethod.choices)
    evidence = models.FileField(_("evidence"), upload_to="consent-evidence/%Y/", storage=private_storage, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-given_on", "-recorded_at"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")

    def __str__(self) -> str:
        return f"{self.client} · {self.given_on}"

    @property
    def in_force(self) -> bool:
        return self.withdrawn_on is None

    def covers(self, organisation: OrganisationPage) -> bool:
        return self.in_force and organisation.kind in self.organisation_kinds


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    NOT_COMPLETED = "not_completed", _("Not completed")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    EXPIRED = "expired", _("Expired")


class Side(models.TextChoices):
    """Who may take a transition: the referring side or the receiving organisation."""

    SENDER = "sender", _("Referring organisation")
    RECEIVER = "receiver", _("Receiving organisation")
    SYSTEM = "system", _("The portal")


@dataclass(frozen=True)
class ReferralVerb:
    """One step of a referral, declared once; the actions, forms, views, API, notices and demo read it.

    `fields` are what a person gives to take the step (besides the version they saw), in the order
    a form shows them; `writes` copies some of them onto the referral (field ← given field);
    `notify` names the sides told, by a notice whose subject is `subject`.
    """

    name: str
    from_statuses: tuple[str, ...]
    to_status: str
    side: str
    label: StrOrPromise
    past_label: StrOrPromise
    fields: tuple[str, ...] = ()
    writes: tuple[tuple[str, str], ...] = ()
    notify: tuple[str, ...] = ()
    subject: StrOrPromise = ""
    on_referral_page: bool = True

    def may_start_from(self, status: str) -> bool:
        return status in self.from_statuses


def declare(*verbs: ReferralVerb) -> dict[str, ReferralVerb]:
    return {verb.name: verb for verb in verbs}


# The one table of referral steps. A person sends on the client's refer page, which shows what is shared;
# the portal itself expires.
VERBS = declare(
    ReferralVerb(
        "send",
        (ReferralStatus.DRAFT,),
        ReferralStatus.SENT,
        Side.SENDER,
        _("Send"),
        _("sent"),
        fields=("override_reason",),
        notify=(Side.RECEIVER,),
        subject=_("New referral for %(service)s"),
        on_referral_page=False,
    ),
    ReferralVerb(
        "accept",
        (ReferralStatus.SENT,),
        ReferralStatus.ACCEPTED,
        Side.RECEIVER,
        _("Accept"),
        _("accepted"),
        fields=("note",),
        writes=(("response_note", "note"),),
        notify=(Side.SENDER,),
        subject=_("Referral to %(service)s accepted"),
    ),
    ReferralVerb(
        "decline",
        (ReferralStatus.SENT,),
        ReferralStatus.DECLINED,
        Side.RECEIVER,
        _("Decline"),
        _("declined"),
        fields=("reason", "note"),
        writes=(("decline_reason", "reason"), ("response_note", "note")),
        notify=(Side.SENDER,),
        subject=_("Referral to %(service)s declined"),
    ),
    ReferralVerb(
        "start",
        (ReferralStatus.ACCEPTED,),
        ReferralStatus.IN_PROGRESS,
        Side.RECEIVER,
        _("Start the service"),
        _("started"),
        fields=("note",),
    ),
    ReferralVerb(
        "complete",
        (ReferralStatus.IN_PROGRESS,),
        ReferralStatus.COMPLETED,
        Side.RECEIVER,
        _("Record completion"),
        _("completed"),
        fields=("outcome", "note"),
        writes=(("outcome", "outcome"), ("outcome_note", "note")),
        notify=(Side.SENDER,),
        subject=_("Referral to %(service)s completed"),
    ),
    ReferralVerb(
        "not_complete",
        (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS),
        ReferralStatus.NOT_COMPLETED,
        Side.RECEIVER,
        _("Close as not completed"),
        _("closed as not completed"),
        fields=("note",),
        writes=(("outcome_note", "note"),),
        notify=(Side.SENDER,),
        subject=_("Referral to %(service)s closed as not completed"),
    ),
    ReferralVerb(
        "withdraw",
        (ReferralStatus.DRAFT, ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS),
        ReferralStatus.WITHDRAWN,
        Side.SENDER,
        _("Withdraw the referral"),
        _("withdrawn"),
        fields=("note",),
        notify=(Side.RECEIVER,),
        subject=_("Referral to %(service)s withdrawn"),
    ),
    ReferralVerb(
        "expire",
        (ReferralStatus.SENT,),
        ReferralStatus.EXPIRED,
        Side.SYSTEM,
        _("Expire"),
        _("expired"),
        notify=(Side.SENDER,),
        subject=_("Referral to %(service)s expired without an answer"),
        on_referral_page=False,
    ),
)
# The steps people take, through the pages and the API; the portal takes the others itself.
PEOPLES_VERBS = tuple(name for name, verb in VERBS.items() if verb.side != Side.SYSTEM)
OPEN_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS)
# A second referral of a client to a service is refused while one of these is still pending.
DUPLICATE_BLOCKING_STATUSES = (ReferralStatus.DRAFT, *OPEN_STATUSES)
# A receiving organisation is on the client's case team while its referral is in one of these.
CASE_TEAM_STATUSES = (ReferralStatus.ACCEPTED, ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED)


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity at the moment")
    NOT_ELIGIBLE = "not_eligible", _("Person not eligible for this service")
    OUT_OF_AREA = "out_of_area", _("Outside the area we serve")
    NOT_REACHABLE = "not_reachable", _("Could not reach the person")
    PERSON_DECLINED = "person_declined", _("The person declined the service")
    OTHER = "other", _("Other reason")


class Outcome(models.TextChoices):
    ACHIEVED = "achieved", _("Achieved")
    PARTLY = "partly", _("Partly achieved")
    NOT_ACHIEVED = "not_achieved", _("Not achieved")


class Referral(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    client = models.ForeignKey(Client, on_delete=models.PROTECT, related_name="referrals")
    service = models.ForeignKey(ServicePage, on_delete=models.PROTECT, related_name="referrals")
    receiving_organisation = models.ForeignKey(
        OrganisationPage,
        on_delete=models.PROTECT,
        related_name="received_referrals",
        editable=False,
        verbose_name=_("receiving organisation"),
        db_index=False,  # "referral_receiver_status" below leads with it
    )
    referring_organisation = models.ForeignKey(
        OrganisationPage, on_delete=models.PROTECT, related_name="sent_referrals"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT, db_index=True
    )
    need = models.ForeignKey(Need, on_delete=models.SET_NULL, null=True, blank=True, related_name="referrals")
    note = limited_text(_("note to the service"), 2000, blank=True)
    consent = models.ForeignKey(Consent, on_delete=models.PROTECT, null=True, blank=True, related_name="referrals")
    consent_override_reason = limited_text(_("reason for sending without consent"), 2000, blank=True)
    consent_withdrawn = models.BooleanField(_("consent withdrawn since sending"), default=False)
    disclosed = models.JSONField(_("what the service was shown"), default=dict, blank=True)
    family_group = models.UUIDField(_("family group"), null=True, blank=True, db_index=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    response_due = models.DateField(_("answer due by"), null=True, blank=True, db_index=True)
    overdue_notified_at = models.DateTimeField(null=True, blank=True, editable=False)
    decline_reason = models.CharField(_("reason"), max_length=20, choices=DeclineReason.choices, blank=True)
    response_note = limited_text(_("note from the service"), 2000, blank=True)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True)
    outcome_note = limited_text(_("outcome note"), 2000, blank=True)
    version = models.PositiveIntegerField(default=1, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    class Meta:
        ordering = ["-updated_at"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            # The inbox's counts by status read this index alone.
            models.Index(fields=["receiving_organisation", "status"], name="referral_receiver_status"),
            # The dashboards' period (reporting.indicators.referrals_in_period) reads a range of it.
            models.Index(fields=["sent_at"], name="referral_sent_at"),
        ]
        permissions = [("override_consent", _("Can send a referral without consent, giving a reason"))]

    def __str__(self) -> str:
        return f"{self.client} → {self.service}"

    def save(self, *args, **kwargs):
        self.receiving_organisation_id = self.service.organisation_id
        super().save(*args, **kwargs)

    @property
    def joins_case_team(self) -> bool:
        return self.status in CASE_TEAM_STATUSES and not self.consent_withdrawn

    @property
    def is_overdue(self) -> bool:
        return (
            self.status == ReferralStatus.SENT
            and self.response_due is not None
            and (self.response_due < timezone.localdate())
        )


def overdue() -> models.Q:
    """`Referral.is_overdue` as a database filter: sent, and the answer was due before today."""
    return models.Q(status=ReferralStatus.SENT, response_due__lt=timezone.localdate())


class ReferralEvent(models.Model):
    """One step of a referral's timeline: every transition, with who took it and why."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="events")
    verb = models.CharField(max_length=20)
    from_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    to_status = models.CharField(max_length=20, choices=ReferralStatus.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+")
    note = limited_text(_("note"), 2000, blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.verb}: {self.from_status} → {self.to_status}"


class Notice(models.Model):
    """What every notice to one user has: when it came and when the user read (resolved) it.

    Referral notifications and aftercare alerts are notices; `referrals.notifications` holds the
    verbs they share: the live event on the user's sockets and marking read.
    """

    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        abstract = True
        ordering = ["-created_at"]


class Notification(Notice):
    """An in-app notice to one user about one referral; the same notice may also go by email."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notifications")
    verb = models.CharField(max_length=20)

    class Meta(Notice.Meta):
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self) -> str:
        return f"{self.verb} · {self.referral_id}"
