"""The second factor on WebSockets: a session that still owes its code opens no socket as its user."""

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.models import Device

from accounts.second_factor import owes_second_factor


def passed_in_session(user, session) -> bool:
    """What django-otp's OTPMiddleware finds for a page: a confirmed device of this user in the session."""
    persistent_id = session.get(DEVICE_ID_SESSION_KEY)
    device = Device.from_persistent_id(persistent_id) if persistent_id else None
    return device is not None and device.user_id == user.pk and device.confirmed


def owes_second_factor_in(scope) -> bool:
    user, session = scope["user"], scope["session"]
    return user.is_authenticated and owes_second_factor(user, session, passed_in_session(user, session))


class SecondFactorSocketMiddleware:
    """Inside channels' AuthMiddlewareStack: while the second factor is due the scope's user is anonymous,
    so every consumer refuses the socket as it refuses anyone not signed in."""

    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        if await database_sync_to_async(owes_second_factor_in)(scope):
            scope = {**scope, "user": AnonymousUser()}
        return await self.inner(scope, receive, send)
