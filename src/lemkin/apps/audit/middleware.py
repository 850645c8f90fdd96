from __future__ import annotations

import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .context import Actor, acting_as


def client_ip(request: HttpRequest) -> str:
    """The client's address as the server saw it (a proxy's forwarded header is not trusted here)."""
    return str(request.META.get("REMOTE_ADDR", ""))


class RequestContextMiddleware:
    """Gives each request an id (also sent back as ``X-Request-ID``) and makes its person the audit actor."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request_id = uuid.uuid4().hex
        request.lemkin_request_id = request_id  # type: ignore[attr-defined]
        with acting_as(Actor.of(request.user, ip=client_ip(request), request_id=request_id)):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response
