"""Who did what to which record, when and from where: one append-only table for every app.

`record_event` is called inside the transaction of the action it describes, so a failed audit
write fails the action. Where a request came from is taken from the context that
`AuditContextMiddleware` (or a WebSocket consumer, or a management command) sets.
"""

import contextvars
from dataclasses import dataclass

from portal.foundation.models import AuditEvent, Decision


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
