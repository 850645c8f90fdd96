"""What every answer of the application carries beyond Django's own security middlewares (SE-2, SE-3).

``PrivateAnswersMiddleware`` does two things in one place, so that no view can forget them:

- It marks every answer of the application as not to be stored (``Cache-Control: no-store``, with ``private``,
  ``no-cache``, ``max-age=0``, ``must-revalidate`` and an ``Expires`` in the past, as Django's ``never_cache``
  does). Pages, API answers and exports carry marked material, and a browser cache or a proxy on a shared machine
  would keep a copy outside the access-control point and beyond the session's end. Anonymous answers (the sign-in
  page, refusals, errors, redirects) get the same headers: they hold nothing worth caching, and one rule for all
  answers cannot miss a view the way a list of decorated views can. Static files are not touched: WhiteNoise
  answers them before this middleware runs, with its own caching headers (they are public, versioned files).
- It keeps the session cookie's flags when the session ends. Django's ``delete_cookie`` (used on sign-out and on
  an emptied session) sets ``SameSite``, and ``Secure`` only for ``__Host-`` and ``__Secure-`` names, but never
  ``HttpOnly``; the deletion gets the ``HttpOnly`` and ``Secure`` of the settings, so that no ``Set-Cookie`` of the
  session lacks them.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import add_never_cache_headers


class PrivateAnswersMiddleware:
    """``Cache-Control: no-store`` on every answer; the session cookie keeps its flags even when it is deleted.

    Placed outside ``SessionMiddleware``, so that it sees the session cookie that middleware sets or deletes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        session_cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
        if session_cookie is not None:
            session_cookie["httponly"] = session_cookie["httponly"] or settings.SESSION_COOKIE_HTTPONLY
            session_cookie["secure"] = session_cookie["secure"] or settings.SESSION_COOKIE_SECURE
        return response


class NoNulCharactersMiddleware:
    """Refuses, with 400, a request whose parameters, form fields or JSON body hold a NUL character.

    No text in Lemkin has a use for one, PostgreSQL's text columns cannot hold it (a query with one fails with a
    database error: a 500 instead of an answer), and text tools stop reading at it. One check here covers every
    view, form and API operation, and answers the same on SQLite and PostgreSQL.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _holds_nul(request):
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"detail": "The request holds a NUL character, which no field accepts."}, status=400
                )
            return HttpResponseBadRequest("The request holds a NUL character, which no field accepts.")
        return self.get_response(request)


def _holds_nul(request: HttpRequest) -> bool:
    if "\x00" in request.path or any("\x00" in v for vs in request.GET.lists() for v in vs[1]):
        return True
    # The body is read here and kept, so that views and forms still can (reading request.POST first would consume
    # a multipart stream, and a later read of request.body would fail).
    body = request.body
    if b"\x00" in body:  # raw, as in a multipart form or a file
        return True
    content_type = request.content_type or ""
    if content_type == "application/json":
        return b"\\u0000" in body
    if content_type == "application/x-www-form-urlencoded":
        return any("\x00" in v for vs in request.POST.lists() for v in vs[1])
    return False
