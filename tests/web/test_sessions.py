"""SE-1: sessions are fixation-proof, revocable and time-limited.

Limits: 30 minutes without a request ends a session (``SESSION_COOKIE_AGE``, renewed on every request), and
12 hours after sign-in it ends whatever the activity (``LEMKIN_SESSION_ABSOLUTE_LIMIT``), as NIST SP 800-63B
(2017), section 4.2.3 asks at AAL2.
"""

from __future__ import annotations

import datetime as dt
import time
from typing import Any

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lemkin.apps.accounts.access import SIGNED_IN_AT
from lemkin.apps.accounts.models import Role
from lemkin.apps.audit.models import Action, AuditEvent

PASSWORD = "correct horse battery staple"


def sign_in(client: Client, username: str) -> Any:
    return client.post(reverse("login"), {"username": username, "password": PASSWORD, "acknowledge": "on"})


def session_cookie(client: Client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def is_sign_in_redirect(response: Any) -> bool:
    return response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.fixture
def analyst(a_person: Any) -> Any:
    return a_person(roles=[Role.ANALYST], username="ana")


@pytest.mark.django_db
def test_signing_in_gives_a_new_session_key(analyst: Any) -> None:
    """(a) A session key planted before sign-in is not the one used after it (no fixation)."""
    client = Client()
    client.get(reverse("login"))
    session = client.session
    session["planted"] = True
    session.save()
    before = session.session_key
    assert is_sign_in_redirect(sign_in(client, "ana")) is False
    assert client.get(reverse("dashboard")).status_code == 200
    assert session_cookie(client) != before
    assert not Session.objects.filter(session_key=before).exists()


@pytest.mark.django_db
def test_an_old_cookie_after_signing_out_leads_to_the_sign_in_page(analyst: Any) -> None:
    """(b) Signing out ends the session on the server: its cookie, replayed, opens nothing."""
    client = Client()
    sign_in(client, "ana")
    cookie = session_cookie(client)
    assert client.get(reverse("dashboard")).status_code == 200
    client.post(reverse("logout"))
    replay = Client()
    replay.cookies[settings.SESSION_COOKIE_NAME] = cookie
    assert is_sign_in_redirect(replay.get(reverse("dashboard")))
    assert replay.get("/api/watchlist/listings").status_code == 401


@pytest.mark.django_db
def test_every_request_renews_the_idle_limit_and_an_idle_session_ends(analyst: Any) -> None:
    """(c, idle) Each request pushes the end 30 minutes ahead; a session idle past it opens nothing."""
    client = Client()
    sign_in(client, "ana")
    client.get(reverse("dashboard"))
    key = session_cookie(client)
    expires = Session.objects.get(session_key=key).expire_date
    assert abs((expires - timezone.now()) - dt.timedelta(minutes=30)) < dt.timedelta(seconds=30)
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - dt.timedelta(seconds=1))
    assert is_sign_in_redirect(client.get(reverse("dashboard")))


@pytest.mark.django_db
@pytest.mark.parametrize(("hours", "open_"), [(11.9, True), (12.1, False)])
def test_a_session_ends_twelve_hours_after_sign_in_however_active(analyst: Any, hours: float, open_: bool) -> None:
    """(c, absolute) An active session still ends 12 hours after sign-in; the end is audited."""
    client = Client()
    sign_in(client, "ana")
    session = client.session
    session[SIGNED_IN_AT] = time.time() - hours * 3600
    session.save()
    page, api = client.get(reverse("dashboard")), client.get("/api/watchlist/listings")
    if open_:
        assert (page.status_code, api.status_code) == (200, 200)
        return
    assert is_sign_in_redirect(page)
    assert api.status_code == 401
    denied = AuditEvent.objects.filter(action=Action.DENIED).order_by("-seq").first()
    assert denied is not None
    assert denied.detail["reason"] == "session outlived its time limit"


@pytest.mark.django_db
def test_a_session_that_did_not_start_by_signing_in_is_refused(analyst: Any) -> None:
    """Fail closed: a session without a sign-in time (e.g. from before this check existed) is ended."""
    client = Client()
    sign_in(client, "ana")
    session = client.session
    del session[SIGNED_IN_AT]
    session.save()
    assert is_sign_in_redirect(client.get(reverse("dashboard")))


@pytest.mark.django_db
def test_deactivating_a_person_ends_their_other_sessions(analyst: Any) -> None:
    """(d) An administrator deactivates a person: the person's open session is refused at its next request."""
    client = Client()
    sign_in(client, "ana")
    assert client.get(reverse("dashboard")).status_code == 200
    analyst.is_active = False
    analyst.save()
    assert is_sign_in_redirect(client.get(reverse("dashboard")))
    assert client.get("/api/watchlist/listings").status_code == 401
