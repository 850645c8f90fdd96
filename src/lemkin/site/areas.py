"""The areas of the chapter that exist so far, for the navigation and the dashboard.

An area is listed for a person only when the access rules let them open its page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from lemkin.apps.accounts.access import rule_for


@dataclass(frozen=True)
class Area:
    title: str
    view_name: str
    chapter: str  # the chapter's words for it

    @property
    def url(self) -> str:
        return reverse(self.view_name)


AREAS = (
    Area("Countries", "watchlist:country-list", "countries of concern (Recommendation 4-1)"),
    Area("Watchlists", "watchlist:watchlists", "Atrocities and Instability Watchlists, tiers (4-1)"),
    Area("Warnings", "watchlist:warning-list", "case-specific indicators and warnings (4-1)"),
    Area("Priorities", "watchlist:prioritisation", "priorities based on factors beyond risk (4-1)"),
    Area("Map", "watchlist:world-map", "risk and tiers on a world map"),
    Area("Risk", "watchlist:risk-run-list", "the latest statistical risk assessment (Recommendation 4-1)"),
    Area("Case files", "cases:case-list", "case files, policy options, playbooks and guideline review (4-2)"),
    Area("Catalog", "planning:tool-list", "the standard planning framework's tools and measures (Tables 1, 2)"),
    Area("Agencies", "accounts:agency-list", "the committee's member agencies (Recommendation 4-1)"),
    Area("People", "accounts:person-list", "people, roles, clearances and compartments"),
    Area("Audit log", "audit:log", "who changed what, when"),
)


def areas_for(user: Any) -> list[Area]:
    if not getattr(user, "is_authenticated", False):
        return []
    shown = []
    for area in AREAS:
        rule = rule_for(area.view_name)
        if rule is not None and rule.allows(user, "GET"):
            shown.append(area)
    return shown
