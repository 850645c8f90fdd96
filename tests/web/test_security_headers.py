"""SE-2, SE-3, ER-1: the passive checks of an OWASP ZAP baseline scan, made on every URL instead of a spider's.

No ZAP binary can be installed here, so the rules that cisagov/manage.get.gov's ``zap.conf`` sets to FAIL are
checked directly on the answers:

- SE-3 (ZAP 10015, 10020, 10021, 10035-10038, 10055): every answer carries a Content-Security-Policy with
  ``frame-ancestors 'none'`` and no ``'unsafe-inline'`` or ``'unsafe-eval'`` script, ``X-Content-Type-Options:
  nosniff``, a strict Referrer-Policy and ``Cache-Control: no-store``, and names no server version or framework;
  under the production settings every HTTPS answer also carries HSTS for at least a year. The crawl is every
  named URL pattern (so a new page is covered without editing this file) as a person of every role, GET and
  POST, and anonymously, plus error pages: 404, refusals (403 from the access-control point and from a view), 500
  in a page and in the API, the trailing-slash redirect and a static file.
- SE-2 (ZAP 10010, 10011, 10054, 90033): every cookie set over HTTPS under the production settings is
  ``Secure``, ``SameSite``, ``__Host-`` prefixed and without ``Domain``; the session cookie is ``HttpOnly``.
- ER-1 (ZAP 10023, 90022): 404s and 500s, with ``DEBUG`` off as in production, show no traceback, SQL, settings
  names or file paths, even when the exception's own message is full of them.

The production settings need keys from the environment and refuse to start without them, so they are loaded in a
process of their own (``production_probe.py``); a real gunicorn on loopback shows what the server adds.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.test import Client
from django.urls import URLPattern, reverse
from django.urls.converters import IntConverter
from django.utils.datastructures import CaseInsensitiveMapping

from lemkin.apps.accounts.models import Role
from lemkin.apps.watchlist import api as watchlist_api
from lemkin.apps.watchlist import services as watchlist
from lemkin.core.markings import Level

from .production_probe import INTERNAL_DETAIL
from .test_access import ARTIFACTS, named_patterns, url_for, world  # noqa: F401  (world is a fixture)

PROJECT_DIR = Path(__file__).resolve().parents[2]
#: Referrer policies that send no path or query to another site.
STRICT_REFERRER_POLICIES = {"no-referrer", "same-origin", "strict-origin", "strict-origin-when-cross-origin"}
ONE_YEAR = 31_536_000
STATIC_FILE = "/static/lemkin/lemkin.css"


# --- what an answer must carry -----------------------------------------------------------------------------
def csp_directives(policy: str) -> dict[str, list[str]]:
    """``"default-src 'self'; frame-ancestors 'none'"`` -> ``{"default-src": ["'self'"], ...}``."""
    directives = {}
    for part in policy.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


def header_problems(response: Any, *, static: bool = False) -> list[str]:
    """What an answer lacks of SE-3, in words; empty when it has everything. ``static`` answers (public,
    versioned assets) may be cached."""
    if isinstance(response, dict):
        response = CaseInsensitiveMapping(response)
    problems = []
    policy = response.get("Content-Security-Policy")
    if policy is None:
        problems.append("no Content-Security-Policy")
    else:
        directives = csp_directives(policy)
        if directives.get("frame-ancestors") != ["'none'"]:
            problems.append(f"CSP frame-ancestors is {directives.get('frame-ancestors')}, not 'none'")
        script = directives.get("script-src", directives.get("default-src"))
        if script is None:
            problems.append("CSP restricts no script source")
        elif {"'unsafe-inline'", "'unsafe-eval'"} & set(script):
            problems.append(f"CSP script-src allows {script}")
    if response.get("X-Content-Type-Options") != "nosniff":
        problems.append(f"X-Content-Type-Options is {response.get('X-Content-Type-Options')!r}")
    if response.get("Referrer-Policy") not in STRICT_REFERRER_POLICIES:
        problems.append(f"Referrer-Policy is {response.get('Referrer-Policy')!r}")
    cache_control = {d.split("=")[0].strip().lower() for d in response.get("Cache-Control", "").split(",")}
    if not static and "no-store" not in cache_control:
        problems.append(f"Cache-Control is {response.get('Cache-Control')!r}, without no-store")
    if re.search(r"\d", response.get("Server", "")):
        problems.append(f"Server names a version: {response['Server']!r}")
    if response.get("X-Powered-By") is not None:
        problems.append(f"X-Powered-By: {response['X-Powered-By']!r}")
    return problems


#: Signs of internal detail in an error answer (ER-1): a traceback, SQL, settings names, source paths.
INTERNAL_DETAIL_SIGNS = {
    "traceback": re.compile(r"Traceback|most recent call last|File \"", re.IGNORECASE),
    "SQL": re.compile(r"\bSELECT\b.+\bFROM\b|\bINSERT INTO\b|\bUPDATE\b.+\bSET\b|DatabaseError|sqlite3|psycopg"),
    "settings name": re.compile(
        r"SECRET_KEY|AUDIT_KEY|DATABASES|INSTALLED_APPS|ROOT_URLCONF|DJANGO_SETTINGS_MODULE|LEMKIN_|URLconf|DEBUG"
    ),
    "file path": re.compile(r"(?:/[\w.-]+)+\.py\b|site-packages|" + re.escape(str(PROJECT_DIR))),
    "planted message": re.compile("LEMKIN-INTERNAL-DETAIL"),
}


def internal_detail_in(body: str) -> list[str]:
    return [sign for sign, pattern in INTERNAL_DETAIL_SIGNS.items() if pattern.search(body)]


def test_the_checks_recognise_what_they_look_for() -> None:
    """The detectors themselves: the planted message trips every ER-1 sign, and each header problem is named."""
    assert set(internal_detail_in(INTERNAL_DETAIL)) >= {"SQL", "settings name", "file path", "planted message"}
    assert internal_detail_in('Traceback (most recent call last):\n  File "/srv/x.py"') == ["traceback", "file path"]
    bare = header_problems({"Server": "WSGIServer/0.2 CPython/3.12", "X-Powered-By": "Django"})
    assert len(bare) == 6, bare
    framed = header_problems({"Content-Security-Policy": "default-src 'self' 'unsafe-inline'"})
    assert [p for p in framed if p.startswith("CSP")] == [
        "CSP frame-ancestors is None, not 'none'",
        "CSP script-src allows [\"'self'\", \"'unsafe-inline'\"]",
    ]


# --- SE-3: the crawl -----------------------------------------------------------------------------------------
def _patterns() -> list[tuple[str, URLPattern]]:
    """Every named pattern; sign-out last, since a POST to it ends the client's session."""
    return sorted(named_patterns(), key=lambda item: item[0] == "logout")


@pytest.mark.django_db
def test_every_answer_carries_the_security_headers(
    world: dict[str, Any],  # noqa: F811 (the fixture imported above)
    client_for: Any,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """SE-3: every named URL x every role (GET and POST) and anonymously, and the error pages, over HTTPS: each
    answer carries CSP, nosniff, a strict Referrer-Policy and no-store, and no server version."""
    checked: Counter[int] = Counter()
    failures: list[str] = []

    def check(label: str, response: Any, *, static: bool = False) -> None:
        checked[response.status_code] += 1
        failures.extend(f"{label} ({response.status_code}): {p}" for p in header_problems(response, static=static))

    patterns = _patterns()
    clients = {role: client_for(person) for role, person in world["people"].items()}
    clients["anonymous"] = Client()
    for who, client in clients.items():
        for name, pattern in patterns:
            url = url_for(name, pattern, world)
            check(f"GET {url} as {who}", client.get(url, secure=True))
            check(f"POST {url} as {who}", client.post(url, secure=True))
    crawl = checked.total()

    # Error pages and answers produced outside the views, as a signed-in person and anonymously.
    for who, client in (("analyst", client_for(world["people"]["analyst"])), ("anonymous", Client())):
        for url in ("/no-such-page/", "/api/no-such-operation", "/watchlist/countries/XNO/", "/api/cases/x/options"):
            check(f"GET {url} as {who}", client.get(url, secure=True))
        check(f"GET /watchlist (slash redirect) as {who}", client.get("/watchlist", secure=True))
        check(f"GET {STATIC_FILE} as {who}", client.get(STATIC_FILE, secure=True), static=True)
    for role in ("analyst", "no-role"):
        check(f"GET /audit/ (refused) as {role}", client_for(world["people"][role]).get("/audit/", secure=True))
        check(
            f"GET /api/audit/events as {role}", client_for(world["people"][role]).get("/api/audit/events", secure=True)
        )
    failing = Client(raise_request_exception=False)
    failing.force_login(world["people"]["analyst"])
    for exception in (PermissionDenied("refused by the view"), DatabaseError(INTERNAL_DETAIL)):
        monkeypatch.setattr(watchlist, "summary_for", _raiser(exception))
        monkeypatch.setattr(watchlist_api, "visible", _raiser(exception))
        check(f"GET / raising {type(exception).__name__}", failing.get("/", secure=True))
        check(
            f"GET /api/watchlist/countries raising {type(exception).__name__}",
            failing.get("/api/watchlist/countries", secure=True),
        )
    assert {403, 404, 500} <= set(checked), checked

    total = checked.total()
    report = (
        f"security headers: {len(patterns)} URL patterns x ({len(clients) - 1} roles + anonymous) x GET and POST"
        f" = {crawl} answers, + {total - crawl} error, redirect and static answers = {total} answers checked"
        f" (by status: {dict(sorted(checked.items()))}), {len(failures)} failures\n"
    )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "security-headers.txt").write_text(report + "\n".join(failures))
    print(report)
    failing_answers = len({failure.split(": ", 1)[0] for failure in failures})
    assert not failures, f"{failing_answers} of {total} answers lack security headers:\n" + "\n".join(failures)


def _raiser(exception: Exception) -> Any:
    def fail(*args: Any, **kwargs: Any) -> Any:
        raise exception

    return fail


# --- ER-1 with the test settings (DEBUG off): every record URL with a missing record, and 500s ------------------
@pytest.mark.django_db
def test_error_answers_show_no_internal_detail(a_person: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """ER-1: every URL pattern reversed with records that do not exist, and server errors in a page and in the
    API whose exception is full of SQL, settings names and paths: no error answer shows any of it."""
    client = Client(raise_request_exception=False)
    client.force_login(a_person(roles=Role.values, clearance=Level.TOP_SECRET))
    errors: Counter[int] = Counter()
    leaks = []

    def check(label: str, response: Any) -> None:
        if response.status_code >= 400:
            errors[response.status_code] += 1
            if found := internal_detail_in(response.content.decode("utf-8", errors="replace")):
                leaks.append(f"{label} ({response.status_code}): {found}")

    for name, pattern in named_patterns():
        if pattern.pattern.regex.groupindex and name != "logout":
            url = _missing_record_url(name, pattern)
            check(f"GET {url}", client.get(url))
            check(f"POST {url}", client.post(url))
    check("GET /no-such-page/", client.get("/no-such-page/"))
    monkeypatch.setattr(watchlist, "summary_for", _raiser(DatabaseError(INTERNAL_DETAIL)))
    monkeypatch.setattr(watchlist_api, "visible", _raiser(DatabaseError(INTERNAL_DETAIL)))
    check("GET / failing", client.get("/"))
    check("GET /api/watchlist/countries failing", client.get("/api/watchlist/countries"))
    assert errors[404] >= 10
    assert errors[500] == 2
    assert not leaks, leaks


def _missing_record_url(name: str, pattern: URLPattern) -> str:
    """The pattern reversed with identifiers no record has."""
    converters = getattr(pattern.pattern, "converters", {})
    kwargs = {
        key: 999_999 if isinstance(converters.get(key), IntConverter) else "no-such-record"
        for key in pattern.pattern.regex.groupindex
    }
    return reverse(name, kwargs=kwargs)


# --- production settings: HSTS (SE-3), cookies (SE-2), error pages (ER-1) ---------------------------------------
@pytest.fixture(scope="module")
def production(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """What ``production_probe.py`` collects under ``lemkin.site.settings.production``: ``answers`` (label,
    status, headers, cookies, body of each) and the ``session_cookie_name``."""
    env = {key: value for key, value in os.environ.items() if not key.startswith(("LEMKIN_", "DJANGO_"))}
    env |= {
        "DJANGO_SETTINGS_MODULE": "lemkin.site.settings.production",
        "LEMKIN_SECRET_KEY": "production-probe-" + "k" * 48,
        "LEMKIN_AUDIT_KEY": "production-probe-audit-key",
        "LEMKIN_ALLOWED_HOSTS": "testserver",
        "LEMKIN_DATA_DIR": str(tmp_path_factory.mktemp("production")),
        "PYTHONPATH": str(PROJECT_DIR),
    }
    probe = Path(__file__).with_name("production_probe.py")
    result = subprocess.run(
        [sys.executable, str(probe)], env=env, cwd=PROJECT_DIR, capture_output=True, text=True, check=False, timeout=300
    )
    assert result.returncode == 0, result.stderr[-3000:]
    collected: dict[str, Any] = json.loads(result.stdout)
    return collected


def test_production_answers_carry_hsts_and_the_security_headers(production: dict[str, Any]) -> None:
    """SE-3 under the production settings: HSTS of at least a year (with subdomains) on every HTTPS answer, and
    the same headers as everywhere else."""
    failures: list[str] = []
    for answer in production["answers"]:
        headers = answer["headers"]
        hsts = headers.get("Strict-Transport-Security", "")
        max_age = re.search(r"max-age=(\d+)", hsts)
        if max_age is None or int(max_age.group(1)) < ONE_YEAR or "includesubdomains" not in hsts.lower():
            failures.append(f"{answer['label']}: Strict-Transport-Security is {hsts!r}")
        failures.extend(f"{answer['label']}: {problem}" for problem in header_problems(headers))
    assert {answer["status"] for answer in production["answers"]} >= {200, 302, 403, 404, 500}
    assert not failures, "\n".join(failures)


def test_production_cookies_are_secure_host_only_and_same_site(production: dict[str, Any]) -> None:
    """SE-2: every Set-Cookie over HTTPS, from the sign-in page to sign-out, is Secure, SameSite, ``__Host-``
    prefixed, host-only (no Domain) and on path ``/``; the session cookie is HttpOnly."""
    session = production["session_cookie_name"]
    cookies = [(answer["label"], cookie) for answer in production["answers"] for cookie in answer["cookies"]]
    failures: list[str] = []
    for label, cookie in cookies:
        attributes, name = cookie["attributes"], cookie["name"]
        problems = [
            "not Secure" if not attributes.get("secure") else "",
            "no SameSite" if attributes.get("samesite", "").lower() not in {"strict", "lax"} else "",
            "no __Host- prefix" if not name.startswith("__Host-") else "",
            f"Domain={attributes['domain']}" if attributes.get("domain") else "",
            f"Path={attributes.get('path')}" if attributes.get("path") != "/" else "",
            "session cookie not HttpOnly" if name == session and not attributes.get("httponly") else "",
        ]
        failures.extend(f"{label}: {cookie['header']}: {problem}" for problem in problems if problem)
    assert not failures, "\n".join(failures)
    names = {cookie["name"] for _, cookie in cookies}
    assert {"__Host-lemkin-session", "__Host-lemkin-csrf"} <= names, (
        f"the session and CSRF cookies were not seen: {names}"
    )


def test_production_error_answers_show_no_internal_detail(production: dict[str, Any]) -> None:
    """ER-1 under the production settings: the 404s and the 500s (whose exception carries SQL, a settings name
    and a path) show none of it; the 500 page tells the person what to do instead."""
    answers = {answer["label"]: answer for answer in production["answers"]}
    errors = [answer for answer in answers.values() if answer["status"] >= 400]
    assert sorted(answer["status"] for answer in errors).count(500) == 2
    assert sorted(answer["status"] for answer in errors).count(404) == 5
    leaks = [f"{a['label']}: {found}" for a in errors if (found := internal_detail_in(a["body"]))]
    assert not leaks, leaks
    assert "tell your administrator" in answers["server error in a page (500)"]["body"]


# --- the server in front: gunicorn, as `lemkin serve` runs it (the `served` fixture of conftest.py) ------------
def test_the_served_application_names_no_server_version(served: Any) -> None:
    """SE-3 (ZAP 10036, 10037): through the real server, no version in ``Server`` and no ``X-Powered-By``."""
    problems: list[str] = []
    for path in ("/health", "/no-such-page/", "/"):
        connection = http.client.HTTPConnection("127.0.0.1", served.port, timeout=30)
        connection.request("GET", path)
        response = connection.getresponse()
        response.read()
        headers = {key: value for key, value in response.getheaders()}
        connection.close()
        problems.extend(f"{path} ({response.status}): {p}" for p in header_problems(headers))
    assert not problems, problems
