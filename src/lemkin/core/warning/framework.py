"""The catalogue of atrocity risk factors and indicators, organised like the UN Framework of Analysis.

Source: United Nations Office on Genocide Prevention and the Responsibility to Protect, *Framework of Analysis
for Atrocity Crimes: A tool for prevention* (United Nations, 2014; UN document A/70/741–S/2016/71). The Framework
names 14 risk factors: eight **common** to all atrocity crimes (1–8) and six **specific** ones (9–10 genocide,
11–12 crimes against humanity, 13–14 war crimes), each with indicators. ``framework.yaml`` beside this module
gives the risk factor titles and a representative set of indicators per factor in short paraphrase (the
Framework's own indicator numbers where checked); see its header.

Analysts pick case-specific indicators for a country from this catalogue (issue 5, "case-specific indicators
and warnings") or define their own; an indicator's optional ``observable`` names the event series that can
track it (``events:<type>:<events|fatalities>``, types from :mod:`lemkin.core.warning.events`).

:func:`load_framework` validates the whole file and raises :class:`FrameworkError` listing every problem:
missing fields, duplicate ids, indicator ids outside their factor, unknown kinds, crimes or observables.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Any

import yaml

from lemkin.core.warning.events import ACLED_TYPES, UCDP_TYPES

__all__ = [
    "CRIMES",
    "Framework",
    "FrameworkError",
    "Indicator",
    "RiskFactor",
    "load_framework",
    "parse_framework",
]

#: The three atrocity crimes the Framework covers (ethnic cleansing is read within them, as the Framework does).
CRIMES: tuple[str, ...] = ("genocide", "crimes_against_humanity", "war_crimes")
_KINDS = ("common", "specific")
_EVENT_TYPES = frozenset(UCDP_TYPES.values()) | frozenset(ACLED_TYPES.values())


class FrameworkError(ValueError):
    """The catalogue is invalid; ``problems`` lists every problem found."""

    def __init__(self, problems: list[str], source: str = "framework") -> None:
        self.problems = problems
        super().__init__(f"{source}: " + "; ".join(problems))


@dataclass(frozen=True)
class Indicator:
    """One indicator of a risk factor: stable ``id``, the Framework's number (``ref``, if checked), text."""

    id: str
    text: str
    risk_factor: str
    ref: str | None = None
    observable: str | None = None


@dataclass(frozen=True)
class RiskFactor:
    """One of the Framework's 14 risk factors with its indicators."""

    id: str
    ref: str
    kind: str
    title: str
    summary: str
    indicators: tuple[Indicator, ...]
    crimes: tuple[str, ...] = CRIMES

    @property
    def number(self) -> int:
        """The Framework's number of the factor (1–14)."""
        return int(self.ref)


@dataclass(frozen=True)
class Framework:
    """The catalogue: its source and its risk factors in the Framework's order."""

    source: Mapping[str, Any]
    risk_factors: tuple[RiskFactor, ...]

    @property
    def citation(self) -> str:
        """The source as one line for pages and exports."""
        s = self.source
        return f"{s.get('author')}, {s.get('title')} (United Nations, {s.get('year')}; {s.get('document')})"

    def factor(self, factor_id: str) -> RiskFactor:
        """The risk factor with ``factor_id`` (``rf7``); :class:`KeyError` if none."""
        for f in self.risk_factors:
            if f.id == factor_id:
                return f
        raise KeyError(f"no risk factor {factor_id!r}; known: {', '.join(f.id for f in self.risk_factors)}")

    def indicator(self, indicator_id: str) -> Indicator:
        """The indicator with ``indicator_id`` (``rf7.8``); :class:`KeyError` if none."""
        for f in self.risk_factors:
            for i in f.indicators:
                if i.id == indicator_id:
                    return i
        raise KeyError(f"no indicator {indicator_id!r} in the catalogue")

    def indicators(self) -> tuple[Indicator, ...]:
        """Every indicator, in catalogue order."""
        return tuple(i for f in self.risk_factors for i in f.indicators)

    def common(self) -> tuple[RiskFactor, ...]:
        """Risk factors 1–8, common to all atrocity crimes."""
        return tuple(f for f in self.risk_factors if f.kind == "common")

    def specific(self, crime: str | None = None) -> tuple[RiskFactor, ...]:
        """Risk factors 9–14, optionally only those for one crime."""
        return tuple(f for f in self.risk_factors if f.kind == "specific" and (crime is None or crime in f.crimes))


def _observable_problem(where: str, value: object) -> str | None:
    parts = str(value).split(":")
    known = len(parts) == 3 and parts[0] == "events" and parts[1] in _EVENT_TYPES
    if not known or parts[2] not in ("events", "fatalities"):
        return f"{where}: observable {value!r} is not 'events:<type>:<events|fatalities>' with a known type"
    return None


def parse_framework(data: Mapping[str, Any], source: str = "framework") -> Framework:
    """Build a :class:`Framework` from parsed YAML, checking everything first (:class:`FrameworkError`)."""
    problems: list[str] = []
    if not isinstance(data, Mapping):
        raise FrameworkError(["the file is not a mapping with 'source' and 'risk_factors'"], source)
    if not isinstance(data.get("source"), Mapping) or not data["source"].get("title"):
        problems.append("'source' must give at least the title of the document cited")
    raw_factors = data.get("risk_factors")
    if not isinstance(raw_factors, list) or not raw_factors:
        raise FrameworkError([*problems, "'risk_factors' must be a non-empty list"], source)
    seen: set[str] = set()
    factors: list[RiskFactor] = []
    for n, raw in enumerate(raw_factors, start=1):
        where = f"risk factor #{n}"
        if not isinstance(raw, Mapping):
            problems.append(f"{where}: not a mapping")
            continue
        missing = [k for k in ("id", "ref", "kind", "title", "indicators") if not raw.get(k)]
        if missing:
            problems.append(f"{where}: missing {', '.join(missing)}")
            continue
        fid = str(raw["id"])
        where = f"risk factor {fid}"
        if fid in seen:
            problems.append(f"{where}: duplicate id")
        seen.add(fid)
        if raw["kind"] not in _KINDS:
            problems.append(f"{where}: kind {raw['kind']!r} is not one of {', '.join(_KINDS)}")
        if not str(raw["ref"]).isdigit():
            problems.append(f"{where}: ref {raw['ref']!r} is not the Framework's factor number")
        crimes = tuple(raw.get("crimes") or CRIMES)
        bad_crimes = [c for c in crimes if c not in CRIMES]
        if bad_crimes:
            problems.append(f"{where}: unknown crimes {bad_crimes}; use {', '.join(CRIMES)}")
        if raw["kind"] == "specific" and not raw.get("crimes"):
            problems.append(f"{where}: a specific risk factor must name the crimes it concerns")
        indicators: list[Indicator] = []
        for m, item in enumerate(raw["indicators"], start=1):
            iwhere = f"{where}, indicator #{m}"
            if not isinstance(item, Mapping) or not item.get("id") or not item.get("text"):
                problems.append(f"{iwhere}: needs an id and a text")
                continue
            iid = str(item["id"])
            if iid in seen:
                problems.append(f"{iwhere}: duplicate id {iid!r}")
            seen.add(iid)
            if not iid.startswith(fid + "."):
                problems.append(f"{iwhere}: id {iid!r} must start with {fid + '.'!r}")
            ref = str(item["ref"]) if item.get("ref") is not None else None
            if ref is not None and not ref.startswith(f"{raw['ref']}."):
                problems.append(f"{iwhere}: ref {ref!r} is not under risk factor {raw['ref']}")
            observable = item.get("observable")
            if observable is not None and (p := _observable_problem(iwhere, observable)):
                problems.append(p)
            indicators.append(Indicator(iid, str(item["text"]), fid, ref, observable))
        factors.append(
            RiskFactor(
                id=fid,
                ref=str(raw["ref"]),
                kind=str(raw["kind"]),
                title=str(raw["title"]),
                summary=str(raw.get("summary", "")),
                indicators=tuple(indicators),
                crimes=crimes,
            )
        )
    if problems:
        raise FrameworkError(problems, source)
    return Framework(source=dict(data["source"]), risk_factors=tuple(factors))


def load_framework(path: str | Path | None = None) -> Framework:
    """Load and validate a catalogue file; the bundled ``framework.yaml`` (cached) when ``path`` is ``None``."""
    if path is None:
        return _bundled()
    path = Path(path)
    return parse_framework(yaml.safe_load(path.read_text(encoding="utf-8")), str(path))


@cache
def _bundled() -> Framework:
    text = files("lemkin.core.warning").joinpath("framework.yaml").read_text(encoding="utf-8")
    return parse_framework(yaml.safe_load(text), "framework.yaml")
