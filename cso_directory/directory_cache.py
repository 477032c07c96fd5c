"""The public directory and its organisation and service pages (models.CachedForVisitors), rendered
once for anonymous visitors and served from the cache (Redis in production), per language and query
string, until a listing is published (its translations with it) or unpublished or a service's
capacity changes.

Only anonymous GETs are cached, never a page for a signed-in user or one showing a message. The
language switcher's CSRF token is taken out before the page is stored and each visitor's own
goes back in when it is served, so no stored page carries a token or anything of a visitor.
"""

import hashlib
import re
from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.utils.translation import get_language

from portal.foundation import caching

GENERATION = "directory"
KIND = "directory:page"
LIFETIME_SECONDS = 600  # a safety net: every change that shows in the directory invalidates at once
CSRF_FIELD = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*(")')
TOKEN_PLACEHOLDER = b"\x00csrf-token\x00"


def directory_changed(**kwargs) -> None:
    """Forget every cached directory page (a signal receiver too)."""
    caching.changed(GENERATION)


def page_key(request: HttpRequest) -> str:
    path = hashlib.sha256(request.get_full_path().encode()).hexdigest()
    return f"{get_language()}:{path}"


def cacheable(request: HttpRequest) -> bool:
    return request.method == "GET" and not request.user.is_authenticated and not len(messages.get_messages(request))


def served_from_cache(request: HttpRequest, render: Callable[[], HttpResponse]) -> HttpResponse:
    """The anonymous visitor's page from the cache, rendering and storing it the first time."""
    if not cacheable(request):
        return render()
    rendered: list[HttpResponse] = []

    def stored_page() -> dict | None:
        response = render()
        if hasattr(response, "render"):
            response.render()
        rendered.append(response)
        if response.status_code != 200:
            return None
        return {
            "content": CSRF_FIELD.sub(rb"\1" + TOKEN_PLACEHOLDER + rb"\2", response.content),
            "type": response["Content-Type"],
        }

    page = caching.stored(KIND, [GENERATION], page_key(request), stored_page, LIFETIME_SECONDS)
    if page is None:
        return rendered[0]
    content = page["content"].replace(TOKEN_PLACEHOLDER, get_token(request).encode())
    return HttpResponse(content, content_type=page["type"])
