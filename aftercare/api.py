"""Case notes and handover in the staff JSON API: read a client's notes after a sequence number,
add one; hand a client over to a probation office at release.

`portal.wiring.api` adds this router to the staff API at /api/, which brings its sign-in (session or
bearer token) and its answers to refusals: 400 with `errors` per field, 403, 404. A client the
user is not on the case team of answers 404; a CSO never gets another organisation's
organisation-only notes. A POST carries an idempotency key: a retry returns the note the first
request stored (200 instead of 201) and adds nothing.
"""

import datetime
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from aftercare.access import (
    get_client_to_hand_over,
    get_client_to_write_notes,
    get_team_client_for_user,
    notes_visible_to,
)
from aftercare.actions import add_case_note_once, hand_over, text_limit
from aftercare.models import CaseNote, NoteVisibility, SupervisionCase
from aftercare.payloads import note_payload
from aftercare.subject_access import subject_access_response
from cso_directory.models import OrganisationPage
from portal.foundation.validators import LARGEST_ID, InputSchema, RecordId
from referrals.access import AnyUser, get_client_for_subject_access
from referrals.models import Client
from referrals.schemas import READ_ERRORS, Detail, FieldErrors

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


class HandoverIn(InputSchema):
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
    response={201: CaseOut, **WRITE_ERRORS},
    summary="Hand the client over to a probation office: the supervision case opens on the release date",
)
def handover(request: HttpRequest, client_id: uuid.UUID, payload: HandoverIn) -> Status[SupervisionCase]:
    client = get_client_to_hand_over(request.user, client_id)
    office = OrganisationPage.objects.live().filter(pk=payload.probation_office).first()
    if office is None:
        raise ValidationError({"probation_office": _("No organisation has this id.")})
    case = hand_over(
        request.user, client, probation_office=office, release_date=payload.release_date, note=payload.note
    )
    return Status(201, case)


@router.get(
    "/clients/{client_id}/subject-access",
    response={200: None, **READ_ERRORS},
    summary="Everything held about the client, as a ZIP of client.json and the consent evidence files "
    "(national coordinators of the client's country)",
)
def subject_access(request: HttpRequest, client_id: uuid.UUID) -> HttpResponse:
    return subject_access_response(get_client_for_subject_access(request.user, client_id))
