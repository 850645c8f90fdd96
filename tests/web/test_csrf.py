"""SE-5: every state-changing request needs a CSRF token, and safe methods change nothing.

The URL list comes from the URL conf (as in the access matrix), so a new page or API operation is covered without
anyone editing this file. A tokenless POST is sent by a person whom ``RULES`` allows to write through that URL, so
the refusal is the CSRF check's, not the access rule's; the database is digested before and after, so a refusal
that still wrote something fails too.
"""

from __future__ import annotations

import hashlib
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from lemkin.apps.accounts.access import PUBLIC, RULES, SIGNED_IN

from .test_access import ARTIFACTS, named_patterns, url_for, world  # noqa: F401  (world is a fixture)

#: Tables a read may write by design: the audit log (exports and reads of marked records are audited, AU-1 and
#: AU-3), sessions, and django-axes' record of access attempts.
_WRITTEN_BY_READS = ("audit_", "django_session", "axes_")


def database_digest() -> dict[str, str]:
    """SHA-256 of every table's rows in primary-key order, except the tables reads may write."""
    digests = {}
    with connection.cursor() as cursor:
        for table in sorted(connection.introspection.table_names(cursor)):
            if table.startswith(_WRITTEN_BY_READS):
                continue
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT * FROM {quoted} ORDER BY 1")  # table names come from introspection
            digests[table] = hashlib.sha256(repr(cursor.fetchall()).encode()).hexdigest()
    return digests


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    return sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))


def csrf_client(person: Any | None) -> Client:
    client = Client(enforce_csrf_checks=True)
    if person is not None:
        client.force_login(person)
    return client


@pytest.mark.django_db
def test_every_post_without_a_csrf_token_is_refused_and_writes_nothing(world: dict[str, Any]) -> None:  # noqa: F811
    """Each URL, posted to without a token by someone allowed to write there (anonymously for the public pages),
    answers 403 and leaves the database as it was."""
    people = world["people"]
    clients = {role: csrf_client(person) for role, person in people.items()}
    anonymous = csrf_client(None)
    before = database_digest()
    checked, failures, writable = 0, [], 0
    for name, pattern in named_patterns():
        url = url_for(name, pattern, world)
        if name in PUBLIC:
            client = anonymous
        else:
            allowed = [r for r, p in people.items() if name in SIGNED_IN or RULES[name].allows(p, "POST")]
            writable += bool(allowed)
            client = clients[allowed[0] if allowed else "administrator"]
        response = client.post(url, {"reason": "tokenless", "name": "tokenless"})
        checked += 1
        if response.status_code != 403:
            failures.append(f"POST {url} ({name}) without a CSRF token: {response.status_code}")
    after = database_digest()
    report = f"CSRF: {checked} URL patterns posted to without a token ({writable} writable by some role)"
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "csrf.txt").write_text(f"{report}, {len(failures)} failures\n" + "\n".join(failures))
    assert writable >= 15, "the fixture world should give every writable URL a person allowed to write"
    assert not failures, failures
    assert changed_tables(before, after) == []


@pytest.mark.django_db
def test_the_same_post_with_a_token_gets_past_the_check(world: dict[str, Any]) -> None:  # noqa: F811
    """The control: with the token a writer's POST is not refused, so the 403s above are the CSRF check's."""
    client = csrf_client(world["people"]["administrator"])
    page = client.get("/accounts/profile/")
    token = page.cookies[next(c for c in page.cookies if "csrf" in c)].value
    response = client.post("/accounts/profile/", {"csrfmiddlewaretoken": token})
    assert response.status_code != 403


@pytest.mark.django_db
def test_get_and_head_change_nothing_for_any_role(world: dict[str, Any], client_for: Any) -> None:  # noqa: F811
    """Every URL read by every role and anonymously (GET and HEAD) leaves every table but the logs as it was."""
    clients = [Client(), *(client_for(p) for p in world["people"].values())]
    before = database_digest()
    requests = 0
    for name, pattern in named_patterns():
        url = url_for(name, pattern, world)
        if name == "logout":
            continue  # signing out ends the session (sessions are excluded anyway), and later reads need one
        for client in clients:
            for method in (client.get, client.head):
                method(url)
                requests += 1
    assert requests > 500
    assert changed_tables(before, database_digest()) == []


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("method", "where"),
    [("get", "query"), ("post", "form"), ("post", "json")],
)
def test_a_nul_character_anywhere_in_a_request_is_a_400_and_writes_nothing(
    world: dict[str, Any],  # noqa: F811
    method: str,
    where: str,
) -> None:
    """No field accepts a NUL (PostgreSQL cannot store one, so it used to surface as a 500 there): every URL
    answers 400 to one in a query parameter, a form field or a JSON body, on either database."""
    client = Client()
    client.force_login(world["people"]["administrator"])
    before = database_digest()
    answers = set()
    for name, pattern in named_patterns():
        if name == "logout":
            continue
        url = url_for(name, pattern, world)
        if where == "query":
            response = client.get(url, {"q": "a\x00b"})
        elif where == "form":
            response = client.post(url, {"name": "a\x00b", "reason": "a\x00b"})
        else:
            response = client.post(url, '{"name": "a\\u0000b"}', content_type="application/json")
        answers.add(response.status_code)
    assert answers == {400}
    assert changed_tables(before, database_digest()) == []
