"""Idempotency keys for the writes of the staff API and of the pages' forms, one mechanism for every write.

A client that may lose its connection (a caseworker in the field, offline until it syncs) sends
each write with a fresh key and sends the same key again when retrying. The first request with a
key runs the write and stores what it answered, keyed by (user, key), in the same transaction; a
retry with that key and the same request answers the stored answer (200 where the first was 201)
and writes nothing. The key sent with another operation or other input is refused (409) with the
reason. Two simultaneous requests with one key insert the same unique row: the second waits for
the first to commit and then answers its result. A refused write stores no answer: its key stays free
for the corrected request, and the refusal's audit event is kept. An answer is kept IDEMPOTENCY_KEY_DAYS, then
`forget_old_answers` (run by `manage.py apply_retention`) deletes it.
"""

import datetime
import hashlib
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.models import User
from django.db import DatabaseError, IntegrityError, transaction
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.responses import NinjaJSONEncoder

from portal.foundation.models import IdempotentRequest
from portal.foundation.validators import InputSchema

Answer = tuple[int, Any]


class IdempotentInput(InputSchema):
    """The input of a write that takes an idempotency key."""

    idempotency_key: uuid.UUID | None = Field(
        None, description="A fresh UUID per write; send the same one again when retrying, and nothing is written twice."
    )


class KeyReused(Exception):
    """The idempotency key was already used for another request."""


def fingerprint(request_input: Any) -> str:
    return hashlib.sha256(json.dumps(request_input, sort_keys=True, default=str).encode()).hexdigest()


def answered_once(
    user: Any, key: uuid.UUID | None, operation: str, request_input: Any, write: Callable[[], Answer]
) -> Answer:
    """`write()`'s (status, answer), or, for a retry of the same request with the same key, the first answer."""
    if key is None or not isinstance(user, User):
        return write()
    signature = fingerprint(request_input)
    with transaction.atomic():
        try:
            with transaction.atomic():
                stored = IdempotentRequest.objects.create(
                    user=user, key=key, operation=operation, fingerprint=signature, status=0, answer=None
                )
        except IntegrityError:
            return earlier_answer(user, key, operation, signature)
        try:
            status, answer = write()
        except DatabaseError:
            raise
        except Exception as error:  # noqa: BLE001 - raised again once the refusal is committed
            # A refused write: the verb's own transaction undid what it wrote, and what is left is the
            # refusal's audit event, which must stay. The key is freed for the corrected request.
            stored.delete()
            refusal = error
        else:
            stored.status, stored.answer = status, answer
            stored.save(update_fields=["status", "answer"])
            return status, answer
    raise refusal


def earlier_answer(user: User, key: uuid.UUID, operation: str, signature: str) -> Answer:
    earlier = IdempotentRequest.objects.get(user=user, key=key)
    if earlier.operation != operation:
        raise KeyReused(_("This idempotency key was already used for another operation."))
    if earlier.fingerprint != signature:
        raise KeyReused(_("This idempotency key was already used with other input."))
    return (200 if earlier.status == 201 else earlier.status), earlier.answer


def forget_old_answers(now: datetime.datetime) -> int:
    """Delete the answers stored longer ago than IDEMPOTENCY_KEY_DAYS; returns how many."""
    cutoff = now - datetime.timedelta(days=settings.IDEMPOTENCY_KEY_DAYS)
    deleted, _by_model = IdempotentRequest.objects.filter(created_at__lt=cutoff).delete()
    return deleted


def written_once(
    request: HttpRequest, payload: IdempotentInput, schema: type[Schema], status: int, write: Callable[[], Any]
) -> HttpResponse:
    """`write()`'s result as `schema`, with `status`; a retry with the same idempotency key and the
    same request (path and body) answers the first result and writes nothing."""
    operation, path = operation_of(request)
    request_input = {"path": path, "body": payload.model_dump(mode="json", exclude={"idempotency_key"})}

    def first() -> tuple[int, Any]:
        result = write()
        shown = result if isinstance(result, Schema) else schema.from_orm(result)
        # As the API renders it, so that a retry's answer reads exactly like the first.
        return status, json.loads(json.dumps(shown.model_dump(), cls=NinjaJSONEncoder))

    answered, answer = answered_once(request.user, payload.idempotency_key, operation, request_input, first)
    return JsonResponse(answer, status=answered, safe=False, content_type="application/json; charset=utf-8")


def operation_of(request: HttpRequest) -> tuple[str, dict]:
    """The request's method and route, and the values its path gave them."""
    match = request.resolver_match
    return f"{request.method} {match.route if match else request.path}", (match.kwargs if match else {})


# Page forms ------------------------------------------------------------------------------------

FORM_KEY = "idempotency_key"


class NotSent(Exception):
    """The view answered a form without writing (its errors shown again): no answer is kept."""

    def __init__(self, response: HttpResponse) -> None:
        super().__init__()
        self.response = response


def sent_once(request: HttpRequest, write: Callable[[], HttpResponse]) -> HttpResponse:
    """`write()`'s answer to a page's form, or, for the same form sent again (a double click, a reload
    resending it, a retry after the connection dropped), the first answer's redirect, saying so: nothing
    is written twice. As with `written_once`, the view finds its records through the access functions
    first, so a retry is checked like the first request.

    Each form shown carries a fresh key (`{% form_key %}`); the write's key is derived from it and the
    values sent, so values changed under one key (back, edit, send) make the new write the user meant.
    A submit `write()` answers without redirecting (the form shown again with its errors) keeps no
    answer. A form sent without a key is written as sent."""
    form_key = key_of_form(request)
    if form_key is None:
        return write()
    operation, path = operation_of(request)
    request_input = {"path": path, "fields": sent_fields(request)}
    written = False

    def first() -> Answer:
        nonlocal written
        written = True
        response = write()
        if not isinstance(response, HttpResponseRedirect):
            raise NotSent(response)
        return response.status_code, response["Location"]

    key = uuid.uuid5(form_key, f"{operation} {fingerprint(request_input)}")
    try:
        _status, location = answered_once(request.user, key, operation, request_input, first)
    except NotSent as refused:
        return refused.response
    if not written:
        messages.info(request, _("This form had already been sent: it was saved once, not twice."))
    return HttpResponseRedirect(location)


def key_of_form(request: HttpRequest) -> uuid.UUID | None:
    if request.method != "POST":
        return None
    try:
        return uuid.UUID(request.POST.get(FORM_KEY, ""))
    except ValueError:
        return None


def sent_fields(request: HttpRequest) -> dict:
    """What the form sent, but its key and CSRF token; an uploaded file by its name and size."""
    fields: dict = {
        name: request.POST.getlist(name) for name in request.POST if name not in (FORM_KEY, "csrfmiddlewaretoken")
    }
    for name in request.FILES:
        fields[name] = [(upload.name, upload.size) for upload in request.FILES.getlist(name)]
    return fields
