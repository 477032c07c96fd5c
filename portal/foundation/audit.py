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


COMMAND_ORIGIN = Origin(channel="command")
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
        channel=origin.channel,
        detail=detail,
    )


class AuditContextMiddleware:
    """Remember where the current request comes from, for the audit events it causes."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        channel = "api" if request.path.startswith("/api/") else "web"
        token = current_origin.set(Origin(ip=request.META.get("REMOTE_ADDR", ""), channel=channel))
        try:
            return self.get_response(request)
        finally:
            current_origin.reset(token)
