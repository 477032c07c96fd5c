"""Who did what to which record, when and from where: one append-only table for every app.

`record_event` is called inside the transaction of the action it describes, so a failed audit
write fails the action. Where a request came from is taken from the context that
`AuditContextMiddleware` (or a WebSocket consumer, or a management command) sets.
"""

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import TypeVar

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse

from portal.foundation.models import AuditEvent, Decision

Refusal = TypeVar("Refusal", bound=Exception)


@dataclass(frozen=True)
class Origin:
    ip: str = ""
    channel: str = "web"  # web, api, websocket, command
    user_agent: str = ""


COMMAND_ORIGIN = Origin(channel="command")
USER_AGENT_LENGTH = AuditEvent._meta.get_field("user_agent").max_length or 0
current_origin: contextvars.ContextVar[Origin | None] = contextvars.ContextVar("audit_origin", default=None)


def record_event(actor, action: str, obj, *, outcome: str = Decision.ALLOWED, **detail) -> AuditEvent:
    """Append one audit event about `obj` (a model instance, or a (type, id) pair for denials)."""
    object_type, object_id = obj if isinstance(obj, tuple) else (obj._meta.label_lower, obj.pk)
    origin = current_origin.get() or COMMAND_ORIGIN
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        outcome=outcome,
        ip=origin.ip or None,
        user_agent=origin.user_agent[:USER_AGENT_LENGTH],
        channel=origin.channel,
        subject_id=subject_of(obj, detail),
        detail=detail,
    )


def subject_of(obj, detail: dict) -> str:
    """The person whose record the event is about: a person's record says so with `is_person_record`,
    a record about a person names them by its `client_id` (or the event's `client` detail)."""
    if getattr(obj, "is_person_record", False):
        return str(obj.pk)
    return str(getattr(obj, "client_id", None) or detail.get("client") or "")


class AuditContextMiddleware:
    """Remember where the current request comes from, for the audit events it causes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        origin = Origin(
            ip=request.META.get("REMOTE_ADDR", ""), channel=channel, user_agent=request.META.get("HTTP_USER_AGENT", "")
        )
        token = current_origin.set(origin)
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)


def audited(refusal: Refusal) -> Refusal:
    """Mark a refusal (404 or 403) whose audit event is written, so that no one writes a second."""
    refusal.audited = True  # type: ignore[attr-defined]
    return refusal


def refused_writes_audited(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """For a page view that writes: a 404 or 403 it answers to a POST is audited once, as the staff API's
    refusals are, also where no access function did (a record of another client named in the URL)."""

    @wraps(view)
    def audited_view(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except (Http404, PermissionDenied) as refusal:
            if request.method == "POST" and not getattr(refusal, "audited", False):
                denied = "access.denied" if isinstance(refusal, Http404) else "access.refused"
                # The record the URL names last (the need, the goal...), which the view did not find.
                named = (f"page:{view.__name__}", list(kwargs.values())[-1] if kwargs else "")
                record_event(request.user, denied, named, outcome=Decision.DENIED, path=request.path)
            raise

    return audited_view
