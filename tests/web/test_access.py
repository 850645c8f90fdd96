"""AC-1, AC-2, AC-4, MK-1: the one access-control point holds on every URL pattern and API operation.

The URL list is generated from the URL conf and the OpenAPI document, so a new page or endpoint is covered
(and fails here until it has a rule in ``lemkin.apps.accounts.access.RULES``) without anyone editing this file.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterator
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from lemkin.apps.accounts.access import PUBLIC, RULES, SIGNED_IN
from lemkin.apps.accounts.models import Compartment, Role
from lemkin.apps.audit.models import AuditEvent
from lemkin.apps.cases.services import create_case
from lemkin.apps.planning.models import CatalogTool
from lemkin.apps.watchlist import tiers
from lemkin.apps.watchlist.models import (
    Country,
    EmergencyMeetingProposal,
    Indicator,
    Judgment,
    PriorityScore,
    RiskForecast,
    RiskRun,
    SurveillanceRequest,
    TierProposal,
    Warning,
    WarningRule,
)
from lemkin.core.markings import Level, Marking, combine, parse

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CANARY = "CANARY-7f3a9c1e-Kestrel-Highlands"
_BANNER = re.compile(r'id="banner-(top|bottom)"[^>]*>([^<]*)<')
_PORTION = re.compile(r'data-marking="([^"]*)"')
_TITLE = re.compile(r"<title>(.*?)</title>", re.DOTALL)


def named_patterns(resolver: URLResolver | None = None, namespace: str = "") -> Iterator[tuple[str, URLPattern]]:
    """Every named URL pattern with its full view name (``namespace:name``)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry, inner)
        elif entry.name:
            yield f"{namespace}{entry.name}", entry


def all_view_names() -> list[str]:
    return sorted({name for name, _ in named_patterns()})


def test_every_url_and_api_operation_has_an_access_rule(client: Client) -> None:
    """AC-2: deny by default is not enough; every named URL must say who may read and write through it."""
    missing = [name for name in all_view_names() if name not in RULES and name not in PUBLIC | SIGNED_IN]
    assert not missing, f"add rules for {missing} to lemkin.apps.accounts.access.RULES"
    stale = sorted(set(RULES) - set(all_view_names()))
    assert not stale, f"RULES names URLs that no longer exist: {stale}"


@pytest.mark.django_db
def test_openapi_operations_are_all_in_the_url_conf_and_rules(a_person: Any, client_for: Any) -> None:
    """Each operation of the OpenAPI document has a URL name ``api:<operationId>`` and a rule."""
    client = client_for(a_person(roles=[Role.ANALYST]))
    document = client.get("/api/openapi.json").json()
    operations = [op["operationId"] for item in document["paths"].values() for op in item.values()]
    assert operations, "the OpenAPI document lists no operations"
    names = set(all_view_names())
    for operation in operations:
        assert f"api:{operation}" in names
        assert f"api:{operation}" in RULES


# --- the matrix -----------------------------------------------------------------------------------
PERSONAS = [*Role.values, "no-role"]


@pytest.fixture
def world(a_person: Any) -> dict[str, Any]:
    """People of every role (cleared TS and in the compartment); a public country and case; a SECRET//KESTREL
    country and case carrying the canary."""
    kestrel, _ = Compartment.objects.get_or_create(code="KESTREL", defaults={"name": "Kestrel"})
    public = Country.objects.create(iso3="XPU", name="Public Exercise Land", is_exercise=True)
    secret = Country.objects.create(
        iso3="XSE", name=CANARY, profile=f"profile {CANARY}", classification=Level.SECRET, compartment=kestrel
    )
    people = {
        role: a_person(roles=[] if role == "no-role" else [role], clearance=Level.TOP_SECRET, compartments=["KESTREL"])
        for role in PERSONAS
    }
    author = people["planner"]
    profile = (files("lemkin.core.exercise") / "case.yaml").read_text()
    public_case = create_case(author, profile.replace("id: exercise-varenia-2025", "id: public-case"))
    secret_profile = profile.replace("id: exercise-varenia-2025", "id: canary-case").replace(
        'title: "EXERCISE:', f'title: "{CANARY}'
    )
    secret_case = create_case(author, secret_profile, Level.SECRET, kestrel)
    run = {
        "created_by": "test",
        "model_name": "elasticnet",
        "model_resolved": "elasticnet",
        "input_sha256": "0" * 64,
        "data_vintage": "2025",
        "base_year": 2024,
        "train_first": 1960,
        "train_last": 2022,
        "n_train": 1,
    }
    public_run = RiskRun.objects.create(input_name="public.csv", **run)
    secret_run = RiskRun.objects.create(
        input_name=f"{CANARY}.csv", classification=Level.SECRET, compartment=kestrel, **run
    )
    RiskForecast.objects.create(run=public_run, country=public, risk_2yr=0.1, rank_2yr=1, risk_1yr=0.05, rank_1yr=1)
    RiskForecast.objects.create(run=public_run, country=secret, risk_2yr=0.2, rank_2yr=1, risk_1yr=0.1, rank_1yr=1)
    tiers.change_tier(author, public, "atrocities", "moderate_concern", "public reason")
    tiers.change_tier(author, secret, "atrocities", "high_and_rising", f"reason {CANARY}")
    proposal = {"watchlist": "atrocities", "current_tier": tiers.tier("not_listed")}
    public_proposal = TierProposal.objects.create(
        run=public_run, country=public, proposed_tier=tiers.tier("moderate_concern"), factors=["public"], **proposal
    )
    secret_proposal = TierProposal.objects.create(
        run=public_run,
        country=secret,
        proposed_tier=tiers.tier("high_and_rising"),
        factors=[CANARY],
        classification=Level.SECRET,
        compartment=kestrel,
        **proposal,
    )
    secret_marking = {"classification": Level.SECRET, "compartment": kestrel}
    public_indicator = Indicator.objects.create(country=public, name="public indicator", created_by="t")
    secret_indicator = Indicator.objects.create(
        country=secret, name=f"indicator {CANARY}", created_by="t", **secret_marking
    )
    rules = [
        WarningRule.objects.create(indicator=i, kind="threshold", parameters={"value": 1}, created_by="t")
        for i in (public_indicator, secret_indicator)
    ]
    month = dt.date(2026, 1, 1)
    public_warning = Warning.objects.create(rule=rules[0], country=public, month=month, value=2, reason="public")
    secret_warning = Warning.objects.create(
        rule=rules[1], country=secret, month=month, value=2, reason=f"warning {CANARY}", **secret_marking
    )
    EmergencyMeetingProposal.objects.create(country=secret, warning=secret_warning, reason=CANARY, **secret_marking)
    span = {"starts": month, "ends": month, "requested_by": "t"}
    public_request = SurveillanceRequest.objects.create(country=public, what="public", **span)
    secret_request = SurveillanceRequest.objects.create(country=secret, what=CANARY, **span, **secret_marking)
    Judgment.objects.create(
        country=secret,
        analyst="t",
        probability=0.5,
        horizon_start=2026,
        horizon_end=2027,
        rationale=CANARY,
        **secret_marking,
    )
    PriorityScore.objects.create(
        country=secret, influence=3, interests=3, rationale=CANARY, scored_by="t", **secret_marking
    )
    return {
        "public": public,
        "secret": secret,
        "public_case": public_case,
        "secret_case": secret_case,
        "public_run": public_run,
        "secret_run": secret_run,
        "public_proposal": public_proposal,
        "secret_proposal": secret_proposal,
        "public_warning": public_warning,
        "secret_warning": secret_warning,
        "public_request": public_request,
        "secret_request": secret_request,
        "people": people,
    }


def url_for(name: str, pattern: URLPattern, world: dict[str, Any], country: Country | None = None) -> str:
    """Reverse a pattern with fixture values for its arguments (the secret records when ``country`` is)."""
    secret = country is not None and country.pk == world["secret"].pk
    values = {
        "pk": world["people"]["administrator"].agency_id,
        "iso3": (country or world["public"]).iso3,
        "slug": world["secret_case" if secret else "public_case"].slug,
        "run_id": world["secret_run" if secret else "public_run"].pk,
        "proposal_id": world["secret_proposal" if secret else "public_proposal"].pk,
        "warning_id": world["secret_warning" if secret else "public_warning"].pk,
        "request_id": world["secret_request" if secret else "public_request"].pk,
        "tool_id": CatalogTool.objects.order_by("tool_id").values_list("tool_id", flat=True).first(),
        "seq": AuditEvent.objects.order_by("seq").values_list("seq", flat=True).first(),
    }
    kwargs = {key: values[key] for key in pattern.pattern.regex.groupindex}
    return reverse(name, kwargs=kwargs)


def is_refused(response: Any) -> bool:
    return response.status_code in (401, 403)


@pytest.mark.django_db
def test_access_matrix_every_url_every_role_both_methods(world: dict[str, Any], client_for: Any) -> None:
    """AC-1 (roles): for each URL x role x method the answer is exactly what ``RULES`` says."""
    checked, failures = 0, []
    patterns = [(name, p) for name, p in named_patterns() if name not in PUBLIC]
    clients = {role: client_for(person) for role, person in world["people"].items()}
    for name, pattern in patterns:
        url = url_for(name, pattern, world)
        for role, client in clients.items():
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                person = world["people"][role]
                allowed = name in SIGNED_IN or RULES[name].allows(person, method.upper())
                if allowed == is_refused(response):
                    failures.append(f"{method.upper()} {url} as {role}: {response.status_code}")
                checked += 1
    anonymous = Client()
    for name, pattern in patterns:
        response = anonymous.get(url_for(name, pattern, world))
        refused = response.status_code == 401 or (
            response.status_code == 302 and response["Location"].startswith(reverse("login"))
        )
        if not refused:
            failures.append(f"GET {name} anonymously: {response.status_code}")
        checked += 1
    ARTIFACTS.mkdir(exist_ok=True)
    report = (
        f"access matrix: {len(patterns)} URL patterns x {len(PERSONAS)} roles x 2 methods + anonymous"
        f" = {checked} requests, {len(failures)} failures\n"
    )
    (ARTIFACTS / "access-matrix.txt").write_text(report + "\n".join(failures))
    print(report)
    assert not failures, failures


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "clearance", "compartments"),
    [
        ("cleared but outside the compartment", Level.TOP_SECRET, []),
        ("in the compartment but cleared too low", Level.CONFIDENTIAL, ["KESTREL"]),
    ],
)
def test_no_path_leaks_a_record_without_need_to_know(
    world: dict[str, Any], a_person: Any, client_for: Any, who: str, clearance: Level, compartments: list[str]
) -> None:
    """AC-1 and AC-4 (records): the canary of a SECRET//KESTREL record appears on no page, list, count or API
    answer for someone lacking the clearance or the compartment, whatever their roles; its page answers 404
    exactly like a record that does not exist."""
    outsider = a_person(roles=Role.values, clearance=clearance, compartments=compartments)
    client = client_for(outsider)
    leaks = []
    for name, pattern in named_patterns():
        if name in PUBLIC:
            continue
        for country in (world["public"], world["secret"]):
            url = url_for(name, pattern, world, country)
            body = client.get(url).content.decode()
            if CANARY in body:
                leaks.append(url)
    assert not leaks, f"{who}: canary leaked through {leaks}"
    secret_page = client.get(reverse("watchlist:country-detail", kwargs={"iso3": "XSE"}))
    missing_page = client.get(reverse("watchlist:country-detail", kwargs={"iso3": "XNO"}))
    assert secret_page.status_code == missing_page.status_code == 404
    assert len(secret_page.content) == len(missing_page.content)
    assert client.get(reverse("dashboard")).context["summary"].countries == 1
    assert [c["iso3"] for c in client.get("/api/watchlist/countries").json()] == ["XPU"]
    assert [c["id"] for c in client.get("/api/cases/").json()] == ["public-case"]
    assert client.get("/api/cases/canary-case/options").status_code == 404
    package = {"case": "canary-case", "phases": {}}
    assert client.post("/api/cases/canary-case/review", package, content_type="application/json").status_code == 404


@pytest.mark.django_db
def test_a_person_with_need_to_know_sees_the_record(world: dict[str, Any], client_for: Any) -> None:
    """The other side of AC-1: need-to-know filters, it does not hide everything."""
    client = client_for(world["people"]["analyst"])
    page = client.get(reverse("watchlist:country-detail", kwargs={"iso3": "XSE"}))
    assert page.status_code == 200
    assert CANARY in page.content.decode()
    assert {c["iso3"] for c in client.get("/api/watchlist/countries").json()} == {"XPU", "XSE"}


@pytest.mark.django_db
def test_every_page_banner_is_the_combination_of_its_displayed_portions(world: dict[str, Any], client_for: Any) -> None:
    """MK-1: top banner = bottom banner = highest level + union of compartments of the portions displayed."""
    people = world["people"]
    pages = 0
    for name, pattern in named_patterns():
        if name.startswith("api:"):
            continue
        for role in ("administrator", "auditor", "analyst"):
            client = client_for(people[role])
            for country in (world["public"], world["secret"]):
                response = client.get(url_for(name, pattern, world, country))
                if response.status_code != 200 or "text/html" not in response["Content-Type"]:
                    continue
                body = response.content.decode()
                banners = dict(_BANNER.findall(body))
                expected = combine(parse(m) for m in _PORTION.findall(body)) if _PORTION.search(body) else Marking()
                assert banners["top"] == banners["bottom"] == expected.banner, (name, role, banners)
                title = _TITLE.search(body)
                assert title is not None, (name, "the page has no title")
                assert "<" not in title.group(1), (name, "the page title holds markup")
                pages += 1
    detail = client_for(people["analyst"]).get(reverse("watchlist:country-detail", kwargs={"iso3": "XSE"}))
    assert dict(_BANNER.findall(detail.content.decode()))["top"] == "SECRET//KESTREL"
    assert pages > 10


@pytest.mark.django_db
def test_the_login_page_shows_the_system_use_notice_and_requires_acknowledgement(a_person: Any) -> None:
    """MK-3: no sign-in without acknowledging the notice; the acknowledgement is audited."""
    person = a_person(roles=[Role.ANALYST], username="reader")
    client = Client()
    page = client.get(reverse("login"))
    assert "System use notice" in page.content.decode()
    refused = client.post(reverse("login"), {"username": "reader", "password": "correct horse battery staple"})
    assert refused.status_code == 200
    assert "Acknowledge the system use notice" in refused.content.decode()
    accepted = client.post(
        reverse("login"),
        {"username": "reader", "password": "correct horse battery staple", "acknowledge": "on"},
    )
    assert accepted.status_code == 302
    names = list(AuditEvent.objects.filter(actor_person_id=person.pk).values_list("action", "name"))
    assert ("login", "") in names
    assert ("event", "SystemUseNoticeAcknowledged") in names


@pytest.mark.django_db
def test_api_refusals_are_json_and_say_why(world: dict[str, Any], client_for: Any) -> None:
    client = client_for(world["people"]["analyst"])
    response = client.get("/api/audit/events")
    assert response.status_code == 403
    assert json.loads(response.content) == {"detail": "Forbidden"}
    assert Client().get("/api/accounts/me").status_code == 401
