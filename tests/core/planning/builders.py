"""Builders for planning tests: profiles and packages by intent, e.g. ``a_case(tempo="rolling")``."""

from __future__ import annotations

import copy
from typing import Any

from lemkin.core.planning.enums import Phase
from lemkin.core.planning.package import Package, PackageItem
from lemkin.core.planning.profile import CaseProfile, parse_profile

BASE_CASE: dict[str, Any] = {
    "id": "exercise-case",
    "title": "Exercise case",
    "country": "XXA",
    "as_of": "2026-01-01",
    "sources": ["exercise material"],
    "tempo": "volcanic",
    "phase": "escalating",
    "window_days": 28,
    "country_profile": {
        "regime": "hybrid",
        "remote": False,
        "economic_integration": "medium",
        "aid_dependence": "high",
        "elite_assets_abroad": True,
        "patrons": ["RUS"],
        "neighbours_stance": "mixed",
        "regional_organisations": ["AU"],
        "peace_process": "none",
        "peacekeepers_present": False,
        "us_military_access": "limited",
    },
    "actors": {
        "decision_makers": ["The ruling council"],
        "perpetrators": ["A militia"],
        "victims": {"groups": ["A minority"], "number": 10000},
        "third_parties": ["The African Union"],
    },
    "partners": [
        {"name": "African Union", "kind": "regional_organisation", "relation": "mediator"},
        {"name": "United Kingdom", "kind": "state", "relation": "donor"},
        {"name": "Russia", "kind": "state", "relation": "patron"},
        {"name": "Uganda", "kind": "state", "relation": "neighbour"},
    ],
    "constraints": {"un_security_council": "contested"},
}


def case_data(base: dict[str, Any] | None = None, **changes: Any) -> dict[str, Any]:
    """A copy of ``base`` (the exercise case) with changes; ``a__b=x`` sets a nested field, ``None`` removes it."""
    data = copy.deepcopy(base if base is not None else BASE_CASE)
    for key, value in changes.items():
        *parents, leaf = key.split("__")
        node = data
        for parent in parents:
            node = node[parent]
        if value is None:
            node.pop(leaf, None)
        else:
            node[leaf] = value
    return data


def a_case(base: dict[str, Any] | None = None, **changes: Any) -> CaseProfile:
    """A validated case profile built from ``case_data``."""
    return parse_profile(case_data(base, **changes), source="<test case>")


def a_package(case: str, *items: PackageItem, phase: Phase = Phase.ESCALATING) -> Package:
    """A package with every item in one phase."""
    return Package(case, {phase: tuple(items)})


def item(tool: str, *actors: str, multilateral: bool = True, day: int = 0) -> PackageItem:
    return PackageItem(tool, tuple(actors) or ("United States", "United Kingdom"), multilateral, day)
