"""Serve a handful of requests under the production settings and print what came back, as JSON on stdout.

``test_security_headers.py`` runs this file in a process of its own: the production settings read their keys
from the environment at import time and refuse to start without them, so they cannot be loaded beside the test
settings. The requests go through Django's test client over HTTPS (``secure=True``) on a fresh SQLite database
in ``LEMKIN_DATA_DIR``: the sign-in page, a real sign-in through the form, a page, an API answer, an export, a
refusal, missing pages and records, a server error in a page and in the API (a service made to fail with a
message full of internal detail) and sign-out.

The one departure from production: static files come from the finders, because the suite does not run
``collectstatic`` and the manifest storage would otherwise refuse every page that links a stylesheet.
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

#: The message of the failure planted in a service: SQL, a settings name and a file path. An error page that
#: shows the exception or its traceback shows this text.
INTERNAL_DETAIL = (
    f"SELECT password FROM accounts_person WHERE SECRET_KEY = 'x' (LEMKIN-INTERNAL-DETAIL, {os.path.abspath(__file__)})"
)
PASSWORD = "correct horse battery staple"


def cookies_of(response: Any) -> list[dict[str, Any]]:
    """Each ``Set-Cookie`` of a response, as the header line and its parsed attributes."""
    found = []
    for morsel in response.cookies.values():
        attributes = {key: value for key, value in morsel.items() if value}
        found.append({"name": morsel.key, "header": morsel.OutputString(), "attributes": attributes})
    return found


def main() -> None:
    from django.conf import settings

    settings.STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.WHITENOISE_USE_FINDERS = True

    import django

    django.setup()

    from django.core.management import call_command
    from django.db import DatabaseError
    from django.test import Client

    from lemkin.apps.accounts.models import Agency, Person, Role
    from lemkin.apps.watchlist import api as watchlist_api
    from lemkin.apps.watchlist import services as watchlist

    call_command("migrate", interactive=False, verbosity=0)
    person = Person.objects.create_user("probe", password=PASSWORD, agency=Agency.objects.get(code="STATE"))
    person.set_roles([Role.ANALYST])

    def fail(*args: Any, **kwargs: Any) -> Any:
        raise DatabaseError(INTERNAL_DETAIL)

    client = Client(raise_request_exception=False)
    answers: list[dict[str, Any]] = []

    def keep(label: str, response: Any) -> None:
        answers.append(
            {
                "label": label,
                "status": response.status_code,
                "headers": dict(response.items()),
                "cookies": cookies_of(response),
                "body": response.content.decode("utf-8", errors="replace"),
            }
        )

    keep("sign-in page (anonymous)", client.get("/login/", secure=True))
    keep("404 page (anonymous)", client.get("/no-such-page/", secure=True))
    signed_in = {"username": "probe", "password": PASSWORD, "acknowledge": "on"}
    keep("sign-in", client.post("/login/", signed_in, secure=True))
    keep("dashboard", client.get("/", secure=True))
    keep("API answer", client.get("/api/watchlist/countries", secure=True))
    keep("CSV export", client.get("/watchlist/export/?format=csv", secure=True))
    keep("refused page (403)", client.get("/audit/", secure=True))
    keep("refused API operation (403)", client.get("/api/audit/events", secure=True))
    keep("404 page", client.get("/no-such-page/", secure=True))
    keep("missing record (404)", client.get("/watchlist/countries/XNO/", secure=True))
    keep("missing API operation (404)", client.get("/api/no-such-operation", secure=True))
    keep("missing API record (404)", client.get("/api/cases/no-such-case/options", secure=True))
    summary_for, visible = watchlist.summary_for, watchlist_api.visible
    watchlist.summary_for = fail
    watchlist_api.visible = fail
    try:
        keep("server error in a page (500)", client.get("/", secure=True))
        keep("server error in the API (500)", client.get("/api/watchlist/countries", secure=True))
    finally:
        watchlist.summary_for, watchlist_api.visible = summary_for, visible
    keep("sign-out", client.post("/logout/", secure=True))
    json.dump({"session_cookie_name": settings.SESSION_COOKIE_NAME, "answers": answers}, sys.stdout)


if __name__ == "__main__":
    main()
