"""Upload limits that refuse a request before its body is read.

A view that takes a file declares its limit with `@upload_limit(bytes, message)`;
`UploadLimitMiddleware`, placed before anything that reads the body (the CSRF check reads the
form), answers 413 from the declared Content-Length alone. Under ASGI the server has received
the body by then: the proxy in front must limit what it accepts at all (nginx's
client_max_body_size).
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.functional import Promise

# What a form sends besides the file: its other fields and the multipart boundaries.
FORM_OVERHEAD_BYTES = 64 * 1024


@dataclass(frozen=True)
class UploadLimit:
    file_bytes: int
    message: str | Promise

    @property
    def request_bytes(self) -> int:
        return self.file_bytes + FORM_OVERHEAD_BYTES


def upload_limit(file_bytes: int, message: str | Promise) -> Callable:
    """Declare the largest file a view takes; a larger request answers 413 with `message`, unread."""

    def declare(view: Callable) -> Callable:
        view.upload_limit = UploadLimit(file_bytes, message)  # type: ignore[attr-defined]
        return view

    return declare


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


class UploadLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view: Callable, args, kwargs) -> HttpResponse | None:
        limit: UploadLimit | None = getattr(view, "upload_limit", None)
        if limit is None or declared_length(request) <= limit.request_bytes:
            return None
        return render(request, "413.html", {"message": limit.message}, status=413)
