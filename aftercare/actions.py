"""Write verbs for aftercare: handover, plan, check-ins and case notes.

Like every verb in the portal: check permission, write in one transaction with the audit event,
broadcast after commit (a broadcast that cannot reach Redis never undoes the write).
"""

import datetime
import operator
import uuid
from collections.abc import Iterable
from functools import reduce
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Field, Max, Model, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from aftercare.access import get_client_to_write_notes
from aftercare.models import (
    Alert,
    CaseNote,
    CheckIn,
    CheckInStatus,
    Goal,
    GoalReview,
    NoteVisibility,
    SupervisionCase,
)
from cso_directory.models import OrganisationKind, OrganisationPage, TaxonomyTerm
from portal.foundation.audit import record_event
from portal.foundation.realtime import broadcast_on_commit
from portal.foundation.roles import Role
from portal.foundation.validators import validate_each, validate_free_text
from referrals.access import AnyUser, organisations_where
from referrals.actions import recorded_user, signed_in_author
from referrals.models import DUPLICATE_BLOCKING_STATUSES, Client, Consent, Need, Referral, ReferralEvent
from referrals.notifications import announce, mark_read

# Days after release on which check-ins are booked, per country (settings may override).
DEFAULT_CHECK_IN_OFFSETS = (1, 7, 14, 30, 60, 90)
DEFAULT_PRISON_ACCESS_DAYS = 30


def check_in_offsets(country: str) -> tuple[int, ...]:
    return tuple(getattr(settings, "CHECK_IN_OFFSETS", {}).get(country, DEFAULT_CHECK_IN_OFFSETS))


def prison_access_days() -> int:
    return getattr(settings, "PRISON_ACCESS_DAYS_AFTER_RELEASE", DEFAULT_PRISON_ACCESS_DAYS)


def notes_group(client_id: uuid.UUID | str) -> str:
    return f"client.{client_id}.notes"


def limited_text(model: type[Model], field_name: str) -> tuple[object, int]:
    """The label of a free-text field and the most characters it takes: declared once, on the model field."""
    field = model._meta.get_field(field_name)
    if not isinstance(field, Field) or field.max_length is None:
        raise TypeError(f"{model.__name__}.{field_name} is not a text field with a max_length.")
    return field.verbose_name, field.max_length


def text_limit(model: type[Model], field_name: str) -> int:
    """The most characters a free-text field takes."""
    return limited_text(model, field_name)[1]


def limit_message(label: object, limit: int) -> str:
    return _("%(field)s can be at most %(limit)d characters.") % {"field": capfirst(str(label)), "limit": limit}


def require_within_limits(model: type[Model], **texts: str) -> None:
    """Refuse free text longer than its model field allows, naming the field and the limit, or
    carrying control characters."""
    validate_each(validate_free_text, texts)
    errors = {}
    for name, text in texts.items():
        label, limit = limited_text(model, name)
        if len(text) > limit:
            errors[name] = limit_message(label, limit)
    if errors:
        raise ValidationError(errors)


# Handover ----------------------------------------------------------------------------------------


def handover_summary(client: Client) -> dict:
    """What the probation office needs on day one: needs, referrals and their states, key notes."""
    return {
        "needs": [
            {"pathway": need.category.name, "priority": need.priority, "details": need.details}
            for need in client.needs.select_related("category")
        ],
        "referrals": [
            {
                "service": referral.service.title,
                "organisation": referral.receiving_organisation.title,
                "status": referral.status,
            }
            for referral in client.referrals.select_related("service", "receiving_organisation")
        ],
        "key_notes": [
            {"sequence": note.sequence, "body": note.body}
            for note in client.case_notes.filter(visibility=NoteVisibility.TEAM).order_by("-sequence")[:5]
        ],
    }


@transaction.atomic
def hand_over(
    user: AnyUser, client: Client, *, probation_office: OrganisationPage, release_date: datetime.date, note: str = ""
) -> SupervisionCase:
    """The prison hands a client to a probation office; a supervision case opens on the release date."""
    require_within_limits(SupervisionCase, handover_note=note)
    if probation_office.kind != OrganisationKind.PROBATION or probation_office.country != client.country:
        raise ValidationError({"probation_office": _("Choose a probation office in the client's country.")})
    if SupervisionCase.objects.filter(client=client).exists():
        raise ValidationError(_("This client has already been handed over."))
    case = SupervisionCase.objects.create(
        client=client,
        probation_office=probation_office,
        opened_on=release_date,
        handover_summary=handover_summary(client),
        handover_note=note,
        handed_over_by=signed_in_author(user),
    )
    client.probation_office = probation_office
    client.prison_access_until = release_date + datetime.timedelta(days=prison_access_days())
    client.save(update_fields=["probation_office", "prison_access_until", "updated_at"])
    CheckIn.objects.bulk_create(
        CheckIn(case=case, due_on=release_date + datetime.timedelta(days=offset), from_template=True)
        for offset in check_in_offsets(client.country)
    )
    record_event(user, "case.handover", case, client=str(client.pk), probation_office=probation_office.pk)
    return case


@transaction.atomic
def assign_officer(user: AnyUser, case: SupervisionCase, officer: User) -> SupervisionCase:
    if not organisations_where(officer, Role.PROBATION_OFFICER).filter(pk=case.probation_office_id).exists():
        raise ValidationError({"officer": _("Choose a probation officer of this office.")})
    case.officer = officer
    case.save(update_fields=["officer"])
    record_event(user, "case.assign_officer", case, officer=officer.pk)
    return case


# Plan ------------------------------------------------------------------------------------------


def require_answerable(case: SupervisionCase, pathway: TaxonomyTerm, need: Need | None) -> None:
    """A goal answers a need of its own client on its own pathway, or none."""
    if need is None:
        return
    if need.client_id != case.client_id:
        raise ValidationError({"need": _("Choose a need of this client.")})
    if need.category_id != pathway.pk:
        raise ValidationError({"need": _("Choose a need on the goal's pathway.")})


@transaction.atomic
def add_goal(
    user: AnyUser,
    case: SupervisionCase,
    *,
    pathway: TaxonomyTerm,
    description: str,
    target_date: datetime.date | None = None,
    need: Need | None = None,
) -> Goal:
    require_within_limits(Goal, description=description)
    require_answerable(case, pathway, need)
    goal = Goal(case=case, pathway=pathway, need=need, description=description, target_date=target_date)
    goal.full_clean()
    goal.save()
    GoalReview.objects.create(
        goal=goal, status=goal.status, achievement=goal.achievement, reviewed_by=signed_in_author(user)
    )
    record_event(user, "goal.add", case, pathway=pathway.code, need=need.pk if need else None)
    return goal


@transaction.atomic
def review_goal(user: AnyUser, goal: Goal, *, status: str, achievement: str, note: str = "") -> Goal:
    require_within_limits(GoalReview, note=note)
    goal.status = status
    goal.achievement = achievement
    goal.full_clean()
    goal.save(update_fields=["status", "achievement", "updated_at"])
    GoalReview.objects.create(
        goal=goal, status=status, achievement=achievement, note=note, reviewed_by=signed_in_author(user)
    )
    record_event(user, "goal.review", goal.case, goal=goal.pk, status=status, achievement=achievement)
    return goal


# Check-ins -------------------------------------------------------------------------------------


@transaction.atomic
def add_check_in(user: AnyUser, case: SupervisionCase, *, due_on: datetime.date, note: str = "") -> CheckIn:
    require_within_limits(CheckIn, note=note)
    check_in = CheckIn.objects.create(case=case, due_on=due_on, note=note)
    record_event(user, "check_in.add", case, due_on=due_on.isoformat())
    return check_in


@transaction.atomic
def record_check_in(
    user: AnyUser, check_in: CheckIn, *, status: str, note: str = "", rescheduled_to: datetime.date | None = None
) -> CheckIn:
    """Mark a check-in attended, missed or rescheduled; a missed one alerts officer and supervisors."""
    require_within_limits(CheckIn, note=note)
    if status == CheckInStatus.SCHEDULED:
        raise ValidationError({"status": _("Choose attended, missed or rescheduled.")})
    if status == CheckInStatus.RESCHEDULED and rescheduled_to is None:
        raise ValidationError({"rescheduled_to": _("Choose the new date.")})
    set_check_in_status(check_in, status, recorded_by=recorded_user(user), note=note)
    if rescheduled_to is not None:
        CheckIn.objects.create(case=check_in.case, due_on=rescheduled_to)
    record_event(user, "check_in.record", check_in.case, check_in=check_in.pk, status=status)
    return check_in


def set_check_in_status(
    check_in: CheckIn, status: str, *, recorded_by: User | None = None, note: str | None = None
) -> None:
    """Store the outcome of a check-in; a missed one alerts officer and supervisors. Call inside a transaction."""
    check_in.status = status
    if note is not None:
        check_in.note = note
    check_in.recorded_by = recorded_by
    check_in.recorded_at = timezone.now()
    check_in.save(update_fields=["status", "note", "recorded_by", "recorded_at"])
    if status == CheckInStatus.MISSED:
        raise_missed_check_in_alerts(check_in)


def mark_overdue_check_ins_missed(today: datetime.date, grace_days: int = 1) -> list[CheckIn]:
    """Mark check-ins still scheduled more than `grace_days` after their date as missed (idempotent).

    Each check-in is locked and re-read in its own transaction, so one recorded by an officer
    meanwhile is left as the officer recorded it.
    """
    cutoff = today - datetime.timedelta(days=grace_days)
    overdue_ids = CheckIn.objects.filter(status=CheckInStatus.SCHEDULED, due_on__lt=cutoff).values_list("pk", flat=True)
    missed = []
    for pk in list(overdue_ids):
        with transaction.atomic():
            check_in = (
                CheckIn.objects.select_for_update(of=("self",))
                .select_related("case")
                .filter(pk=pk, status=CheckInStatus.SCHEDULED)
                .first()
            )
            if check_in is None:
                continue
            set_check_in_status(check_in, CheckInStatus.MISSED)
            record_event(None, "check_in.flag_missed", check_in.case, check_in=check_in.pk, grace_days=grace_days)
            missed.append(check_in)
    return missed


def alert_recipients(case: SupervisionCase) -> QuerySet[User]:
    supervisors = get_user_model().objects.filter(
        is_active=True,
        memberships__organisation=case.probation_office_id,
        memberships__role=Role.PROBATION_SUPERVISOR,
    )
    officer = get_user_model().objects.filter(supervised_cases=case, is_active=True)
    return (supervisors | officer).distinct()


def raise_missed_check_in_alerts(check_in: CheckIn) -> list[Alert]:
    alerts = []
    for recipient in alert_recipients(check_in.case):
        alert, created = Alert.objects.get_or_create(
            user=recipient, check_in=check_in, kind=Alert.Kind.MISSED_CHECK_IN, defaults={"case": check_in.case}
        )
        if created:
            alerts.append(alert)
            announce(recipient.pk, "alert.new", alert=alert.pk, case=str(check_in.case_id), kind=alert.kind)
    return alerts


# Alerts ----------------------------------------------------------------------------------------


def mark_alerts_read(user: AnyUser, alert_ids: Iterable[int] | None = None) -> int:
    """Resolve the user's unread alerts: those given, or all of them. Returns how many changed."""
    return mark_read(user, Alert, alert_ids)


# Case notes ------------------------------------------------------------------------------------


def add_case_note(user: AnyUser, client: Client, **fields: Any) -> CaseNote:
    """Store a note as the organisation the user writes for on the case, asked of
    `aftercare.access` like the page and the API do (see `add_case_note_once`). Returns the note,
    whether it is new or a retry's."""
    client, organisation = get_client_to_write_notes(user, client.pk)
    return add_case_note_once(user, client, organisation=organisation, **fields)[0]


@transaction.atomic
def add_case_note_once(
    user: AnyUser,
    client: Client,
    *,
    organisation: OrganisationPage,
    body: str,
    visibility: str = NoteVisibility.TEAM,
    amends: CaseNote | None = None,
    idempotency_key: uuid.UUID | None = None,
) -> tuple[CaseNote, bool]:
    """Store a note with the client's next sequence number, then broadcast it after commit.

    The client row is locked while the number is taken, so concurrent posts queue up and get
    consecutive numbers. Under the same lock a post is told apart from a retry: a retry with the
    same idempotency key stores nothing and gets the first note back. Returns (note, created).
    The caller found the user on the case team, writing for `organisation`:
    `aftercare.access.get_client_to_write_notes`.
    """
    body = body.strip()
    if not body:
        raise ValidationError({"body": _("Write the note first.")})
    require_within_limits(CaseNote, body=body)
    if visibility not in NoteVisibility.values:
        raise ValidationError({"visibility": _("Choose who may see the note.")})
    Client.objects.select_for_update().only("pk").get(pk=client.pk)
    if idempotency_key is not None:
        existing = CaseNote.objects.filter(client=client, idempotency_key=idempotency_key).first()
        # Someone else's key must not hand back their note (it may be hidden from this user).
        if existing is not None and existing.author_id != user.pk:
            raise ValidationError({"idempotency_key": _("This key was already used for another note.")})
        if existing is not None:
            return existing, False
    if amends is not None and amends.client_id != client.pk:
        raise ValidationError({"amends": _("A note can only amend a note on the same client.")})
    last = CaseNote.objects.filter(client=client).aggregate(last=Max("sequence"))["last"] or 0
    note = CaseNote.objects.create(
        client=client,
        sequence=last + 1,
        author=signed_in_author(user),
        organisation=organisation,
        visibility=visibility,
        body=body,
        amends=amends,
        idempotency_key=idempotency_key,
    )
    record_event(user, "case_note.add", note, client=str(client.pk), sequence=note.sequence)
    broadcast_on_commit(notes_group(client.pk), {"type": "case.note", "sequence": note.sequence})
    return note, True


# Retention -------------------------------------------------------------------------------------


def retention_years(country: str) -> int:
    return settings.RETENTION_YEARS_AFTER_CLOSE.get(country, settings.RETENTION_YEARS_DEFAULT)


def years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year - years, day=28)


def closed_past_retention(today: datetime.date) -> Q:
    """Clients whose supervision case closed on or before `today` minus their country's period."""
    countries = settings.RETENTION_YEARS_AFTER_CLOSE
    own_period = [
        Q(country=country, supervision_case__closed_on__lte=years_before(today, years))
        for country, years in countries.items()
    ]
    default_period = ~Q(country__in=list(countries)) & Q(
        supervision_case__closed_on__lte=years_before(today, settings.RETENTION_YEARS_DEFAULT)
    )
    return reduce(operator.or_, own_period, default_period)


def clients_due_for_erasure(today: datetime.date) -> QuerySet[Client]:
    """The clients whose records the retention period no longer allows keeping.

    A client is due when all three hold:
    - their supervision case is closed (`closed_on` set) and closed on or before `today` minus
      their country's `RETENTION_YEARS_AFTER_CLOSE` (else `RETENTION_YEARS_DEFAULT`) years;
    - none of their referrals is a draft or still open (sent, accepted, in progress);
    - they are not erased yet (an erased client keeps no name, so their name key is empty).
    A client never handed over to probation has no closed case and is never due.
    """
    pending = Referral.objects.filter(client=OuterRef("pk"), status__in=DUPLICATE_BLOCKING_STATUSES)
    return (
        Client.objects.filter(closed_past_retention(today))
        .exclude(name_key="")
        .exclude(Exists(pending))
        .order_by("reference")
    )


@transaction.atomic
def erase_client(client: Client) -> Client:
    """Erase what is held about a client past retention, keeping only what the indicators count.

    Kept: the reference, country, sex, birth year (for the age band), region of return,
    languages, dates, and referrals, goals and check-ins with their statuses and outcomes.
    Gone: names, contact route, risk notes, needs, consent records and their evidence files,
    case notes, and every free text of referrals, their steps, goals, check-ins and the handover.
    Evidence files are deleted once the erasure is committed, so a failed erasure loses none.
    """
    client = Client.objects.select_for_update().get(pk=client.pk)
    evidence = [consent.evidence.name for consent in client.consents.exclude(evidence="")]
    referrals = Referral.objects.filter(client=client)
    referrals.update(
        consent=None,
        note="",
        consent_override_reason="",
        response_note="",
        outcome_note="",
        disclosed={"reference": client.reference, "erased": True},
    )
    ReferralEvent.objects.filter(referral__in=referrals).update(note="")
    client.consents.all().delete()
    CaseNote.objects.filter(client=client).delete()
    GoalReview.objects.filter(goal__case__client=client).update(note="")
    Goal.objects.filter(case__client=client).update(description="", need=None)
    client.needs.all().delete()
    CheckIn.objects.filter(case__client=client).update(note="")
    SupervisionCase.objects.filter(client=client).update(handover_summary={}, handover_note="")
    erased = {
        "first_name": "",
        "last_name": "",
        "other_names": "",
        "name_key": "",
        "name_search": "",
        "contact_route": "",
        "risk_notes": "",
        "birth_date": datetime.date(client.birth_date.year, 1, 1),
    }
    for name, value in erased.items():
        setattr(client, name, value)
    client.save(update_fields=list(erased))
    record_event(None, "client.erase", client, country=client.country, retention_years=retention_years(client.country))
    transaction.on_commit(lambda: delete_private_files(evidence))
    return client


def delete_private_files(names: Iterable[str]) -> None:
    storage = Consent._meta.get_field("evidence").storage
    for name in names:
        storage.delete(name)
