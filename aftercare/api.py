"""Case notes, handover and supervision in the staff JSON API: read a client's notes after a sequence
number, add one; hand a client over to a probation office at release; the probation caseload, a
supervision case with its plan and check-ins, and the changes its pages make (officer, goals and
their reviews, check-ins and their outcomes); the user's alerts.

`portal.wiring.api` adds this router to the staff API at /api/, which brings its sign-in (session or
bearer token) and its answers to refusals: 400 with `errors` per field, 403, 404. A client the
user is not on the case team of answers 404; a CSO never gets another organisation's
organisation-only notes. A case answers 404 to who may not see it, 403 to who sees it but is not of
its probation office (only they change it), as its page does. A POST of a note carries an
idempotency key: a retry returns the note the first request stored (200 instead of 201) and adds
nothing.
"""

import datetime
import uuid
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from aftercare.access import (
    alerts_of,
    annotated_caseload,
    caseload_counts,
    get_case_for_user,
    get_client_to_hand_over,
    get_client_to_write_notes,
    get_team_client_for_user,
    may_change_case,
    notes_visible_to,
)
from aftercare.actions import (
    add_case_note_once,
    add_check_in,
    add_goal,
    assign_officer,
    hand_over,
    mark_alerts_read,
    record_check_in,
    review_goal,
    text_limit,
)
from aftercare.filters import CaseloadFilter
from aftercare.forms import RECORDED_STATUSES, officers_of
from aftercare.models import (
    Alert,
    CaseNote,
    CheckIn,
    CheckInStatus,
    Goal,
    GoalReview,
    GoalStatus,
    NoteVisibility,
    SupervisionCase,
)
from aftercare.payloads import display_name, note_payload
from aftercare.subject_access import subject_access_response
from cso_directory.models import OrganisationPage, TaxonomyTerm
from portal.foundation.idempotency import IdempotentInput, written_once
from portal.foundation.listing import Paging, page_of
from portal.foundation.validators import LARGEST_ID, InputSchema, RecordId
from referrals.access import AnyUser, get_client_for_subject_access
from referrals.api import need_of
from referrals.forms import pathways
from referrals.models import Client, Outcome
from referrals.schemas import READ_ERRORS, CountCapped, Counted, Detail, FieldErrors, PageRef

router = Router(tags=["case notes and handover"])

WRITE_ERRORS: dict[int, Any] = {**READ_ERRORS, 400: FieldErrors, 403: Detail, 413: Detail}


class NoteOut(Schema):
    id: uuid.UUID
    sequence: int
    author: str
    organisation: str
    visibility: NoteVisibility
    body: str
    amends: uuid.UUID | None = Field(description="The note this one amends, if it is an amendment.")
    created_at: datetime.datetime


class NoteIn(InputSchema):
    body: str = Field(max_length=text_limit(CaseNote, "body"))
    visibility: NoteVisibility = NoteVisibility.TEAM
    amends: uuid.UUID | None = Field(None, description="Id of the note this one amends.")
    idempotency_key: uuid.UUID | None = Field(
        None, description="A fresh UUID per note; send the same one again when retrying, and nothing is added twice."
    )


MAX_NOTES = 200


class NotesAfter(InputSchema):
    after: int = Field(0, ge=0, le=LARGEST_ID, description="Only notes with a higher sequence number.")
    limit: int = Field(
        MAX_NOTES,
        ge=1,
        le=MAX_NOTES,
        description="At most this many; for the next ones, `after` the last one's sequence.",
    )


class HandoverIn(IdempotentInput):
    probation_office: RecordId = Field(description="Id of a probation office in the client's country.")
    release_date: datetime.date
    note: str = Field("", max_length=text_limit(SupervisionCase, "handover_note"))


class CaseOut(Schema):
    id: uuid.UUID
    client: uuid.UUID = Field(alias="client_id")
    probation_office: int = Field(alias="probation_office_id")
    opened_on: datetime.date


def amended_note(user: AnyUser, client: Client, pk: uuid.UUID | None) -> CaseNote | None:
    """The note to amend: one of this client's notes that the user can see."""
    if pk is None:
        return None
    note = notes_visible_to(user).filter(client=client, pk=pk).first()
    if note is None:
        raise ValidationError({"amends": _("None of this client's notes you can see has this id.")})
    return note


@router.get(
    "/clients/{client_id}/notes",
    response={200: list[NoteOut], **READ_ERRORS},
    summary="The client's case notes you may see, in sequence order, at most `limit` (200) at a time",
)
def list_notes(request: HttpRequest, client_id: uuid.UUID, query: Query[NotesAfter]) -> list[dict[str, Any]]:
    client = get_team_client_for_user(request.user, client_id, action="case_note.list")
    notes = notes_visible_to(request.user).filter(client=client, sequence__gt=query.after)
    notes = notes.select_related("author", "organisation").order_by("sequence")[: query.limit]
    return [note_payload(note) for note in notes]


@router.post(
    "/clients/{client_id}/notes",
    response={200: NoteOut, 201: NoteOut, **WRITE_ERRORS},
    summary="Add a note (201), or repeat a request with the same idempotency key (200, nothing added)",
)
def add_note(request: HttpRequest, client_id: uuid.UUID, payload: NoteIn) -> Status[dict[str, Any]]:
    client, organisation = get_client_to_write_notes(request.user, client_id)
    note, created = add_case_note_once(
        request.user,
        client,
        organisation=organisation,
        body=payload.body,
        visibility=payload.visibility,
        amends=amended_note(request.user, client, payload.amends),
        idempotency_key=payload.idempotency_key,
    )
    return Status(201 if created else 200, note_payload(note))


@router.post(
    "/clients/{client_id}/handover",
    response={200: CaseOut, 201: CaseOut, **WRITE_ERRORS},
    summary="Hand the client over to a probation office: the supervision case opens on the release date",
)
def handover(request: HttpRequest, client_id: uuid.UUID, payload: HandoverIn) -> HttpResponse:
    client = get_client_to_hand_over(request.user, client_id)
    office = OrganisationPage.objects.live().filter(pk=payload.probation_office).first()
    if office is None:
        raise ValidationError({"probation_office": _("No organisation has this id.")})

    def write() -> SupervisionCase:
        return hand_over(
            request.user, client, probation_office=office, release_date=payload.release_date, note=payload.note
        )

    return written_once(request, payload, CaseOut, 201, write)


@router.get(
    "/clients/{client_id}/subject-access",
    response={200: None, **READ_ERRORS},
    summary="Everything held about the client, as a ZIP of client.json and the consent evidence files "
    "(national coordinators of the client's country)",
)
def subject_access(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    return subject_access_response(get_client_for_subject_access(request.user, client_id))


# Supervision -----------------------------------------------------------------------------------


class PersonRef(Schema):
    id: int
    name: str


def person_ref(user: User | None) -> dict[str, Any] | None:
    return {"id": user.pk, "name": display_name(user)} if user is not None else None


class CaseClientOut(Schema):
    id: uuid.UUID
    reference: str
    first_name: str
    last_name: str


class CaseloadFilters(InputSchema):
    """The parameters of the caseload page's `CaseloadFilter`, which the API applies."""

    officer: str | None = Field(
        None, max_length=20, description="Id of an officer of your offices, or `none` for cases without one."
    )
    goals_overdue: bool | None = Field(None, description="Only cases with a goal past its target date.")
    missed_check_ins: bool | None = Field(None, description="Only cases with a missed check-in.")
    released_after: datetime.date | None = Field(None, description="Released on or after this date.")
    released_before: datetime.date | None = Field(None, description="Released on or before this date.")


class CaseloadItemOut(Schema):
    id: uuid.UUID
    client: CaseClientOut
    probation_office: PageRef
    officer: PersonRef | None
    opened_on: datetime.date = Field(description="The release date.")
    next_check_in: datetime.date | None
    has_overdue_goals: bool
    has_missed_check_ins: bool

    @staticmethod
    def resolve_officer(case: SupervisionCase) -> dict[str, Any] | None:
        return person_ref(case.officer)


class CaseloadCounts(Schema):
    total: int
    with_overdue_goals: int
    with_missed_check_ins: int


class CaseloadPage(Schema):
    count: Counted
    count_capped: CountCapped
    page: int
    per_page: int
    counts: CaseloadCounts = Field(description="Of all the cases the filters keep, as the caseload page shows them.")
    items: list[CaseloadItemOut]


class GoalReviewOut(Schema):
    status: GoalStatus
    achievement: str
    note: str
    reviewed_by: PersonRef
    reviewed_at: datetime.datetime

    @staticmethod
    def resolve_reviewed_by(review: GoalReview) -> dict[str, Any] | None:
        return person_ref(review.reviewed_by)


class GoalOut(Schema):
    id: int
    pathway: str = Field(description="Code of the pathway.")
    need_id: int | None
    description: str
    target_date: datetime.date | None
    status: GoalStatus
    achievement: str
    reviews: list[GoalReviewOut] = Field(description="Every review, oldest first.")

    @staticmethod
    def resolve_pathway(goal: Goal) -> str:
        return goal.pathway.code

    @staticmethod
    def resolve_reviews(goal: Goal) -> list[GoalReview]:
        return list(goal.reviews.all())


class CheckInOut(Schema):
    id: int
    due_on: datetime.date
    status: CheckInStatus
    note: str
    from_template: bool = Field(description="Booked at handover from the country's schedule.")
    recorded_by: PersonRef | None
    recorded_at: datetime.datetime | None

    @staticmethod
    def resolve_recorded_by(check_in: CheckIn) -> dict[str, Any] | None:
        return person_ref(check_in.recorded_by)


class SupervisionCaseOut(Schema):
    id: uuid.UUID
    client: CaseClientOut
    probation_office: PageRef
    officer: PersonRef | None
    opened_on: datetime.date = Field(description="The release date.")
    closed_on: datetime.date | None
    handover_summary: dict[str, Any]
    handover_note: str
    editable: bool = Field(description="Whether you may change the case (its probation office's staff).")
    goals: list[GoalOut]
    check_ins: list[CheckInOut] = Field(description="Oldest first.")


class OfficerIn(IdempotentInput):
    officer: RecordId = Field(description="User id of a probation officer of the case's office.")


class GoalIn(IdempotentInput):
    pathway: str = Field(max_length=50, description="Code of the pathway, e.g. housing.")
    need_id: RecordId | None = Field(None, description="The client's need on that pathway the goal answers.")
    description: str = Field(max_length=text_limit(Goal, "description"))
    target_date: datetime.date | None = None


class GoalReviewIn(IdempotentInput):
    status: GoalStatus
    achievement: Outcome | None = Field(None, description="Left out: not assessed yet.")
    note: str = Field("", max_length=text_limit(GoalReview, "note"))


class CheckInIn(IdempotentInput):
    due_on: datetime.date
    note: str = Field("", max_length=text_limit(CheckIn, "note"))


class CheckInOutcomeIn(IdempotentInput):
    status: CheckInStatus = Field(
        description=f"One of {', '.join(value for value, _label in RECORDED_STATUSES)}; a missed one alerts "
        "the officer and the supervisors."
    )
    rescheduled_to: datetime.date | None = Field(None, description="The new date; required to reschedule.")
    note: str = Field("", max_length=text_limit(CheckIn, "note"))


def case_out(user: AnyUser, case: SupervisionCase) -> dict[str, Any]:
    """The case as its page shows it, its plan and check-ins read in a fixed number of queries."""
    goals = case.goals.select_related("pathway").prefetch_related("reviews__reviewed_by")
    return {
        "id": case.pk,
        "client": case.client,
        "probation_office": case.probation_office,
        "officer": person_ref(case.officer),
        "opened_on": case.opened_on,
        "closed_on": case.closed_on,
        "handover_summary": case.handover_summary,
        "handover_note": case.handover_note,
        "editable": may_change_case(user, case),
        "goals": list(goals),
        "check_ins": list(case.check_ins.select_related("recorded_by")),
    }


def officer_of_office(case: SupervisionCase, pk: int) -> User:
    officer = officers_of([case.probation_office_id]).filter(pk=pk).first()
    if officer is None:
        raise ValidationError({"officer": _("Choose a probation officer of this office.")})
    return officer


def pathway_of_goal(code: str) -> TaxonomyTerm:
    pathway = pathways().filter(code=code).first()
    if pathway is None:
        raise ValidationError({"pathway": _("No pathway has the code “%(code)s”.") % {"code": code}})
    return pathway


@router.get(
    "/cases",
    response={200: CaseloadPage, **READ_ERRORS},
    tags=["supervision"],
    summary="Your probation caseload, newest release first, filtered as on the caseload page, paged",
)
def list_caseload(request: HttpRequest, paging: Query[Paging], filters: Query[CaseloadFilters]) -> dict:
    # The caseload page's own filters, so that the API and the page agree.
    filterset = CaseloadFilter(
        filters.model_dump(mode="json", exclude_none=True),
        queryset=annotated_caseload(request.user),
        request=request,
    )
    if not filterset.is_valid():
        raise ValidationError(filterset.errors)
    cases = filterset.qs
    return {**page_of(request.user, "case.list", cases, paging, listing="list"), "counts": caseload_counts(cases)}


@router.get(
    "/cases/{case_id}",
    response={200: SupervisionCaseOut, **READ_ERRORS},
    tags=["supervision"],
    summary="A supervision case: the client, officer, handover, plan with its goals and reviews, check-ins",
)
def get_case(request: HttpRequest, case_id: uuid.UUID) -> dict[str, Any]:
    return case_out(request.user, get_case_for_user(request.user, case_id))


@router.put(
    "/cases/{case_id}/officer",
    response={200: SupervisionCaseOut, **WRITE_ERRORS},
    tags=["supervision"],
    summary="Assign the case's probation officer",
)
def set_officer(request: HttpRequest, case_id: uuid.UUID, payload: OfficerIn) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)

    def write() -> dict[str, Any]:
        return case_out(request.user, assign_officer(request.user, case, officer_of_office(case, payload.officer)))

    return written_once(request, payload, SupervisionCaseOut, 200, write)


@router.post(
    "/cases/{case_id}/goals",
    response={201: GoalOut, 200: GoalOut, **WRITE_ERRORS},
    tags=["supervision"],
    summary="Add a goal to the plan (201), or repeat a request with the same idempotency key (200, nothing added)",
)
def create_goal(request: HttpRequest, case_id: uuid.UUID, payload: GoalIn) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)

    def write() -> Goal:
        return add_goal(
            request.user,
            case,
            pathway=pathway_of_goal(payload.pathway),
            need=need_of(case.client, payload.need_id),
            description=payload.description,
            target_date=payload.target_date,
        )

    return written_once(request, payload, GoalOut, 201, write)


@router.post(
    "/cases/{case_id}/goals/{goal_id}/reviews",
    response={201: GoalOut, 200: GoalOut, **WRITE_ERRORS},
    tags=["supervision"],
    summary="Review a goal: its status and achievement now, with a note",
)
def create_goal_review(request: HttpRequest, case_id: uuid.UUID, goal_id: int, payload: GoalReviewIn) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)
    goal = get_object_or_404(case.goals.select_related("case", "pathway"), pk=goal_id)

    def write() -> Goal:
        achievement = payload.achievement or ""
        return review_goal(request.user, goal, status=payload.status, achievement=achievement, note=payload.note)

    return written_once(request, payload, GoalOut, 201, write)


@router.post(
    "/cases/{case_id}/check-ins",
    response={201: CheckInOut, 200: CheckInOut, **WRITE_ERRORS},
    tags=["supervision"],
    summary="Schedule a check-in (201), or repeat a request with the same idempotency key (200, nothing added)",
)
def create_check_in(request: HttpRequest, case_id: uuid.UUID, payload: CheckInIn) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)

    def write() -> CheckIn:
        return add_check_in(request.user, case, due_on=payload.due_on, note=payload.note)

    return written_once(request, payload, CheckInOut, 201, write)


@router.post(
    "/cases/{case_id}/check-ins/{check_in_id}/outcome",
    response={200: CheckInOut, **WRITE_ERRORS},
    tags=["supervision"],
    summary="Record a scheduled check-in attended, missed or rescheduled (a recorded one answers 404, "
    "except to a retry with the same idempotency key)",
)
def set_check_in_outcome(
    request: HttpRequest, case_id: uuid.UUID, check_in_id: int, payload: CheckInOutcomeIn
) -> HttpResponse:
    case = get_case_for_user(request.user, case_id, write=True)

    def write() -> CheckIn:
        scheduled = case.check_ins.select_related("case", "recorded_by").filter(status=CheckInStatus.SCHEDULED)
        check_in = get_object_or_404(scheduled, pk=check_in_id)
        return record_check_in(
            request.user, check_in, status=payload.status, note=payload.note, rescheduled_to=payload.rescheduled_to
        )

    return written_once(request, payload, CheckInOut, 200, write)


# Alerts ----------------------------------------------------------------------------------------


class AlertOut(Schema):
    id: int
    kind: Alert.Kind
    case_id: uuid.UUID
    client_reference: str
    check_in_due_on: datetime.date | None
    created_at: datetime.datetime
    read_at: datetime.datetime | None

    @staticmethod
    def resolve_client_reference(alert: Alert) -> str:
        return alert.case.client.reference

    @staticmethod
    def resolve_check_in_due_on(alert: Alert) -> datetime.date | None:
        return alert.check_in.due_on if alert.check_in else None


class AlertPage(Schema):
    count: Counted
    count_capped: CountCapped
    page: int
    per_page: int
    unread: int = Field(description="How many of your alerts are unread.")
    items: list[AlertOut]


class AlertsReadIn(InputSchema):
    alerts: list[RecordId] | None = Field(
        None, max_length=MAX_NOTES, description="Ids of your alerts to mark read; left out: all of them."
    )


class MarkedRead(Schema):
    count: int = Field(description="How many alerts were unread and are now read.")


@router.get(
    "/alerts",
    response={200: AlertPage, **READ_ERRORS},
    tags=["supervision"],
    summary="Your alerts (missed check-ins of your cases), newest first, paged",
)
def list_alerts(request: HttpRequest, paging: Query[Paging]) -> dict:
    alerts = alerts_of(request.user).select_related("case__client", "check_in")
    unread = alerts.filter(read_at__isnull=True).count()
    return {**page_of(request.user, "alert.list", alerts, paging), "unread": unread}


@router.post(
    "/alerts/read",
    response={200: MarkedRead, **WRITE_ERRORS},
    tags=["supervision"],
    summary="Mark your alerts read: those given, or all of them",
)
def read_alerts(request: HttpRequest, payload: AlertsReadIn) -> dict[str, int]:
    return {"count": mark_alerts_read(request.user, payload.alerts)}
