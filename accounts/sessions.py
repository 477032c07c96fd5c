"""How long a signed-in session lives, and what ends it, for pages, the API and WebSockets alike.

A session ends SESSION_IDLE_TIMEOUT seconds after its last request and SESSION_ABSOLUTE_TIMEOUT
seconds after signing in, whichever comes first. Signing out deletes it; a disabled account
cannot use it. Each open WebSocket remembers its session and closes once that session has ended
(`SessionBoundConsumer`): when an `access.changed` event reaches the user's group (sent on sign-out
and when an account is disabled), when the session's deadline passes, and at least every
ACCESS_RECHECK_SECONDS for what no event announces.
"""

import asyncio
import time
from importlib import import_module

from channels.db import database_sync_to_async
from django.conf import settings
from django.contrib.auth import get_user, logout
from django.contrib.auth.models import User
from django.contrib.auth.signals import user_logged_in, user_logged_out
from django.contrib.auth.views import redirect_to_login
from django.contrib.sessions.backends.base import SessionBase
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.http import HttpRequest
from django.utils.cache import add_never_cache_headers

from portal.foundation.realtime import (
    CLOSE_FORBIDDEN,
    CLOSE_UNAUTHENTICATED,
    EventConsumer,
    broadcast_on_commit,
    user_group,
)

SIGNED_IN_AT = "signed_in_at"
LAST_SEEN_AT = "last_seen_at"
# A session records a request only once a minute: most requests then write nothing to the session store.
ACTIVITY_RESOLUTION_SECONDS = 60
ACCESS_RECHECK_SECONDS = 30
API_PREFIX = "/api/"
SIGNED_OUT_SESSION = "signed_out_session"  # in an access.changed event: the session that has just ended


def stored_session(session_key: str | None) -> SessionBase:
    return import_module(settings.SESSION_ENGINE).SessionStore(session_key)


def session_deadline(session: SessionBase) -> float:
    """When the session ends (seconds since the epoch); 0 for a session that never recorded its sign-in."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return 0
    return min(last_seen_at + settings.SESSION_IDLE_TIMEOUT, signed_in_at + settings.SESSION_ABSOLUTE_TIMEOUT)


def has_timed_out(session: SessionBase) -> bool:
    return time.time() >= session_deadline(session)


@receiver(user_logged_in)
def start_session_clock(sender, request, user, **kwargs) -> None:
    now = time.time()
    request.session[SIGNED_IN_AT] = now
    request.session[LAST_SEEN_AT] = now


@receiver(user_logged_out)
def close_sockets_of_ended_session(sender, request, user, **kwargs) -> None:
    """The sockets of this session close. Sent before the session is deleted: so the event names it."""
    if user is not None:
        event = {"type": "access.changed", SIGNED_OUT_SESSION: request.session.session_key}
        broadcast_on_commit(user_group(user.pk), event)


@receiver(post_save, sender=User)
def close_sockets_of_disabled_account(sender, instance: User, **kwargs) -> None:
    """However an account is disabled (admin, code), its open sockets re-check it and close."""
    if not instance.is_active:
        broadcast_on_commit(user_group(instance.pk), {"type": "access.changed"})


class SessionTimeoutMiddleware:
    """Signs out a session past its idle or absolute deadline: pages go to sign in, the API answers 401.

    The API goes on as an anonymous request, so its own authentication answers (401, or a bearer
    token that still holds). After AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            if has_timed_out(request.session):
                logout(request)
                if not request.path.startswith(API_PREFIX):
                    return redirect_to_login(request.get_full_path())
            elif time.time() - request.session[LAST_SEEN_AT] >= ACTIVITY_RESOLUTION_SECONDS:
                request.session[LAST_SEEN_AT] = time.time()
        return self.get_response(request)


class NoStoreForSignedInMiddleware:
    """No browser or proxy keeps a copy of what a signed-in user saw, nor of any API answer.

    Every API answer, whoever asks (a bearer token is no session): the rule stays simple, and the
    public HSDS answers lose only their caching.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.user.is_authenticated or request.path.startswith(API_PREFIX):
            add_never_cache_headers(response)
        return response


def session_holds(session: SessionBase, user_id: int) -> bool:
    """Is this stored session still signed in as this active user, before its deadline?"""
    if has_timed_out(session):
        return False
    request = HttpRequest()
    request.session = session
    user = get_user(request)
    return user.is_authenticated and user.pk == user_id


class SessionBoundConsumer(EventConsumer):
    """A socket that lives no longer than the session it was opened with, nor than its user's access.

    Subclasses call `watch_session()` once accepted and this class's `disconnect`, and may narrow
    `access_holds` (their own access check). Each re-check (`recheck`: on an `access.changed` event,
    at the session's deadline, every ACCESS_RECHECK_SECONDS) is one visit to the database: Channels runs
    all of a process's socket database work on one thread, and with hundreds of sockets open their
    re-checks queued behind each other until new handshakes timed out (benchmarks/analysis.md).
    """

    session_key: str | None = None

    async def watch_session(self) -> None:
        self.session_key = self.scope["session"].session_key
        self.session_watch = asyncio.create_task(self.close_when_session_ends())

    async def disconnect(self, code):
        self.stop_watching()

    async def close(self, code=None, reason=None):
        await super().close(code=code, reason=reason)
        self.stop_watching()

    def stop_watching(self) -> None:
        if hasattr(self, "session_watch"):
            self.session_watch.cancel()

    def access_holds(self) -> bool:
        """The subclass's own access check, in the re-check's database visit; the session alone by default."""
        return True

    def standing(self, signed_out_session: str | None) -> tuple[int | None, float]:
        """The code to close the socket with (None: it stays open) and, if it stays, its session's deadline."""
        if not self.access_holds():
            return CLOSE_FORBIDDEN, 0.0
        session = stored_session(self.session_key)
        if signed_out_session == self.session_key or not session_holds(session, self.scope["user"].pk):
            return CLOSE_UNAUTHENTICATED, 0.0
        return None, session_deadline(session)

    async def recheck(self, signed_out_session: str | None = None) -> bool:
        """Closes the socket, answering False, once its user's access or its session no longer holds."""
        close_code, self.deadline = await database_sync_to_async(self.standing)(signed_out_session)
        if close_code is not None:
            await self.close(code=close_code)
        return close_code is None

    async def close_when_session_ends(self) -> None:
        """Re-checks at the session's deadline, and every ACCESS_RECHECK_SECONDS for what no event announces."""
        while await self.recheck():
            await asyncio.sleep(max(0.0, min(self.deadline - time.time(), ACCESS_RECHECK_SECONDS)) + 0.1)

    async def access_changed(self, event):
        await self.recheck(event.get(SIGNED_OUT_SESSION))
