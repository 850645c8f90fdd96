"""IN-3 (API robustness) and AC-5 (no IDOR through the API): schemathesis against the API's own OpenAPI document.

Every operation of the document is called in-process through Django's WSGI application (no server) with
generated valid and invalid input: the examples, coverage and fuzzing phases, positive and negative modes, and
every built-in check, which is the command line's ``--checks all``: no 5xx; status codes, content types,
headers and bodies as the document says; invalid input refused; valid input accepted; an operation that
declares authentication refuses a request without it.

IN-3 runs as a person with every role, cleared TOP SECRET and in the KESTREL compartment, so each operation is
reached past its access rule. AC-5 runs the same generation as a person with every role and TOP SECRET clearance
but outside KESTREL, and no 2xx answer may carry the canary of the ``world`` fixture's SECRET//KESTREL records.
In both runs valid cases whose path names a record name the fixture's records too, public and secret by their
real identifiers (the ``flatmap_case`` hook), so operations run past their 404 on real data and the outsider asks
for the secret records directly.

Generation is derandomized with a fixed seed, so CI repeats the same requests. ``MAX_EXAMPLES`` is the fuzzing
phase's number of examples per operation; the examples and coverage phases add their own cases.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.core import signals
from django.core.handlers.wsgi import WSGIHandler
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode

from lemkin.apps.accounts.models import Person, Role
from lemkin.core.markings import Level
from lemkin.site.api import api

from .test_access import ARTIFACTS, CANARY, world  # noqa: F401  (``world`` is the shared fixture of people and records)

#: Examples per operation in the fuzzing phase (the examples and coverage phases add their own).
MAX_EXAMPLES = 100
SEED = 20260101
#: The signed-in session every generated case carries: the schema's cases (the coverage phase's among them)
#: are built when the tests are collected, so the key is fixed and each test gives it to its own person.
SESSION_KEY = "schemathesis0session0under0test"  # at most 40 characters, as the session table allows
#: A CSRF secret sent as both cookie and header, as a page's script sends it.
CSRF_TOKEN = "lemkinschemathesiscsrftoken00001"

SCHEMATHESIS = {
    "seed": SEED,
    "suppress-health-check": ["too_slow", "filter_too_much", "data_too_large"],
    "generation": {
        "mode": "all",
        "max-examples": MAX_EXAMPLES,
        "deterministic": True,
        "database": "none",
        # The session cookie is the auth below, not a parameter to generate values for.
        "with-security-parameters": False,
        # A NUL anywhere in a request is refused with 400 before any operation runs (NoNulCharactersMiddleware;
        # tests/web/test_csrf.py holds every URL to it), so it is left out of otherwise valid input.
        "allow-x00": False,
    },
    "phases": {"examples": {"enabled": True}, "coverage": {"enabled": True}, "fuzzing": {"enabled": True}},
    "operations": [
        {
            # A well-formed package may still name a tool the catalog does not know, or another case: the
            # document says so and the review answers 422 with the reasons (docs/planning-contract.md).
            "include-operation-id": "review_case",
            "checks": {"positive_data_acceptance": {"expected-statuses": ["2xx", "401", "403", "404", "422"]}},
        }
    ],
}


def load_schema() -> Any:
    """The API's OpenAPI document (``test_the_tested_document_is_the_served_one`` checks it is the one served),
    bound to Django's WSGI application for in-process calls."""
    document = json.loads(json.dumps(api.get_openapi_schema()))
    schema = schemathesis.openapi.from_dict(document, config=SchemathesisConfig.from_dict(SCHEMATHESIS))
    schema.app = WSGIHandler()
    return schema


API = load_schema()
#: Answers received, by person, operation and status code; written to ``artifacts/api-schema.txt``.
ANSWERS: Counter[tuple[str, str, int]] = Counter()


@pytest.fixture(scope="module", autouse=True)
def report() -> Iterator[None]:
    """Write how many requests each operation got, and their status codes, once the module has run."""
    started = time.monotonic()
    yield
    if not ANSWERS:
        return
    lines = [
        f"schemathesis: {len(list(API.get_all_operations()))} operations, fuzzing max-examples {MAX_EXAMPLES},"
        f" seed {SEED}, {sum(ANSWERS.values())} requests in {time.monotonic() - started:.0f} s"
    ]
    for role, label in sorted({(role, label) for role, label, _ in ANSWERS}):
        codes = {code: n for (r, op, code), n in sorted(ANSWERS.items()) if (r, op) == (role, label)}
        lines.append(
            f"{role} {label}: {sum(codes.values())} requests, " + ", ".join(f"{c}: {n}" for c, n in codes.items())
        )
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "api-schema.txt").write_text("\n".join(lines) + "\n")


@API.auth(refresh_interval=None)
class SessionCookieAuth:
    """The session cookie the document's security scheme names; schemathesis leaves it out where a case tests
    the API without it."""

    def get(self, case: Any, context: Any) -> str:
        return SESSION_KEY

    def set(self, case: Any, data: str, context: Any) -> None:
        case.cookies = {**(case.cookies or {}), django_settings.SESSION_COOKIE_NAME: data}


class SignedIn:
    """The person under test, signed in with the session ``SESSION_KEY``, and the records they may name."""

    current: SignedIn | None = None

    def __init__(self, role: str, person: Person, world: dict[str, Any]) -> None:  # noqa: F811
        self.role = role
        client = Client()
        client.force_login(person)
        Session.objects.filter(session_key=client.cookies[django_settings.SESSION_COOKIE_NAME].value).update(
            session_key=SESSION_KEY
        )
        self.client = client
        self.client.cookies[django_settings.SESSION_COOKIE_NAME] = SESSION_KEY
        #: Path parameters naming the fixture's records, public and SECRET//KESTREL.
        self.records = [
            {"slug": world[f"{kind}_case"].slug, "iso3": world[kind].iso3, "run_id": world[f"{kind}_run"].pk}
            for kind in ("public", "secret")
        ]

    @classmethod
    def during_test(cls, role: str, person: Person, world: dict[str, Any]) -> Iterator[SignedIn]:  # noqa: F811
        """Sign ``person`` in for one test; Django's WSGI application then shares the test's database connection
        (as the test client does), so it must not close it around each request."""
        signals.request_started.disconnect(close_old_connections)
        signals.request_finished.disconnect(close_old_connections)
        cls.current = cls(role, person, world)
        try:
            yield cls.current
        finally:
            cls.current = None
            signals.request_started.connect(close_old_connections)
            signals.request_finished.connect(close_old_connections)

    def call_and_validate(self, case: Any) -> Any:
        """Send ``case`` with the CSRF cookie and header, and run every check on the answer."""
        response = case.call_and_validate(
            headers={"X-CSRFToken": CSRF_TOKEN}, cookies={django_settings.CSRF_COOKIE_NAME: CSRF_TOKEN}
        )
        ANSWERS[(self.role, case.operation.label, response.status_code)] += 1
        return response


@API.hook
def flatmap_case(context: Any, case: Any) -> st.SearchStrategy[Any]:
    """A valid case whose path names a record names the generated one, the fixture's public record or its
    SECRET//KESTREL record, in turn (and a package then names that case)."""
    signed_in = SignedIn.current
    positive = case.meta is not None and case.meta.generation.mode == GenerationMode.POSITIVE
    if signed_in is None or not case.path_parameters or not positive:
        return st.just(case)

    def name(record: dict[str, Any] | None) -> Any:
        if record is not None:
            case.path_parameters = {key: record.get(key, value) for key, value in case.path_parameters.items()}
            if isinstance(case.body, dict) and "case" in case.body:
                case.body = {**case.body, "case": record["slug"]}  # a package names the case it is for
        return case

    return st.sampled_from([None, *signed_in.records]).map(name)


@pytest.fixture
def insider(world: dict[str, Any], a_person: Any) -> Iterator[SignedIn]:  # noqa: F811
    """Every role, cleared TOP SECRET, in the KESTREL compartment: reaches every operation and every record."""
    person = a_person(roles=Role.values, clearance=Level.TOP_SECRET, compartments=["KESTREL"])
    yield from SignedIn.during_test("insider", person, world)


@pytest.fixture
def outsider(world: dict[str, Any], a_person: Any) -> Iterator[SignedIn]:  # noqa: F811
    """Every role, cleared TOP SECRET, but outside KESTREL: reaches every operation, never the secret records."""
    person = a_person(roles=Role.values, clearance=Level.TOP_SECRET, compartments=[])
    yield from SignedIn.during_test("outsider", person, world)


@pytest.mark.django_db
def test_the_tested_document_is_the_served_one(insider: SignedIn) -> None:
    """The document under test is ``/api/openapi.json`` as served, and it lists every operation."""
    served = insider.client.get("/api/openapi.json").json()
    assert served == json.loads(json.dumps(api.get_openapi_schema()))
    assert len(list(API.get_all_operations())) == sum(len(item) for item in served["paths"].values()) > 0


@pytest.mark.django_db
def test_a_package_without_measures_is_reviewed(insider: SignedIn) -> None:
    """Found by schemathesis: a package with no measures was taken for no package at all, and the review
    operation answered 500. It is a package; its review says what it lacks."""
    answer = insider.client.post(
        "/api/cases/public-case/review",
        {"case": "public-case", "phases": {}},
        content_type="application/json",
        headers={"X-CSRFToken": CSRF_TOKEN},
    )
    assert answer.status_code == 200, answer.content
    assert answer.json()["findings"]


@pytest.mark.slow
@API.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api_conforms_to_its_schema(case: Any, insider: SignedIn) -> None:
    """IN-3: no 5xx and no departure from the OpenAPI document, for valid and invalid input alike."""
    insider.call_and_validate(case)


@pytest.mark.slow
@API.parametrize()
@settings(suppress_health_check=list(HealthCheck), deadline=None)
def test_api_exposes_no_record_outside_need_to_know(case: Any, outsider: SignedIn) -> None:
    """AC-5: a person outside KESTREL gets no 2xx answer carrying a SECRET//KESTREL record, whatever they ask."""
    response = outsider.call_and_validate(case)
    if 200 <= response.status_code < 300:
        assert CANARY not in response.text, f"{case.method} {case.formatted_path} exposed a KESTREL record"
